'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useApiUrl } from '../../../api/api-url';
import { describeApiError } from '../../../api/errors';
import { useTRPC } from '../../../api/trpc';
import { useSession } from '../../../session/session';
import { Button } from '../../../ui/button';
import { TextField } from '../../../ui/field';
import { LoadingState, Notice } from '../../../ui/states';

export function SignInForm({ next }: { next: string }) {
  const trpc = useTRPC();
  const apiUrl = useApiUrl();
  const router = useRouter();
  const { session, signIn } = useSession();
  const status = useQuery(trpc.auth.status.queryOptions());
  const login = useMutation(trpc.auth.login.mutationOptions());
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const needsBootstrap = status.data?.needsBootstrap === true;
  useEffect(() => {
    if (needsBootstrap) router.replace('/setup');
    else if (session.status === 'signed-in') router.replace(next);
  }, [needsBootstrap, session.status, next, router]);

  if (needsBootstrap || session.status === 'signed-in' || session.status === 'loading') return <LoadingState />;

  const failure = login.error ? describeApiError(login.error, apiUrl) : null;

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        login.mutate(
          { email, password },
          {
            onSuccess: (result) => signIn(result.user),
          },
        );
      }}
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
        name="email"
        autoComplete="username"
        required
        autoFocus
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
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
