'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { newCommandId } from '../../api/command-id';
import { fieldErrorsOf } from '../../api/errors';
import { useReadYourWrites } from '../../api/read-your-writes';
import { type Role, type UserRow, useTRPC } from '../../api/trpc';
import { Button } from '../../ui/button';
import { Dialog, DialogActions } from '../../ui/dialog';
import { SelectField, TextField } from '../../ui/field';
import { FormError as SharedFormError } from '../../ui/form-error';
import { useToast } from '../../ui/toast';

export const roleOptions = [
  { value: 'viewer', label: 'Viewer — sees everything, changes nothing' },
  { value: 'admin', label: 'Admin — can change everything' },
];

/** The form's error, about a user. */
function FormError({ error, onReload }: { error: unknown; onReload?: () => void }) {
  return <SharedFormError error={error} subject="user" onReload={onReload} />;
}

/**
 * The version a dialog's changes are based on: the row it opened with, and after a conflict,
 * the user as the api has it now.
 */
function useUserBase(user: UserRow) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { minPosition } = useReadYourWrites();
  const [base, setBase] = useState(user);
  const [reloading, setReloading] = useState(false);
  const reload = async (): Promise<UserRow | null> => {
    setReloading(true);
    try {
      const fresh = await queryClient.fetchQuery({
        ...trpc.users.byId.queryOptions({ userId: user.userId, minPosition }),
        staleTime: 0,
      });
      setBase(fresh);
      void queryClient.invalidateQueries(trpc.users.list.pathFilter());
      return fresh;
    } catch {
      return null;
    } finally {
      setReloading(false);
    }
  };
  return { base, setBase, reload, reloading };
}

export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const { recordWrite } = useReadYourWrites();
  const [commandId] = useState(newCommandId);
  const [form, setForm] = useState({ name: '', email: '', role: 'viewer' as Role, password: '' });
  const create = useMutation(trpc.users.create.mutationOptions());
  const errors = fieldErrorsOf(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { ...form, commandId },
      {
        onSuccess: (result) => {
          recordWrite(result);
          toast(`Created ${form.name.trim()}`);
          onClose();
        },
      },
    );
  };

  return (
    <Dialog title="New user" description="They sign in with this email and password." onClose={onClose}>
      <form onSubmit={submit} className="flex flex-col gap-4">
        <TextField
          label="Name"
          name="name"
          required
          autoFocus
          autoComplete="off"
          errors={errors.name}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          required
          autoComplete="off"
          errors={errors.email}
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <SelectField
          label="Role"
          name="role"
          options={roleOptions}
          errors={errors.role}
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
        />
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
        <FormError error={create.error} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create user
          </Button>
        </DialogActions>
      </form>
    </Dialog>
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
  const errors = fieldErrorsOf(error);

  const changed = {
    name: form.name.trim() !== base.name,
    email: form.email.trim() !== base.email,
    role: form.role !== base.role,
  };
  const anyChange = changed.name || changed.email || changed.role;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
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
    <Dialog title={`Edit ${base.name}`} description={`Version ${base.version}`} onClose={onClose}>
      <form onSubmit={submit} className="flex flex-col gap-4">
        <TextField
          label="Name"
          name="name"
          required
          autoFocus
          autoComplete="off"
          errors={errors.name}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          required
          autoComplete="off"
          errors={errors.email}
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
        />
        <SelectField
          label="Role"
          name="role"
          options={roleOptions}
          errors={errors.role}
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
        />
        <FormError error={error} onReload={() => void reloadAndReset()} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={saving || reloading} disabled={!anyChange}>
            Save changes
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function PasswordDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const { recordWrite } = useReadYourWrites();
  const { base, reload, reloading } = useUserBase(user);
  const [password, setPassword] = useState('');
  const changePassword = useMutation(trpc.users.changePassword.mutationOptions());
  const errors = fieldErrorsOf(changePassword.error);

  return (
    <Dialog
      title={`New password for ${base.name}`}
      description="Their current sessions stay signed in."
      onClose={onClose}
    >
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          changePassword.mutate(
            { userId: base.userId, password, expectedVersion: base.version },
            {
              onSuccess: (result) => {
                recordWrite(result);
                toast(`Password changed for ${base.name}`);
                onClose();
              },
            },
          );
        }}
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
          errors={errors.password}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <FormError
          error={changePassword.error}
          onReload={() => void reload().then((fresh) => fresh && changePassword.reset())}
        />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={changePassword.isPending || reloading}>
            Change password
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function StatusDialog({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const { recordWrite } = useReadYourWrites();
  const { base, reload, reloading } = useUserBase(user);
  const deactivate = useMutation(trpc.users.deactivate.mutationOptions());
  const reactivate = useMutation(trpc.users.reactivate.mutationOptions());
  const active = base.status === 'active';
  const mutation = active ? deactivate : reactivate;

  return (
    <Dialog title={`${active ? 'Deactivate' : 'Reactivate'} ${base.name}?`} onClose={onClose}>
      <p className="text-sm text-zinc-700">
        {active
          ? 'They are signed out everywhere and cannot sign in until an admin reactivates them. Their history stays.'
          : 'They can sign in again with their current password.'}
      </p>
      <div className="mt-4">
        <FormError error={mutation.error} onReload={() => void reload().then((fresh) => fresh && mutation.reset())} />
      </div>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant={active ? 'danger' : 'primary'}
          busy={mutation.isPending || reloading}
          onClick={() =>
            mutation.mutate(
              { userId: base.userId, expectedVersion: base.version },
              {
                onSuccess: (result) => {
                  recordWrite(result);
                  toast(`${base.name} ${active ? 'deactivated' : 'reactivated'}`);
                  onClose();
                },
              },
            )
          }
        >
          {active ? 'Deactivate' : 'Reactivate'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
