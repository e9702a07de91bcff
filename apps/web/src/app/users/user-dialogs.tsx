'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { newCommandId } from '../../api/command-id';
import { fieldErrorsOf } from '../../api/errors';
import { useReadYourWrites } from '../../api/read-your-writes';
import { type Role, type UserRow, useTRPC } from '../../api/trpc';
import { TextField } from '../../ui/field';
import { FormDialog } from '../../ui/form-dialog';
import { useToast } from '../../ui/toast';
import { useCloseAfterWrite } from '../../ui/use-close-after-write';
import { useUserBase } from './use-user-base';
import { UserFields } from './user-fields';

export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const [commandId] = useState(newCommandId);
  const [form, setForm] = useState({ name: '', email: '', role: 'viewer' as Role, password: '' });
  const create = useMutation(trpc.users.create.mutationOptions());
  const errors = fieldErrorsOf(create.error);

  return (
    <FormDialog
      title="New user"
      description="They sign in with this email and password."
      onClose={onClose}
      onSubmit={() =>
        create.mutate(
          { ...form, commandId },
          { onSuccess: (result) => closeAfterWrite(result, `Created ${form.name.trim()}`) },
        )
      }
      submitLabel="Create user"
      busy={create.isPending}
      error={create.error}
    >
      <UserFields form={form} errors={errors} onChange={setForm} />
      <TextField
        label="Password"
        name="password"
        type="password"
        required
        minLength={10}
        autoComplete="new-password"
        hint="At least 10 characters. Share it with them privately."
        errors={errors.password}
        value={form.password}
        onChange={(e) => setForm({ ...form, password: e.target.value })}
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
  const [form, setForm] = useState({ name: user.name, email: user.email, role: user.role });
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const rename = useMutation(trpc.users.rename.mutationOptions());
  const changeEmail = useMutation(trpc.users.changeEmail.mutationOptions());
  const changeRole = useMutation(trpc.users.changeRole.mutationOptions());

  const changed = {
    name: form.name.trim() !== base.name,
    email: form.email.trim() !== base.email,
    role: form.role !== base.role,
  };
  const anyChange = changed.name || changed.email || changed.role;

  const submit = async () => {
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
      if (changed.name)
        await step(() => rename.mutateAsync({ userId, name: form.name, expectedVersion: version }), 'name');
      if (changed.email)
        await step(() => changeEmail.mutateAsync({ userId, email: form.email, expectedVersion: version }), 'email');
      if (changed.role)
        await step(() => changeRole.mutateAsync({ userId, role: form.role, expectedVersion: version }), 'role');
      toast(`Saved ${saved.join(', ')} of ${form.name.trim()}`);
      onClose();
    } catch (failure) {
      // What was saved before the failure stays saved; the form continues from there.
      if (saved.length > 0)
        setBase({
          ...base,
          version,
          name: saved.includes('name') ? form.name.trim() : base.name,
          email: saved.includes('email') ? form.email.trim() : base.email,
        });
      setError(failure);
    } finally {
      setSaving(false);
    }
  };

  const reloadAndReset = async () => {
    const fresh = await reload();
    if (fresh) {
      setForm({ name: fresh.name, email: fresh.email, role: fresh.role });
      setError(null);
    }
  };

  return (
    <FormDialog
      title={`Edit ${base.name}`}
      description={`Version ${base.version}`}
      onClose={onClose}
      onSubmit={() => void submit()}
      submitLabel="Save changes"
      busy={saving || reloading}
      submitDisabled={!anyChange}
      error={error}
      subject="user"
      onReload={() => void reloadAndReset()}
    >
      <UserFields form={form} errors={fieldErrorsOf(error)} onChange={setForm} />
    </FormDialog>
  );
}

export function PasswordDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const { base, reload, reloading } = useUserBase(user);
  const [password, setPassword] = useState('');
  const changePassword = useMutation(trpc.users.changePassword.mutationOptions());

  return (
    <FormDialog
      title={`New password for ${base.name}`}
      description="Their current sessions stay signed in."
      onClose={onClose}
      onSubmit={() =>
        changePassword.mutate(
          { userId: base.userId, password, expectedVersion: base.version },
          { onSuccess: (result) => closeAfterWrite(result, `Password changed for ${base.name}`) },
        )
      }
      submitLabel="Change password"
      busy={changePassword.isPending || reloading}
      error={changePassword.error}
      subject="user"
      onReload={() => void reload().then((fresh) => fresh && changePassword.reset())}
    >
      <TextField
        label="New password"
        name="password"
        type="password"
        required
        minLength={10}
        autoFocus
        autoComplete="new-password"
        hint="At least 10 characters."
        errors={fieldErrorsOf(changePassword.error).password}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
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
