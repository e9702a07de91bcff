'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { newCommandId } from '../../../api/command-id';
import { apiErrorData, conflictOf } from '../../../api/errors';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type Article, useTRPC } from '../../../api/trpc';
import { showServerErrors, useSchemaForm } from '../../../ui/form/use-schema-form';
import { useToast } from '../../../ui/toast';
import { type ArticleForm, articleFormSchema, formOf } from './article-form';

export type Busy = 'save' | 'publish' | 'unpublish' | 'reload' | null;

const slugTakenMessage = 'Another article already uses this slug. Choose another.';

/**
 * The editor's state and what its buttons do. A new article is saved as a draft; an existing one
 * is edited from the version it was loaded at (a change saved meanwhile is a conflict, and the
 * text typed here is `kept`). Publishing saves pending changes first.
 */
export function useArticleEditor(article: Article | null) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { recordWrite, minPosition } = useReadYourWrites();
  const [base, setBase] = useState<Article | null>(article);
  const fields = useSchemaForm(articleFormSchema, formOf(article));
  const form = fields.watch() as ArticleForm;
  const setForm = (next: ArticleForm) => fields.reset(next);
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
      fields.reset(formOf(article));
    }
  }, [article, base, dirty, fields.reset]);

  // Leaving with unsaved text asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

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

  /** Runs one action at a time; what is typed must pass the domain's rules before anything is sent. */
  const run = async (what: Exclude<Busy, null>, action: () => Promise<void>, check = true) => {
    if (check && !(await fields.trigger())) return;
    setBusy(what);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
      if (apiErrorData(failure)?.domainCode === 'article.slug_taken')
        fields.setError('slug', { type: 'server', message: slugTakenMessage }, { shouldFocus: true });
      else showServerErrors(fields, failure);
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
    run(
      'unpublish',
      async () => {
        if (!base) return;
        const result = await unpublish.mutateAsync({ articleId: base.articleId, expectedVersion: base.version });
        recordWrite(result);
        setBase({ ...base, status: 'draft', version: result.version });
        toast('Unpublished: it is a draft again, gone from search, the feed and the sitemap');
      },
      false,
    );

  const onReload = () =>
    run(
      'reload',
      async () => {
        if (!base) return;
        const fresh = await queryClient.fetchQuery({
          ...trpc.articles.byId.queryOptions({ articleId: base.articleId, minPosition }),
          staleTime: 0,
        });
        setKept({ form, base: formOf(base) });
        setBase(fresh);
        setForm(formOf(fresh));
      },
      false,
    );

  /** Each field changed here before the reload goes on top of the saved article; the others stay theirs. */
  const applyKept = () => {
    if (!kept) return;
    const mine = (field: keyof ArticleForm) => (kept.form[field] !== kept.base[field] ? kept.form[field] : form[field]);
    setForm({ title: mine('title'), body: mine('body'), slug: mine('slug') });
    setKept(null);
  };

  return {
    base,
    fields,
    form,
    dirty,
    busy,
    error,
    conflict: conflictOf(error),
    slugTaken: apiErrorData(error)?.domainCode === 'article.slug_taken',
    kept: kept?.form ?? null,
    applyKept,
    discardKept: () => setKept(null),
    onSave,
    onPublish,
    onUnpublish,
    onReload,
  };
}
