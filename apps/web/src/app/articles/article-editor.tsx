'use client';

import { articleLimits } from '@strata/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, type KeyboardEvent, useEffect, useState } from 'react';
import { newCommandId } from '../../api/command-id';
import { apiErrorData, conflictOf, fieldErrorsOf } from '../../api/errors';
import { useReadYourWrites } from '../../api/read-your-writes';
import { type Article, useTRPC } from '../../api/trpc';
import { Button } from '../../ui/button';
import { TextAreaField, TextField } from '../../ui/field';
import { ConflictNotice, FormError } from '../../ui/form-error';
import { formatCount } from '../../ui/money';
import { Card, CardHeader, Notice, PageHeader } from '../../ui/states';
import { Timestamp } from '../../ui/time';
import { useToast } from '../../ui/toast';
import { ArticleBody, ArticleStatusBadge } from './article-text';

/** The article limits the api enforces. */
const limits = articleLimits;

interface ArticleForm {
  title: string;
  body: string;
  slug: string;
}

const formOf = (article: Article | null): ArticleForm => ({
  title: article?.title ?? '',
  body: article?.body ?? '',
  slug: article?.slug ?? '',
});

type Busy = 'save' | 'publish' | 'unpublish' | 'reload' | null;

export const backToArticles = (
  <Link href="/articles" className="mb-3 inline-block text-sm font-medium text-zinc-600 hover:text-zinc-900">
    ← All articles
  </Link>
);

/**
 * Title, body and slug with a live preview. A new article is saved as a draft; an existing one
 * is edited from the version it was loaded at (a change saved meanwhile is a conflict, and the
 * text typed here is kept). Publishing saves pending changes first.
 */
