import { and, articles, eq, ilike, or, type SQL, type StrataDb } from '@strata/db';
import type { ArticleStatus } from '@strata/domain';
import { containing } from '../read-models/like-pattern.ts';
import { keysetPage } from '../read-models/list-cursor.ts';

export interface ListArticlesQuery {
  status?: ArticleStatus | undefined;
  search?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * The admin's list, newest first by (created_at, article_id), which edits never change. Bodies
 * stay out of the list (up to 100 KB each); `articles.byId` has them.
 */
export async function listArticles(db: StrataDb, query: ListArticlesQuery) {
  const conditions: SQL[] = [];
  if (query.status) conditions.push(eq(articles.status, query.status));
  if (query.search) {
    const pattern = containing(query.search);
    conditions.push(or(ilike(articles.title, pattern), ilike(articles.slug, pattern)) as SQL);
  }
  const paging = keysetPage(query, [articles.createdAt, 'desc'], [articles.articleId, 'desc']);
  const rows = await db
    .select({
      articleId: articles.articleId,
      slug: articles.slug,
      title: articles.title,
      status: articles.status,
      publishedAt: articles.publishedAt,
      version: articles.version,
      createdAt: articles.createdAt,
      updatedAt: articles.updatedAt,
    })
    .from(articles)
    .where(and(...conditions, paging.where))
    .orderBy(...paging.orderBy)
    .limit(paging.limit);
  return paging.page(rows, (row) => [row.createdAt, row.articleId]);
}

export async function findArticleById(db: StrataDb, articleId: string) {
  const [row] = await db.select().from(articles).where(eq(articles.articleId, articleId));
  return row ?? null;
}
