import { randomUUID } from 'node:crypto';
import {
  articleByIdInput,
  articleBySlugInput,
  articleIdOfStream,
  articleSlugStream,
  draftArticleInput,
  editArticleInput,
  listArticlesInput,
  publishArticleInput,
  publishingPlans,
  searchArticlesInput,
  unpublishArticleInput,
} from '@strata/domain';
import { TRPCError } from '@trpc/server';
import { findArticleById, listArticles } from '../publishing/articles-queries.ts';
import { findPublishedBySlug, searchArticles } from '../publishing/search-queries.ts';
import { adminProcedure, authedProcedure, publicProcedure, router, runAs, streamPosition } from '../trpc.ts';
import { command, query } from './openapi-meta.ts';
import * as o from './outputs.ts';

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'no such article' });

/** The slug a draft claimed: its claim is one of the streams the command appended to. */
function claimedSlug(streams: readonly { streamId: string }[]): string | undefined {
  const prefix = articleSlugStream('');
  return streams.find((s) => s.streamId.startsWith(prefix))?.streamId.slice(prefix.length);
}

export const articlesRouter = router({
  /** The slug is the one given, or made from the title (with a suffix when another article has it). */
  draft: adminProcedure
    .meta(command('/articles/draft', 'Draft an article'))
    .output(o.articleDraftOutput)
    .input(draftArticleInput)
    .mutation(async ({ ctx, input }) => {
      const { title, body, slug } = input;
      const result = await runAs(
        ctx,
        publishingPlans.draftArticle({ articleId: randomUUID(), title, body, slug }),
        input.commandId,
      );
      const articleId = articleIdOfStream(result.streamId);
      const claimed = claimedSlug(result.streams) ?? (await findArticleById(ctx.app.database.db, articleId))?.slug;
      return { articleId, slug: claimed ?? slug ?? '', ...streamPosition(result) };
    }),
  edit: adminProcedure
    .meta(command('/articles/edit', 'Edit an article'))
    .output(o.articleMutationOutput)
    .input(editArticleInput)
    .mutation(async ({ ctx, input }) => {
      const { articleId, title, body, slug } = input;
      const result = await runAs(
        ctx,
        publishingPlans.editArticle(articleId, { title, body, slug }, input.expectedVersion),
        input.commandId,
      );
      return { articleId, ...streamPosition(result) };
    }),
  publish: adminProcedure
    .meta(command('/articles/publish', 'Publish an article'))
    .output(o.articleMutationOutput)
    .input(publishArticleInput)
    .mutation(async ({ ctx, input }) => {
      const result = await runAs(
        ctx,
        publishingPlans.publishArticle(input.articleId, new Date().toISOString(), input.expectedVersion),
        input.commandId,
      );
      return { articleId: input.articleId, ...streamPosition(result) };
    }),
  unpublish: adminProcedure
    .meta(command('/articles/unpublish', 'Unpublish an article'))
    .output(o.articleMutationOutput)
    .input(unpublishArticleInput)
    .mutation(async ({ ctx, input }) => {
      const result = await runAs(
        ctx,
        publishingPlans.unpublishArticle(input.articleId, input.expectedVersion),
        input.commandId,
      );
      return { articleId: input.articleId, ...streamPosition(result) };
    }),

  /** Every article, drafts included (the admin's view). */
  list: authedProcedure
    .meta(query('/articles/list', 'Every article, drafts included'))
    .output(o.articlePage)
    .input(listArticlesInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('articles', input.minPosition);
      return listArticles(ctx.app.database.db, input);
    }),
  byId: authedProcedure
    .meta(query('/articles/by-id', 'One article'))
    .output(o.articleRow)
    .input(articleByIdInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('articles', input.minPosition);
      const article = await findArticleById(ctx.app.database.db, input.articleId);
      if (!article) throw notFound();
      return article;
    }),
  /** Published articles only (the public view); `minPosition` waits for the search read model. */
  search: authedProcedure
    .meta(query('/articles/search', 'Search published articles'))
    .output(o.articleSearchOutput)
    .input(searchArticlesInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('article_search', input.minPosition);
      return { items: await searchArticles(ctx.app.database.db, input) };
    }),
  /**
   * A published article by slug, as readers see it: public, for the site's article pages. Only
   * the published read model is read, so a draft (or an unpublished article) is NOT_FOUND.
   */
  bySlug: publicProcedure
    .meta(query('/articles/by-slug', 'A published article by its slug', { public: true }))
    .output(o.publishedArticle)
    .input(articleBySlugInput)
    .query(async ({ ctx, input }) => {
      // Waiting holds a listener and polls the checkpoint for up to seconds; it is for a writer
      // reading back what they just published, so an anonymous caller cannot make the api wait.
      if (ctx.session) await ctx.app.waitForReadModel('article_search', input.minPosition);
      const article = await findPublishedBySlug(ctx.app.database.db, input.slug);
      if (!article) throw notFound();
      return article;
    }),
});
