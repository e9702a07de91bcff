import type { Metadata } from 'next';
import { ArticleScreen } from './article-screen';

export const metadata: Metadata = { title: 'Article' };

export default async function ArticlePage({ params }: PageProps<'/articles/[articleId]'>) {
  const { articleId } = await params;
  return <ArticleScreen articleId={articleId} />;
}
