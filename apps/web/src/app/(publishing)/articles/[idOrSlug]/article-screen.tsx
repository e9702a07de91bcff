'use client';

import { useQuery } from '@tanstack/react-query';
import { errorCodeOf } from '../../../../api/errors';
import { useReadYourWrites } from '../../../../api/read-your-writes';
import { type Article, useTRPC } from '../../../../api/trpc';
import { useSignedInUser } from '../../../../session/session';
import { ButtonLink } from '../../../../ui/button';
import { Card, EmptyState, ErrorState, LoadingState, PageHeader } from '../../../../ui/states';
import { Timestamp } from '../../../../ui/time';
import { ArticleEditor, ArticlePreview, backToArticles } from '../article-editor';
import { ArticleStatusBadge } from '../article-text';

export function ArticleScreen({ articleId }: { articleId: string }) {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const { minPosition } = useReadYourWrites();
  const article = useQuery(trpc.articles.byId.queryOptions({ articleId, minPosition }));

  if (article.isPending) return <LoadingState label="Loading article…" />;
  if (article.isError) {
    const missing = ['NOT_FOUND', 'BAD_REQUEST'].includes(errorCodeOf(article.error) ?? '');
    return (
      <>
        {backToArticles}
        <Card>
          {missing ? (
            <EmptyState title="No such article" action={<ButtonLink href="/articles">Back to articles</ButtonLink>}>
              There is no article with the id <code className="font-mono break-all">{articleId}</code>.
            </EmptyState>
          ) : (
            <ErrorState
              title="Could not load this article"
              error={article.error}
              onRetry={() => void article.refetch()}
            />
          )}
        </Card>
      </>
    );
  }
  if (!canChange) return <ArticleReadOnly article={article.data} />;
  return <ArticleEditor key={articleId} article={article.data} />;
}

function ArticleReadOnly({ article }: { article: Article }) {
  return (
    <>
      {backToArticles}
      <PageHeader
        title={article.title}
        description={
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <ArticleStatusBadge status={article.status} />
            <span>version {article.version}</span>
            <span aria-hidden="true">·</span>
            <span className="font-mono break-all">/{article.slug}</span>
            <span aria-hidden="true">·</span>
            <span>
              updated <Timestamp date={article.updatedAt} compact />
            </span>
          </span>
        }
      />
      <div className="max-w-3xl">
        <ArticlePreview title={article.title} body={article.body} heading="Article" />
      </div>
    </>
  );
}
