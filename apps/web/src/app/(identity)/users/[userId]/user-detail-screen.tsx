'use client';

import { userStream } from '@strata/domain';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { type ReactNode, useState } from 'react';
import { errorCodeOf } from '../../../../api/errors';
import { useReadYourWrites } from '../../../../api/read-your-writes';
import { type UserRow, useTRPC } from '../../../../api/trpc';
import { useSignedInUser } from '../../../../session/session';
import { RoleBadge, StatusBadge } from '../../../../ui/badge';
import { ButtonLink } from '../../../../ui/button';
import { Card, CardHeader, EmptyState, ErrorState, LoadingState, PageHeader } from '../../../../ui/states';
import { Timestamp } from '../../../../ui/time';
import { UserActions } from '../user-actions';
import { HistoryTimeline } from './history-timeline';
import { TimeTravel } from './time-travel';

export function UserDetailScreen({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const { minPosition } = useReadYourWrites();
  const user = useQuery(trpc.users.byId.queryOptions({ userId, minPosition }));
  const history = useQuery(trpc.users.history.queryOptions({ userId }));
  /** The version time travel shows; set from the timeline too. */
  const [pickedVersion, setPickedVersion] = useState<number | null>(null);

  const back = (
    <Link href="/users" className="mb-3 inline-block text-sm font-medium text-zinc-600 hover:text-zinc-900">
      ← All users
    </Link>
  );

  if (user.isPending) return <LoadingState label="Loading user…" />;
  if (user.isError) {
    const missing = ['NOT_FOUND', 'BAD_REQUEST'].includes(errorCodeOf(user.error) ?? '');
    return (
      <>
        {back}
        <Card>
          {missing ? (
            <EmptyState title="No such user" action={<ButtonLink href="/users">Back to users</ButtonLink>}>
              There is no user with the id <code className="font-mono break-all">{userId}</code>.
            </EmptyState>
          ) : (
            <ErrorState title="Could not load this user" error={user.error} onRetry={() => void user.refetch()} />
          )}
        </Card>
      </>
    );
  }

  const current = user.data;
  return (
    <>
      {back}
      <PageHeader
        title={current.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="break-all">{current.email}</span>
            <RoleBadge role={current.role} />
            <StatusBadge status={current.status} />
          </span>
        }
        actions={canChange ? <UserActions user={current} size="md" /> : null}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:order-last">
          <CurrentState user={current} />
        </div>
        <div className="flex min-w-0 flex-col gap-6 lg:col-span-2">
          <Card>
            <CardHeader
              title="Time travel"
              description="See this user as they were at any version or moment, compared with now."
            />
            {history.isPending ? (
              <LoadingState label="Loading history…" />
            ) : history.isError ? (
              <ErrorState error={history.error} onRetry={() => void history.refetch()} />
            ) : (
              <TimeTravel
                userId={userId}
                history={history.data}
                current={current}
                pickedVersion={pickedVersion}
                onPickVersion={setPickedVersion}
              />
            )}
          </Card>
          <Card>
            <CardHeader
              title="History"
              description="Every event of this user's stream, newest first."
              actions={
                <ButtonLink size="sm" href={`/events?streamId=${encodeURIComponent(userStream(userId))}`}>
                  Open in event log
                </ButtonLink>
              }
            />
            {history.isPending ? (
              <LoadingState label="Loading history…" />
            ) : history.isError ? (
              <ErrorState
                title="Could not load the history"
                error={history.error}
                onRetry={() => void history.refetch()}
              />
            ) : history.data.length === 0 ? (
              <EmptyState title="No events yet" />
            ) : (
              <HistoryTimeline
                history={history.data}
                onShowVersion={(version) => {
                  setPickedVersion(version);
                  window.scrollTo({ top: 0, behavior: 'smooth' });
                }}
              />
            )}
          </Card>
        </div>
      </div>
    </>
  );
}

function CurrentState({ user }: { user: UserRow }) {
  return (
    <Card>
      <CardHeader title="Now" description="The current state, from the users read model." />
      <dl className="divide-y divide-zinc-100 px-4 sm:px-5">
        <Fact label="Name">{user.name}</Fact>
        <Fact label="Email">
          <span className="break-all">{user.email}</span>
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
