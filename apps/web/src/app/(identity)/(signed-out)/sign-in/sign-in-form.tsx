'use client';

import { loginInput } from '@strata/domain';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useApiUrl } from '../../../../api/api-url';
import { describeApiError, fieldErrorsOf } from '../../../../api/errors';
import { useTRPC } from '../../../../api/trpc';
import { useSession } from '../../../../session/session';
import { Button } from '../../../../ui/button';
import { TextField } from '../../../../ui/field';
import { messagesOf, showServerErrors, useSchemaForm } from '../../../../ui/form/use-schema-form';
import { LoadingState, Notice } from '../../../../ui/states';

export function SignInForm({ next }: { next: string }) {
  const trpc = useTRPC();
  const apiUrl = useApiUrl();
  const router = useRouter();
  const { session, signIn } = useSession();
  const status = useQuery(trpc.auth.status.queryOptions());
  const login = useMutation(trpc.auth.login.mutationOptions());
  const form = useSchemaForm(loginInput, { email: '', password: '' });
  const { errors } = form.formState;

  const needsBootstrap = status.data?.needsBootstrap === true;
  useEffect(() => {
    if (needsBootstrap) router.replace('/setup');
    else if (session.status === 'signed-in') router.replace(next);
  }, [needsBootstrap, session.status, next, router]);

  if (needsBootstrap || session.status === 'signed-in' || session.status === 'loading') return <LoadingState />;

  // Field errors show under their fields; anything else (wrong credentials, throttling) above them.
  const failure =
    login.error && Object.keys(fieldErrorsOf(login.error)).length === 0 ? describeApiError(login.error, apiUrl) : null;

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit((values) =>
        login.mutate(values, {
          onSuccess: (result) => signIn(result.user),
          onError: (error) => showServerErrors(form, error),
        }),
      )}
    >
      <div>
        <h1 className="text-lg font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-zinc-600">Use the email and password an admin gave you.</p>
      </div>
      {status.isError ? (
        <Notice tone="warning" title="The api is not answering">
          {describeApiError(status.error, apiUrl)}
        </Notice>
      ) : null}
      {failure ? <Notice tone="error">{failure}</Notice> : null}
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        errors={messagesOf(errors, 'email')}
        {...form.register('email')}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        errors={messagesOf(errors, 'password')}
        {...form.register('password')}
      />
      <Button type="submit" variant="primary" busy={login.isPending || login.isSuccess}>
        Sign in
      </Button>
      <p className="text-xs text-zinc-600">
        Setting up a new Strata? The{' '}
        <Link href="/setup" className="font-medium text-indigo-700 underline">
          first run
        </Link>{' '}
        asks for the one-time password the api printed.
      </p>
    </form>
  );
}
