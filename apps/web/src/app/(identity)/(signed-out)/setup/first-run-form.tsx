'use client';

import { bootstrapAdminInput } from '@strata/domain';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useApiUrl } from '../../../../api/api-url';
import { apiErrorData, describeApiError, fieldErrorsOf } from '../../../../api/errors';
import { useReadYourWrites } from '../../../../api/read-your-writes';
import { useTRPC } from '../../../../api/trpc';
import { useSession } from '../../../../session/session';
import { Button, ButtonLink } from '../../../../ui/button';
import { TextField } from '../../../../ui/field';
import { messagesOf, showServerErrors, useSchemaForm } from '../../../../ui/form/use-schema-form';
import { ErrorState, LoadingState, Notice } from '../../../../ui/states';

/** While no admin exists: the one-time password the api printed, then the first admin's details. */
export function FirstRunForm() {
  const trpc = useTRPC();
  const apiUrl = useApiUrl();
  const router = useRouter();
  const { signIn } = useSession();
  const { recordWrite } = useReadYourWrites();
  const status = useQuery(trpc.auth.status.queryOptions());
  const bootstrap = useMutation(trpc.auth.bootstrapAdmin.mutationOptions());
  const form = useSchemaForm(bootstrapAdminInput, { oneTimePassword: '', name: '', email: '', password: '' });
  const { errors } = form.formState;

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

  // Field errors and a refused one-time password show under their fields; anything else above them.
  const shownByFields =
    Object.keys(fieldErrorsOf(bootstrap.error)).length > 0 ||
    apiErrorData(bootstrap.error)?.domainCode === 'identity.bootstrap_password_invalid';

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit((values) =>
        bootstrap.mutate(values, {
          onSuccess: (result) => {
            signIn(result.user);
            recordWrite(result);
            router.replace('/users');
          },
          onError: (error) => {
            if (apiErrorData(error)?.domainCode === 'identity.bootstrap_password_invalid') {
              form.setError(
                'oneTimePassword',
                {
                  type: 'server',
                  message:
                    'This one-time password is wrong, expired or used already. Restart the api to print a new one.',
                },
                { shouldFocus: true },
              );
            } else showServerErrors(form, error);
          },
        }),
      )}
    >
      <div>
        <h1 className="text-lg font-semibold">Welcome to Strata</h1>
        <p className="mt-1 text-sm text-zinc-600">
          No admin exists yet. Create the first one with the one-time password the api printed when it started.
        </p>
      </div>
      {bootstrap.error && !shownByFields ? (
        <Notice tone="error">{describeApiError(bootstrap.error, apiUrl)}</Notice>
      ) : null}
      <TextField
        label="One-time password"
        autoComplete="one-time-code"
        spellCheck={false}
        required
        autoFocus
        className="font-mono"
        hint="In the api's output, under “One-time password for the first admin”. Valid for 15 minutes, once."
        errors={messagesOf(errors, 'oneTimePassword')}
        {...form.register('oneTimePassword')}
      />
      <TextField
        label="Your name"
        autoComplete="name"
        required
        errors={messagesOf(errors, 'name')}
        {...form.register('name')}
      />
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        required
        errors={messagesOf(errors, 'email')}
        {...form.register('email')}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters."
        errors={messagesOf(errors, 'password')}
        {...form.register('password')}
      />
      <Button type="submit" variant="primary" busy={bootstrap.isPending || bootstrap.isSuccess}>
        Create admin and sign in
      </Button>
    </form>
  );
}
