import type { Metadata } from 'next';
import { ArticlesScreen } from './articles-screen';

export const metadata: Metadata = { title: 'Articles' };

export default function ArticlesPage() {
  return <ArticlesScreen />;
}
