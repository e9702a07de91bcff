'use client';

import { normaliseEmail } from '@strata/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { newCommandId } from '../../../../api/command-id';
import { apiErrorData } from '../../../../api/errors';
import { type UserRow, useTRPC } from '../../../../api/trpc';
import { useSignedInUser } from '../../../../session/session';
import { displayName } from '../../../../ui/erased';
import { TextField } from '../../../../ui/field';
import { useSchemaForm } from '../../../../ui/form/use-schema-form';
import { FormDialog } from '../../../../ui/form-dialog';
import { useCloseAfterWrite } from '../../../../ui/use-close-after-write';
import { useUserBase } from '../use-user-base';

const confirmSchema = z.object({ confirmEmail: z.string() });

/** The domain's refusals of `users.forget`, in this dialog's words. */
function describeRefusal(error: unknown, name: string) {
  switch (apiErrorData(error)?.domainCode) {
    case 'user.last_admin':
      return `${name} is the last active admin, so they cannot be forgotten: Strata always keeps one admin who can sign in. Make another user an admin first, then forget ${name}.`;
    case 'user.forgotten':
      return 'This person was already forgotten: their personal data is erased.';
    case 'user.not_found':
      return 'There is no such user any more.';
    default:
      return null;
  }
}

/**
 * Crypto-shredding one person: says plainly what is erased for good and what stays, asks for their
 * email typed out, then forgets them at the version this page loaded.
 */
export function ForgetUserDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const trpc = useTRPC();
  const { user: me } = useSignedInUser();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const { base, reload, reloading } = useUserBase(user);
  const [commandId] = useState(newCommandId);
  const form = useSchemaForm(confirmSchema, { confirmEmail: '' });
  const forget = useMutation(trpc.users.forget.mutationOptions());
  const typed = form.watch('confirmEmail') ?? '';
  const confirmed = normaliseEmail(typed) === normaliseEmail(base.email);

  return (
    <FormDialog
      title={`Forget ${displayName(base.name)}?`}
      description="This cannot be undone."
      onClose={onClose}
      onSubmit={form.handleSubmit(() =>
        forget.mutate(
          { userId: base.userId, expectedVersion: base.version, commandId },
          { onSuccess: (result) => closeAfterWrite(result, 'Forgotten: their name, email and password are erased') },
        ),
      )}
      submitLabel="Forget for good"
      submitVariant="danger"
      submitDisabled={!confirmed}
      busy={forget.isPending || reloading}
      error={forget.error}
      describeError={(error) => describeRefusal(error, base.name)}
      subject="user"
      onReload={() => void reload().then((fresh) => fresh && forget.reset())}
    >
      <div className="flex flex-col gap-3 text-sm text-zinc-700">
        <div>
          <p className="font-medium text-zinc-900">Erased for good, from every event and every screen:</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            <li>
              their name (<span className="font-medium [overflow-wrap:anywhere] text-zinc-900">{base.name}</span>) and
              email (<span className="font-medium [overflow-wrap:anywhere] text-zinc-900">{base.email}</span>)
            </li>
            <li>their password: they can never sign in again</li>
          </ul>
          <p className="mt-1">Their email becomes free: a new account may use it.</p>
        </div>
        <div>
          <p className="font-medium text-zinc-900">What stays:</p>
          <p>
            That things happened, when and by whom: their history, the event log and time travel keep every event, with
            their name and email shown as erased.
          </p>
        </div>
        {me.userId === base.userId ? (
          <p className="font-medium text-red-800">This is you: you are signed out at once and cannot sign in again.</p>
        ) : null}
      </div>
      <TextField
        label="Type their email to confirm"
        autoComplete="off"
        spellCheck={false}
        autoFocus
        hint={
          <>
            Type <span className="font-mono break-all">{base.email}</span>
          </>
        }
        {...form.register('confirmEmail')}
      />
    </FormDialog>
  );
}
