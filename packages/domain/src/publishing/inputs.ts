import { z } from 'zod';
import {
  cursorSchema,
  existingStreamMutationOptions,
  idSchema,
  limitSchema,
  minPositionSchema,
  mutationOptions,
  searchSchema,
} from '../kernel/inputs.ts';
import { text } from '../kernel/text.ts';
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
  search: searchSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema(25),
  minPosition: minPositionSchema,
});
export const searchArticlesInput = z.object({
  q: text({ max: 200, trim: true, label: 'a search' }).min(1, { error: 'a search needs at least one character' }),
  limit: limitSchema(20, 50),
  minPosition: minPositionSchema,
});
export const articleByIdInput = z.object({ articleId: idSchema, minPosition: minPositionSchema });
export const articleBySlugInput = z.object({ slug: slugSchema, minPosition: minPositionSchema });

export type DraftArticleInput = z.infer<typeof draftArticleInput>;
export type EditArticleInput = z.infer<typeof editArticleInput>;
