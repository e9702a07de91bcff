'use client';

import { useState } from 'react';
import type { UserRow } from '../../../../api/trpc';
import { Button } from '../../../../ui/button';
import { Card, CardHeader } from '../../../../ui/states';
import { ForgetUserDialog } from './forget-user-dialog';

/** The one way to erase a person's personal data for good, set apart from the everyday actions. */
export function ForgetUserCard({ user }: { user: UserRow }) {
  const [open, setOpen] = useState(false);
  return (
    <Card className="border-red-200">
      <CardHeader
        title="Forget this person"
        description="Erases their name, email and password for good, from every event and screen. What happened, when and by whom stays."
      />
      <div className="px-4 py-3 sm:px-5">
        <Button variant="danger" onClick={() => setOpen(true)} aria-label={`Forget ${user.name}`}>
          Forget this person…
        </Button>
      </div>
      {open ? <ForgetUserDialog user={user} onClose={() => setOpen(false)} /> : null}
    </Card>
  );
}
