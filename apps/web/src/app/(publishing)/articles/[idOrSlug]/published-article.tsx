import type { Metadata } from 'next';
import { notFound, permanentRedirect } from 'next/navigation';
import { PublicFrame } from '../../../../shell/public-frame';
import { ArticleBody } from '../article-text';
import { readPublishedArticle } from './read-published-article';

// Rendered on the server for every reader, so one fixed locale and zone rather than the server's.
const publishedDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

export async function publishedArticleMetadata(slug: string): Promise<Metadata> {
  const article = await readPublishedArticle(slug);
  if (!article) return { title: 'Article not found' };
  const summary = article.body.replace(/\s+/g, ' ').trim();
  return { title: article.title, description: summary.length > 160 ? `${summary.slice(0, 159)}…` : summary };
}

/** The public page of one published article: title, date and body, rendered as the editor previews it. */
export async function PublishedArticle({ slug }: { slug: string }) {
  const article = await readPublishedArticle(slug);
  if (!article) notFound();
  // The api forgives case and spaces in a slug; readers and crawlers still get one address.
  if (article.slug !== slug) permanentRedirect(`/articles/${article.slug}`);
  return (
    <PublicFrame>
      <article aria-labelledby="article-title">
        <header className="mb-8 border-b border-zinc-200 pb-6">
          <h1
            id="article-title"
            className="text-3xl font-semibold tracking-tight break-words text-zinc-950 sm:text-4xl"
          >
            {article.title}
          </h1>
          <p className="mt-3 text-sm text-zinc-600">
            Published{' '}
            <time dateTime={article.publishedAt.toISOString()}>{publishedDate.format(article.publishedAt)}</time>
          </p>
        </header>
        <div className="text-[17px]">
          {article.body.trim() ? <ArticleBody body={article.body} /> : <p className="text-zinc-500">No text.</p>}
        </div>
      </article>
    </PublicFrame>
  );
}
