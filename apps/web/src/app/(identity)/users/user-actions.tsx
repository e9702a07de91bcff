'use client';

import { useState } from 'react';
import type { UserRow } from '../../../api/trpc';
import { Button } from '../../../ui/button';
import { DialogButton } from '../../../ui/dialog-button';
import { CreateUserDialog, EditUserDialog, PasswordDialog, StatusDialog } from './user-dialogs';

type Open = 'edit' | 'password' | 'status' | null;

/** Edit, password and (de)activation for one user: admins only, so callers check the role. */
export function UserActions({ user, size = 'sm' }: { user: UserRow; size?: 'sm' | 'md' }) {
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  // A forgotten person cannot be changed any more.
  if (user.status === 'forgotten') return null;
  const active = user.status === 'active';
  return (
    <div className="flex flex-nowrap gap-1.5">
      <Button size={size} onClick={() => setOpen('edit')} aria-label={`Edit ${user.name}`}>
        Edit
      </Button>
      <Button size={size} onClick={() => setOpen('password')} aria-label={`Change password of ${user.name}`}>
        Password
      </Button>
      <Button
        size={size}
        variant={active ? 'ghost' : 'secondary'}
        className={active ? 'text-red-700 hover:bg-red-50' : ''}
        onClick={() => setOpen('status')}
        aria-label={`${active ? 'Deactivate' : 'Reactivate'} ${user.name}`}
      >
        {active ? 'Deactivate' : 'Reactivate'}
      </Button>
      {open === 'edit' ? <EditUserDialog user={user} onClose={close} /> : null}
      {open === 'password' ? <PasswordDialog user={user} onClose={close} /> : null}
      {open === 'status' ? <StatusDialog user={user} onClose={close} /> : null}
    </div>
  );
}

export function CreateUserButton() {
  return <DialogButton dialog={(close) => <CreateUserDialog onClose={close} />}>New user</DialogButton>;
}
