'use client';

import type { ReactNode } from 'react';
import type { UserRow } from '../../../../api/trpc';
import { RoleBadge, StatusBadge } from '../../../../ui/badge';
import { PersonalValue } from '../../../../ui/erased';
import { Card, CardHeader } from '../../../../ui/states';
import { Timestamp } from '../../../../ui/time';

/** The user as the users read model has them now; a forgotten person's name and email read "erased". */
export function CurrentState({ user }: { user: UserRow }) {
  return (
    <Card>
      <CardHeader title="Now" description="The current state, from the users read model." />
      <dl className="divide-y divide-zinc-100 px-4 sm:px-5">
        <Fact label="Name">
          <PersonalValue value={user.name} />
        </Fact>
        <Fact label="Email">
          <PersonalValue value={user.email}>
            <span className="break-all">{user.email}</span>
          </PersonalValue>
        </Fact>
        <Fact label="Role">
          <RoleBadge role={user.role} />
        </Fact>
        <Fact label="Status">
          <StatusBadge status={user.status} />
        </Fact>
        <Fact label="Version">
          <span className="tabular-nums">{user.version}</span>
        </Fact>
        <Fact label="Created">
          <Timestamp date={user.createdAt} />
        </Fact>
        <Fact label="Last changed">
          <Timestamp date={user.updatedAt} />
        </Fact>
        <Fact label="User id">
          <code className="font-mono text-xs break-all">{user.userId}</code>
        </Fact>
      </dl>
    </Card>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-3 py-2.5 text-sm">
      <dt className="text-zinc-600">{label}</dt>
      <dd className="min-w-0 text-zinc-900">{children}</dd>
    </div>
  );
}
