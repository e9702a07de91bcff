import type { Metadata } from 'next';
import { isArticleId } from '../article-urls';
import { ArticleScreen } from './article-screen';
import { PublishedArticle, publishedArticleMetadata } from './published-article';

export async function generateMetadata({ params }: PageProps<'/articles/[idOrSlug]'>): Promise<Metadata> {
  const { idOrSlug } = await params;
  return isArticleId(idOrSlug) ? { title: 'Article' } : publishedArticleMetadata(idOrSlug);
}

/** An article id is the admin's editor; a slug is the published article's public page (see article-urls). */
export default async function ArticlePage({ params }: PageProps<'/articles/[idOrSlug]'>) {
  const { idOrSlug } = await params;
  return isArticleId(idOrSlug) ? <ArticleScreen articleId={idOrSlug} /> : <PublishedArticle slug={idOrSlug} />;
}
