'use client';

import { userStream } from '@strata/domain';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { errorCodeOf } from '../../../../api/errors';
import { useReadYourWrites } from '../../../../api/read-your-writes';
import { useTRPC } from '../../../../api/trpc';
import { useSignedInUser } from '../../../../session/session';
import { RoleBadge, StatusBadge } from '../../../../ui/badge';
import { ButtonLink } from '../../../../ui/button';
import { cn } from '../../../../ui/cn';
import { ERASED_PERSON, PersonalValue } from '../../../../ui/erased';
import { Card, CardHeader, EmptyState, ErrorState, LoadingState, PageHeader } from '../../../../ui/states';
import { UserActions } from '../user-actions';
import { CurrentState } from './current-state';
import { ForgetUserCard } from './forget-user-card';
import { ForgottenBanner } from './forgotten-banner';
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
  // A forgotten person's page shows what happened, never who they were, and offers no change.
  const forgotten = current.status === 'forgotten';
  return (
    <>
      {back}
      <PageHeader
        title={
          <span className={cn(forgotten && 'font-normal text-zinc-500 italic')}>
            {forgotten ? ERASED_PERSON : current.name}
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <PersonalValue value={current.email}>
              <span className="break-all">{current.email}</span>
            </PersonalValue>
            <RoleBadge role={current.role} />
            <StatusBadge status={current.status} />
          </span>
        }
        actions={canChange && !forgotten ? <UserActions user={current} size="md" /> : null}
      />
      {forgotten ? <ForgottenBanner user={current} /> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="flex flex-col gap-6 lg:order-last">
          <CurrentState user={current} />
          {canChange && !forgotten ? <ForgetUserCard user={current} /> : null}
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