export function ArticleEditor({ article }: { article: Article | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { recordWrite, minPosition } = useReadYourWrites();
  const [base, setBase] = useState<Article | null>(article);
  const [form, setForm] = useState<ArticleForm>(() => formOf(article));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<Busy>(null);
  /** What was typed here when a conflict made us reload, and what it was based on: kept so nothing is lost. */
  const [kept, setKept] = useState<{ form: ArticleForm; base: ArticleForm } | null>(null);
  const [draftCommandId] = useState(newCommandId);
  const draft = useMutation(trpc.articles.draft.mutationOptions());
  const edit = useMutation(trpc.articles.edit.mutationOptions());
  const publish = useMutation(trpc.articles.publish.mutationOptions());
  const unpublish = useMutation(trpc.articles.unpublish.mutationOptions());

  const slug = form.slug.trim().toLowerCase();
  const changes = base
    ? {
        title: form.title.trim() !== base.title ? form.title : undefined,
        body: form.body !== base.body ? form.body : undefined,
        slug: slug && slug !== base.slug ? slug : undefined,
      }
    : null;
  const dirty = changes
    ? Object.values(changes).some((value) => value !== undefined)
    : Boolean(form.title.trim() || form.body.trim() || slug);

  // A newer version loaded while nothing is typed here (our own save, or someone else's): show it.
  useEffect(() => {
    if (!article || !base || article.articleId !== base.articleId) return;
    if (article.version >= base.version && article !== base && !dirty) {
      setBase(article);
      setForm(formOf(article));
    }
  }, [article, base, dirty]);

  // Leaving with unsaved text asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const fieldErrors = fieldErrorsOf(error);
  const slugTaken = apiErrorData(error)?.domainCode === 'article.slug_taken';
  const errors = {
    title: fieldErrors.title,
    body: fieldErrors.body,
    slug: slugTaken ? ['Another article already uses this slug. Choose another.'] : fieldErrors.slug,
  };
  const conflict = conflictOf(error);

  /** Saves what is typed; answers the article as saved (with its new version). */
  const save = async (): Promise<Article> => {
    if (!base) {
      const result = await draft.mutateAsync({
        title: form.title,
        body: form.body,
        slug: slug || undefined,
        commandId: draftCommandId,
      });
      recordWrite(result);
      const now = new Date();
      return {
        articleId: result.articleId,
        slug: result.slug,
        title: form.title.trim(),
        body: form.body,
        status: 'draft',
        publishedAt: null,
        version: result.version,
        createdAt: now,
        updatedAt: now,
      };
    }
    if (!dirty || !changes) return base;
    const result = await edit.mutateAsync({ articleId: base.articleId, ...changes, expectedVersion: base.version });
    recordWrite(result);
    const saved: Article = {
      ...base,
      title: changes.title !== undefined ? form.title.trim() : base.title,
      body: form.body,
      slug: changes.slug ?? base.slug,
      version: result.version,
      updatedAt: new Date(),
    };
    setBase(saved);
    setForm(formOf(saved));
    return saved;
  };

  const run = async (what: Exclude<Busy, null>, action: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  };

  const onSave = () =>
    run('save', async () => {
      const saved = await save();
      toast(base ? 'Changes saved' : 'Draft saved');
      if (!base) router.replace(`/articles/${saved.articleId}`);
    });

  const onPublish = () =>
    run('publish', async () => {
      const saved = await save();
      const result = await publish.mutateAsync({ articleId: saved.articleId, expectedVersion: saved.version });
      recordWrite(result);
      setBase({ ...saved, status: 'published', publishedAt: new Date(), version: result.version });
      toast('Published: it is now in search, the feed and the sitemap');
      if (!base) router.replace(`/articles/${saved.articleId}`);
    });

  const onUnpublish = () =>
    run('unpublish', async () => {
      if (!base) return;
      const result = await unpublish.mutateAsync({ articleId: base.articleId, expectedVersion: base.version });
      recordWrite(result);
      setBase({ ...base, status: 'draft', version: result.version });
      toast('Unpublished: it is a draft again, gone from search, the feed and the sitemap');
    });

  const onReload = () =>
    run('reload', async () => {
      if (!base) return;
      const fresh = await queryClient.fetchQuery({
        ...trpc.articles.byId.queryOptions({ articleId: base.articleId, minPosition }),
        staleTime: 0,
      });
      setKept({ form, base: formOf(base) });
      setBase(fresh);
      setForm(formOf(fresh));
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSave();
  };
  // Ctrl+S / ⌘S saves, as in any editor.
  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (dirty && !busy) void onSave();
    }
  };

  const published = base?.status === 'published';
  const bodyLength = form.body.length;

  return (
    <>
      {backToArticles}
      <PageHeader
        title={base ? base.title : 'New article'}
        description={
          base ? (
            <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <ArticleStatusBadge status={base.status} />
              <span>version {base.version}</span>
              <span aria-hidden="true">·</span>
              <span className="font-mono break-all">/{base.slug}</span>
              {published && base.publishedAt ? (
                <>
                  <span aria-hidden="true">·</span>
                  <span>
                    published <Timestamp date={base.publishedAt} compact />
                  </span>
                </>
              ) : null}
            </span>
          ) : (
            'It is saved as a draft: nobody outside the admin sees it until you publish it.'
          )
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Write"
            description={
              published
                ? 'This article is published: saved changes go live at once.'
                : 'Plain text. Separate paragraphs with a blank line.'
            }
          />
          <form onSubmit={submit} onKeyDown={onKeyDown} className="flex flex-col gap-4 p-4 sm:px-5" noValidate>
            <TextField
              label="Title"
              required
              autoFocus={!base}
              maxLength={limits.maxTitle}
              autoComplete="off"
              errors={errors.title}
              value={form.title}
              onChange={(e) => setForm({ ...form, title: e.target.value })}
            />
            <TextField
              label="Slug (optional)"
              autoComplete="off"
              maxLength={limits.maxSlug}
              placeholder={base ? base.slug : 'made-from-the-title'}
              hint={
                base
                  ? 'The article’s address. Changing it changes its link in the feed and the sitemap.'
                  : 'The article’s address. Leave it empty to make one from the title.'
              }
              errors={errors.slug}
              value={form.slug}
              onChange={(e) => setForm({ ...form, slug: e.target.value })}
            />
            <TextAreaField
              label="Body"
              rows={14}
              maxLength={limits.maxBody}
              hint={`${formatCount(bodyLength)} of ${formatCount(limits.maxBody)} characters.`}
              errors={errors.body}
              value={form.body}
              onChange={(e) => setForm({ ...form, body: e.target.value })}
            />
            <div aria-live="polite" className="flex flex-col gap-3 empty:hidden">
              {conflict ? (
                <ConflictNotice subject="article" conflict={conflict} onReload={() => void onReload()}>
                  Reload to see their change; what you typed is kept beside it, so nothing is lost.
                </ConflictNotice>
              ) : error && !slugTaken ? (
                <FormError error={error} />
              ) : null}
              {kept ? (
                <KeptText
                  kept={kept.form}
                  onUse={() => {
                    // Each field changed here goes on top of the saved article; the others stay theirs.
                    const mine = (field: keyof ArticleForm) =>
                      kept.form[field] !== kept.base[field] ? kept.form[field] : form[field];
                    setForm({ title: mine('title'), body: mine('body'), slug: mine('slug') });
                    setKept(null);
                  }}
                  onDiscard={() => setKept(null)}
                />
              ) : null}
            </div>
            <div className="flex flex-wrap items-center justify-end gap-2 border-t border-zinc-200 pt-4">
              {dirty ? <span className="mr-auto text-xs text-zinc-600">Unsaved changes</span> : null}
              {published ? (
                <Button onClick={() => void onUnpublish()} busy={busy === 'unpublish'} disabled={busy !== null}>
                  Unpublish
                </Button>
              ) : (
                <Button
                  onClick={() => void onPublish()}
                  busy={busy === 'publish'}
                  disabled={busy !== null || !form.title.trim()}
                >
                  {dirty ? 'Save and publish' : 'Publish'}
                </Button>
              )}
              <Button
                type="submit"
                variant="primary"
                busy={busy === 'save'}
                disabled={busy !== null || !dirty || !form.title.trim()}
              >
                {published ? 'Save changes' : 'Save draft'}
              </Button>
            </div>
          </form>
        </Card>
        <ArticlePreview title={form.title} body={form.body} />
      </div>
    </>
  );
}

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

function KeptText({ kept, onUse, onDiscard }: { kept: ArticleForm; onUse: () => void; onDiscard: () => void }) {
  return (
    <Notice
      tone="info"
      title="Your unsaved text"
      action={
        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={onUse}>
            Apply my changes again
          </Button>
          <Button size="sm" variant="ghost" onClick={onDiscard}>
            Discard it
          </Button>
        </div>
      }
    >
      <p>The form now shows the article as saved. Apply your changes on top of it, or copy from what you had typed:</p>
      <details className="mt-2">
        <summary className="cursor-pointer font-medium">Show your text</summary>
        <p className="mt-2 font-medium break-words">{kept.title}</p>
        <pre className="mt-1 max-h-48 overflow-auto font-sans text-sm whitespace-pre-wrap">{kept.body}</pre>
      </details>
    </Notice>
  );
}
