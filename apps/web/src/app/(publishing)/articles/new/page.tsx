import type { Metadata } from 'next';
import { NewArticleScreen } from './new-article-screen';

export const metadata: Metadata = { title: 'New article' };

export default function NewArticlePage() {
  return <NewArticleScreen />;
}
