import { z } from 'zod';
import { existingStreamMutationOptions, idSchema, minPositionSchema, mutationOptions } from '../kernel/inputs.ts';
import { articleBodySchema, articleStatusSchema, articleTitleSchema, slugSchema } from './values.ts';

export const draftArticleInput = z.object({
  title: articleTitleSchema,
  body: articleBodySchema,
  slug: slugSchema.optional(),
  ...mutationOptions,
});
const existingArticle = { articleId: idSchema, ...existingStreamMutationOptions };
export const editArticleInput = z
  .object({
    ...existingArticle,
    title: articleTitleSchema.optional(),
    body: articleBodySchema.optional(),
    slug: slugSchema.optional(),
  })
  .refine((input) => input.title !== undefined || input.body !== undefined || input.slug !== undefined, {
    error: 'give at least one of title, body or slug',
    path: ['title'],
  });
export const publishArticleInput = z.object(existingArticle);
export const unpublishArticleInput = z.object(existingArticle);

export const listArticlesInput = z.object({
  status: articleStatusSchema.optional(),
  /** Matches title or slug. */
  search: z.string().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  minPosition: minPositionSchema,
});
export const searchArticlesInput = z.object({
  q: z
    .string()
    .trim()
    .min(1, { error: 'a search needs at least one character' })
    .max(200, { error: 'a search is at most 200 characters' }),
  limit: z.number().int().min(1).max(50).default(20),
  minPosition: minPositionSchema,
});
export const articleByIdInput = z.object({ articleId: idSchema, minPosition: minPositionSchema });
export const articleBySlugInput = z.object({ slug: slugSchema, minPosition: minPositionSchema });

export type DraftArticleInput = z.infer<typeof draftArticleInput>;
export type EditArticleInput = z.infer<typeof editArticleInput>;
