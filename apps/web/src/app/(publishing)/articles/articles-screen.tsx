'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { usePagedQuery } from '../../../api/paged-query';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type ArticleRow, type ArticleStatus, useTRPC } from '../../../api/trpc';
import { useSignedInUser } from '../../../session/session';
import { Button, ButtonLink } from '../../../ui/button';
import { cn } from '../../../ui/cn';
import { type Column, DataTable } from '../../../ui/data-table';
import { SelectField, TextField } from '../../../ui/field';
import { PagedList } from '../../../ui/paged-list';
import { Card, CardHeader, EmptyState, ErrorState, LoadingState, PageHeader } from '../../../ui/states';
import { Timestamp } from '../../../ui/time';
import { useDebounced } from '../../../ui/use-debounced';
import { ArticleStatusBadge, Highlighted } from './article-text';

const pageSize = 25;

export function ArticlesScreen() {
  const { canChange } = useSignedInUser();
  const feedLink = 'text-sm font-medium text-indigo-700 underline-offset-2 hover:underline';
  return (
    <>
      <PageHeader
        title="Articles"
        description={
          <>
            Drafts and published articles. Published ones are searchable and in the{' '}
            <a href="/feed.xml" className={feedLink} target="_blank" rel="noreferrer">
              RSS feed
            </a>{' '}
            and the{' '}
            <a href="/sitemap.xml" className={feedLink} target="_blank" rel="noreferrer">
              sitemap
            </a>
            .
          </>
        }
        actions={
          canChange ? (
            <ButtonLink href="/articles/new" variant="primary">
              New article
            </ButtonLink>
          ) : null
        }
      />
      <div className="flex flex-col gap-6">
        <SearchCard />
        <ArticleList canChange={canChange} />
      </div>
    </>
  );
}

function SearchCard() {
  const trpc = useTRPC();
  const { minPosition } = useReadYourWrites();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 250);
  const search = useQuery({
    ...trpc.articles.search.queryOptions({ q: query, limit: 10, minPosition }),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
  });

  return (
    <Card>
      <search aria-label="Published articles">
        <form className="p-4 sm:px-5" onSubmit={(e) => e.preventDefault()}>
          <TextField
            label="Search published articles"
            type="search"
            placeholder="Words from the title or the text"
            hint={
              <>
                Full text, ranked, title matches first. Use “quoted phrases”, <code>or</code>, and <code>-word</code> to
                leave a word out. Drafts are not searched.
              </>
            }
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </form>
      </search>
      {query.length === 0 ? null : search.isPending ? (
        <div className="border-t border-zinc-200">
          <LoadingState label="Searching…" />
        </div>
      ) : search.isError ? (
        <div className="border-t border-zinc-200">
          <ErrorState title="The search failed" error={search.error} onRetry={() => void search.refetch()} />
        </div>
      ) : search.data.items.length === 0 ? (
        <div className="border-t border-zinc-200">
          <EmptyState title={`No published article matches “${query}”`}>
            Try fewer or other words. A draft is found once it is published.
          </EmptyState>
        </div>
      ) : (
        <ol
          aria-label="Search results"
          aria-busy={search.isPlaceholderData || undefined}
          className={cn('divide-y divide-zinc-200 border-t border-zinc-200', search.isPlaceholderData && 'opacity-60')}
        >
          {search.data.items.map((hit) => (
            <li key={hit.articleId} className="px-4 py-3 sm:px-5">
              <Link
                href={`/articles/${hit.articleId}`}
                className="font-medium text-zinc-900 underline-offset-2 hover:text-indigo-700 hover:underline"
              >
                <Highlighted parts={hit.titleParts} />
              </Link>
              {hit.snippet.length > 0 ? (
                <p className="mt-1 text-sm leading-relaxed text-zinc-700">
                  <Highlighted parts={hit.snippet} />
                </p>
              ) : null}
              <p className="mt-1 text-xs text-zinc-600">
                <span className="font-mono">/{hit.slug}</span> · published <Timestamp date={hit.publishedAt} compact />
              </p>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

function ArticleList({ canChange }: { canChange: boolean }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<ArticleStatus | ''>('');
  const articles = usePagedQuery(status, pageSize, (page) =>
    trpc.articles.list.queryOptions({ status: status || undefined, ...page }),
  );

  return (
    <Card>
      <CardHeader
        title="All articles"
        description="Newest first, drafts included."
        actions={
          <div className="w-44">
            <SelectField
              label="Status"
              value={status}
              onChange={(e) => setStatus(e.target.value as ArticleStatus | '')}
              options={[
                { value: '', label: 'Any status' },
                { value: 'draft', label: 'Drafts' },
                { value: 'published', label: 'Published' },
              ]}
            />
          </div>
        }
      />
      <PagedList
        list={articles}
        what="articles"
        empty={
          status ? (
            <EmptyState
              title={status === 'draft' ? 'No drafts' : 'Nothing is published yet'}
              action={<Button onClick={() => setStatus('')}>Show all articles</Button>}
            >
              {status === 'draft'
                ? 'Every article is published. A new article starts as a draft.'
                : 'Open a draft and publish it: it then shows in search, the feed and the sitemap.'}
            </EmptyState>
          ) : (
            <EmptyState
              title="No articles yet"
              action={
                canChange ? (
                  <ButtonLink href="/articles/new" variant="primary">
                    Write the first article
                  </ButtonLink>
                ) : null
              }
            >
              {canChange
                ? 'Write a draft, preview it, then publish it when it is ready.'
                : 'Articles appear here once an admin writes one.'}
            </EmptyState>
          )
        }
      >
        {(rows, dimmed) => (
          <DataTable
            caption="Articles"
            columns={articleColumns}
            rows={rows}
            rowKey={(article) => article.articleId}
            dimmed={dimmed}
          />
        )}
      </PagedList>
    </Card>
  );
}

const articleColumns: Column<ArticleRow>[] = [
  {
    header: 'Article',
    cell: (article) => (
      <>
        <Link
          href={`/articles/${article.articleId}`}
          className="block truncate font-medium text-zinc-900 underline-offset-2 hover:text-indigo-700 hover:underline"
        >
          {article.title}
        </Link>
        <div className="truncate font-mono text-xs text-zinc-600">/{article.slug}</div>
      </>
    ),
  },
  {
    header: 'Status',
    cell: (article) => <ArticleStatusBadge status={article.status} />,
  },
  {
    header: 'Version',
    className: 'hidden md:table-cell',
    cellClassName: 'text-zinc-700 tabular-nums',
    cell: (article) => article.version,
  },
  {
    header: 'Updated',
    className: 'hidden sm:table-cell sm:pr-5',
    cellClassName: 'whitespace-nowrap text-zinc-700',
    cell: (article) => <Timestamp date={article.updatedAt} compact />,
  },
];
