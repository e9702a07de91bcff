import { articleBodySchema, articleTitleSchema, slugSchema } from '@strata/domain';
import { z } from 'zod';
import type { Article } from '../../../api/trpc';

/** The editor's fields as typed. */
export interface ArticleForm {
  title: string;
  body: string;
  slug: string;
}

export const formOf = (article: Article | null): ArticleForm => ({
  title: article?.title ?? '',
  body: article?.body ?? '',
  slug: article?.slug ?? '',
});

/**
 * The domain's title, body and slug rules, checked as the user types; an empty slug is left to
 * the api, which makes one from the title (or keeps the article's).
 */
export const articleFormSchema = z.object({
  title: articleTitleSchema,
  body: articleBodySchema,
  slug: z.string().superRefine((typed, context) => {
    if (!typed.trim()) return;
    const slug = slugSchema.safeParse(typed);
    for (const issue of slug.success ? [] : slug.error.issues)
      context.addIssue({ code: 'custom', message: issue.message });
  }),
});
