'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type ChangeEvent, useState } from 'react';
import { useApiUrl } from '../../../api/api-url';
import { apiErrorData, describeApiError, fieldErrorsOf } from '../../../api/errors';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { useTRPC } from '../../../api/trpc';
import { useSession } from '../../../session/session';
import { Button, ButtonLink } from '../../../ui/button';
import { TextField } from '../../../ui/field';
import { ErrorState, LoadingState, Notice } from '../../../ui/states';

/** While no admin exists: the one-time password the api printed, then the first admin's details. */
export function FirstRunForm() {
  const trpc = useTRPC();
  const apiUrl = useApiUrl();
  const router = useRouter();
  const { signIn } = useSession();
  const { recordWrite } = useReadYourWrites();
  const status = useQuery(trpc.auth.status.queryOptions());
  const bootstrap = useMutation(trpc.auth.bootstrapAdmin.mutationOptions());
  const [form, setForm] = useState({ oneTimePassword: '', name: '', email: '', password: '' });
  const set = (field: keyof typeof form) => (event: ChangeEvent<HTMLInputElement>) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));

  if (status.isPending) return <LoadingState />;
  if (status.isError)
    return <ErrorState title="The api is not answering" error={status.error} onRetry={() => void status.refetch()} />;
  if (!status.data.needsBootstrap && !bootstrap.isSuccess) {
    return (
      <div className="flex flex-col gap-3">
        <h1 className="text-lg font-semibold">Strata is set up</h1>
        <p className="text-sm text-zinc-600">An admin exists already, so the first run is over. Sign in instead.</p>
        <ButtonLink href="/sign-in" variant="primary">
          Go to sign in
        </ButtonLink>
      </div>
    );
  }

  const errors = { ...fieldErrorsOf(bootstrap.error) };
  const domainCode = apiErrorData(bootstrap.error)?.domainCode;
  if (domainCode === 'identity.bootstrap_password_invalid') {
    errors.oneTimePassword = [
      'This one-time password is wrong, expired or used already. Restart the api to print a new one.',
    ];
  }
  const hasFieldErrors = Object.keys(errors).length > 0;

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        bootstrap.mutate(form, {
          onSuccess: (result) => {
            signIn(result.user);
            recordWrite(result);
            router.replace('/users');
          },
        });
      }}
    >
      <div>
        <h1 className="text-lg font-semibold">Welcome to Strata</h1>
        <p className="mt-1 text-sm text-zinc-600">
          No admin exists yet. Create the first one with the one-time password the api printed when it started.
        </p>
      </div>
      {bootstrap.error && !hasFieldErrors ? (
        <Notice tone="error">{describeApiError(bootstrap.error, apiUrl)}</Notice>
      ) : null}
      <TextField
        label="One-time password"
        name="oneTimePassword"
        autoComplete="one-time-code"
        spellCheck={false}
        required
        autoFocus
        className="font-mono"
        hint="In the api's output, under “One-time password for the first admin”. Valid for 15 minutes, once."
        errors={errors.oneTimePassword}
        value={form.oneTimePassword}
        onChange={set('oneTimePassword')}
      />
      <TextField
        label="Your name"
        name="name"
        autoComplete="name"
        required
        errors={errors.name}
        value={form.name}
        onChange={set('name')}
      />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        errors={errors.email}
        value={form.email}
        onChange={set('email')}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters."
        errors={errors.password}
        value={form.password}
        onChange={set('password')}
      />
      <Button type="submit" variant="primary" busy={bootstrap.isPending || bootstrap.isSuccess}>
        Create admin and sign in
      </Button>
    </form>
  );
}
