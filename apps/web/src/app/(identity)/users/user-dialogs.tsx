'use client';

import { changePasswordInput, createUserInput } from '@strata/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { newCommandId } from '../../../api/command-id';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type UserRow, useTRPC } from '../../../api/trpc';
import { TextField } from '../../../ui/field';
import { messagesOf, showServerErrors, useSchemaForm } from '../../../ui/form/use-schema-form';
import { FormDialog } from '../../../ui/form-dialog';
import { useToast } from '../../../ui/toast';
import { useCloseAfterWrite } from '../../../ui/use-close-after-write';
import { useUserBase } from './use-user-base';
import { UserFields, type UserIdentity } from './user-fields';

const newUserSchema = createUserInput.pick({ name: true, email: true, role: true, password: true });
const userIdentitySchema = createUserInput.pick({ name: true, email: true, role: true });
const newPasswordSchema = changePasswordInput.pick({ password: true });

export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const [commandId] = useState(newCommandId);
  const form = useSchemaForm(newUserSchema, { name: '', email: '', role: 'viewer', password: '' });
  const create = useMutation(trpc.users.create.mutationOptions());

  return (
    <FormDialog
      title="New user"
      description="They sign in with this email and password."
      onClose={onClose}
      onSubmit={form.handleSubmit((values) =>
        create.mutate(
          { ...values, commandId },
          {
            onSuccess: (result) => closeAfterWrite(result, `Created ${values.name}`),
            onError: (error) => showServerErrors(form, error),
          },
        ),
      )}
      submitLabel="Create user"
      busy={create.isPending}
      error={create.error}
    >
      <UserFields form={form} />
      <TextField
        label="Password"
        type="password"
        required
        minLength={10}
        autoComplete="new-password"
        hint="At least 10 characters. Share it with them privately."
        errors={messagesOf(form.formState.errors, 'password')}
        {...form.register('password')}
      />
    </FormDialog>
  );
}

/** Name, email and role: each changed field is one command, each based on the version before it. */
export function EditUserDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const { recordWrite } = useReadYourWrites();
  const { base, setBase, reload, reloading } = useUserBase(user);
  const form = useSchemaForm(userIdentitySchema, { name: user.name, email: user.email, role: user.role });
  const typed = form.watch();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const rename = useMutation(trpc.users.rename.mutationOptions());
  const changeEmail = useMutation(trpc.users.changeEmail.mutationOptions());
  const changeRole = useMutation(trpc.users.changeRole.mutationOptions());

  const changed = (values: Partial<UserIdentity>) => ({
    name: values.name?.trim() !== base.name,
    email: values.email?.trim() !== base.email,
    role: values.role !== base.role,
  });
  const typedChanges = changed(typed);
  const anyChange = typedChanges.name || typedChanges.email || typedChanges.role;

  const submit = async (values: UserIdentity) => {
    const changes = changed(values);
    setSaving(true);
    setError(null);
    let version = base.version;
    const saved: string[] = [];
    const step = async (run: () => Promise<{ version: number; position: number }>, label: string) => {
      const result = await run();
      version = result.version;
      recordWrite(result);
      saved.push(label);
    };
    try {
      const { userId } = base;
      if (changes.name)
        await step(() => rename.mutateAsync({ userId, name: values.name, expectedVersion: version }), 'name');
      if (changes.email)
        await step(() => changeEmail.mutateAsync({ userId, email: values.email, expectedVersion: version }), 'email');
      if (changes.role)
        await step(() => changeRole.mutateAsync({ userId, role: values.role, expectedVersion: version }), 'role');
      toast(`Saved ${saved.join(', ')} of ${values.name}`);
      onClose();
    } catch (failure) {
      // What was saved before the failure stays saved; the form continues from there.
      if (saved.length > 0)
        setBase({
          ...base,
          version,
          name: saved.includes('name') ? values.name : base.name,
          email: saved.includes('email') ? values.email : base.email,
        });
      setError(failure);
      showServerErrors(form, failure);
    } finally {
      setSaving(false);
    }
  };

  const reloadAndReset = async () => {
    const fresh = await reload();
    if (fresh) {
      form.reset({ name: fresh.name, email: fresh.email, role: fresh.role });
      setError(null);
    }
  };

  return (
    <FormDialog
      title={`Edit ${base.name}`}
      description={`Version ${base.version}`}
      onClose={onClose}
      onSubmit={form.handleSubmit(submit)}
      submitLabel="Save changes"
      busy={saving || reloading}
      submitDisabled={!anyChange}
      error={error}
      subject="user"
      onReload={() => void reloadAndReset()}
    >
      <UserFields form={form} />
    </FormDialog>
  );
}

export function PasswordDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const { base, reload, reloading } = useUserBase(user);
  const form = useSchemaForm(newPasswordSchema, { password: '' });
  const changePassword = useMutation(trpc.users.changePassword.mutationOptions());

  return (
    <FormDialog
      title={`New password for ${base.name}`}
      description="Their current sessions stay signed in."
      onClose={onClose}
      onSubmit={form.handleSubmit(({ password }) =>
        changePassword.mutate(
          { userId: base.userId, password, expectedVersion: base.version },
          {
            onSuccess: (result) => closeAfterWrite(result, `Password changed for ${base.name}`),
            onError: (error) => showServerErrors(form, error),
          },
        ),
      )}
      submitLabel="Change password"
      busy={changePassword.isPending || reloading}
      error={changePassword.error}
      subject="user"
      onReload={() => void reload().then((fresh) => fresh && changePassword.reset())}
    >
      <TextField
        label="New password"
        type="password"
        required
        minLength={10}
        autoFocus
        autoComplete="new-password"
        hint="At least 10 characters."
        errors={messagesOf(form.formState.errors, 'password')}
        {...form.register('password')}
      />
    </FormDialog>
  );
}

export function StatusDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const { base, reload, reloading } = useUserBase(user);
  const deactivate = useMutation(trpc.users.deactivate.mutationOptions());
  const reactivate = useMutation(trpc.users.reactivate.mutationOptions());
  const active = base.status === 'active';
  const mutation = active ? deactivate : reactivate;

  return (
    <FormDialog
      title={`${active ? 'Deactivate' : 'Reactivate'} ${base.name}?`}
      onClose={onClose}
      onSubmit={() =>
        mutation.mutate(
          { userId: base.userId, expectedVersion: base.version },
          { onSuccess: (result) => closeAfterWrite(result, `${base.name} ${active ? 'deactivated' : 'reactivated'}`) },
        )
      }
      submitLabel={active ? 'Deactivate' : 'Reactivate'}
      submitVariant={active ? 'danger' : 'primary'}
      busy={mutation.isPending || reloading}
      error={mutation.error}
      subject="user"
      onReload={() => void reload().then((fresh) => fresh && mutation.reset())}
    >
      <p className="text-sm text-zinc-700">
        {active
          ? 'They are signed out everywhere and cannot sign in until an admin reactivates them. Their history stays.'
          : 'They can sign in again with their current password.'}
      </p>
    </FormDialog>
  );
}
