import Link from 'next/link';
import { Card, CardHeader } from '../../../ui/states';
import { ArticleBody } from './article-text';

export const backToArticles = (
  <Link href="/articles" className="mb-3 inline-block text-sm font-medium text-zinc-600 hover:text-zinc-900">
    ← All articles
  </Link>
);

/** Title and body as readers will see them, following the editor as it is typed. */
export function ArticlePreview({
  title,
  body,
  heading = 'Preview',
}: {
  title: string;
  body: string;
  heading?: string;
}) {
  return (
    <Card className="lg:sticky lg:top-6">
      <CardHeader title={heading} description="As readers will see it." />
      <article aria-label={heading} className="px-4 py-5 sm:px-6">
        {title.trim() || body.trim() ? (
          <>
            <h2 className="text-xl font-semibold tracking-tight break-words text-zinc-900">
              {title.trim() || <span className="text-zinc-500">Untitled</span>}
            </h2>
            <div className="mt-4 text-[15px]">
              {body.trim() ? <ArticleBody body={body} /> : <p className="text-zinc-500">No text yet.</p>}
            </div>
          </>
        ) : (
          <p className="text-sm text-zinc-600">Start typing: the preview follows as you write.</p>
        )}
      </article>
    </Card>
  );
}
