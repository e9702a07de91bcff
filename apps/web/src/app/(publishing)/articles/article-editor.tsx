'use client';

import { articleLimits } from '@strata/client';
import type { FormEvent, KeyboardEvent } from 'react';
import type { Article } from '../../../api/trpc';
import { Button } from '../../../ui/button';
import { TextAreaField, TextField } from '../../../ui/field';
import { messagesOf } from '../../../ui/form/use-schema-form';
import { ConflictNotice, FormError } from '../../../ui/form-error';
import { formatCount } from '../../../ui/money';
import { Card, CardHeader, PageHeader } from '../../../ui/states';
import { Timestamp } from '../../../ui/time';
import { ArticlePreview, backToArticles } from './article-preview';
import { ArticleStatusBadge } from './article-text';
import { KeptText } from './kept-text';
import { useArticleEditor } from './use-article-editor';

export { ArticlePreview, backToArticles } from './article-preview';

/** The article limits the api enforces. */
const limits = articleLimits;

/**
 * Title, body and slug with a live preview, each field checked by the domain's rules as it is
 * typed. A new article is saved as a draft; an existing one is edited from the version it was
 * loaded at (a change saved meanwhile is a conflict, and the text typed here is kept). Publishing
 * saves pending changes first.
 */
export function ArticleEditor({ article }: { article: Article | null }) {
  const {
    base,
    fields,
    form,
    dirty,
    busy,
    error,
    conflict,
    slugTaken,
    kept,
    applyKept,
    discardKept,
    onSave,
    onPublish,
    onUnpublish,
    onReload,
  } = useArticleEditor(article);
  const { errors } = fields.formState;

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
              errors={messagesOf(errors, 'title')}
              {...fields.register('title')}
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
              errors={messagesOf(errors, 'slug')}
              {...fields.register('slug')}
            />
            <TextAreaField
              label="Body"
              rows={14}
              maxLength={limits.maxBody}
              hint={`${formatCount(bodyLength)} of ${formatCount(limits.maxBody)} characters.`}
              errors={messagesOf(errors, 'body')}
              {...fields.register('body')}
            />
            <div aria-live="polite" className="flex flex-col gap-3 empty:hidden">
              {conflict ? (
                <ConflictNotice subject="article" conflict={conflict} onReload={() => void onReload()}>
                  Reload to see their change; what you typed is kept beside it, so nothing is lost.
                </ConflictNotice>
              ) : error && !slugTaken ? (
                <FormError error={error} />
              ) : null}
              {kept ? <KeptText kept={kept} onUse={applyKept} onDiscard={discardKept} /> : null}
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
