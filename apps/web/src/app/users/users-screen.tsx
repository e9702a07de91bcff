'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useReadYourWrites } from '../../api/read-your-writes';
import { type Role, type UserRow, useTRPC } from '../../api/trpc';
import { useSignedInUser } from '../../session/session';
import { RoleBadge, StatusBadge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { SelectField, TextField } from '../../ui/field';
import { Card, EmptyState, ErrorState, LoadingState, PageHeader } from '../../ui/states';
import { Timestamp } from '../../ui/time';
import { useDebounced } from '../../ui/use-debounced';
import { CreateUserButton, UserActions } from './user-actions';

const pageSize = 20;
type StatusFilter = 'active' | 'deactivated';

export function UsersScreen() {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const { minPosition } = useReadYourWrites();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [status, setStatus] = useState<StatusFilter | ''>('');
  const debouncedSearch = useDebounced(search.trim(), 250);
  // Cursors of the pages seen so far (page n starts after cursors[n]); a new filter starts over.
  const filterKey = JSON.stringify([debouncedSearch, role, status]);
  const [paging, setPaging] = useState<{ filterKey: string; cursors: (string | undefined)[] }>({
    filterKey,
    cursors: [undefined],
  });
  const cursors = paging.filterKey === filterKey ? paging.cursors : [undefined];
  const setCursors = (next: (string | undefined)[]) => setPaging({ filterKey, cursors: next });
  const page = cursors.length - 1;

  const users = useQuery({
    ...trpc.users.list.queryOptions({
      search: debouncedSearch || undefined,
      role: role || undefined,
      status: status || undefined,
      cursor: cursors[page],
      limit: pageSize,
      minPosition,
    }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(debouncedSearch || role || status);
  const clearFilters = () => {
    setSearch('');
    setRole('');
    setStatus('');
  };

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in. Open a user to see their history, and how they looked at any moment."
        actions={canChange ? <CreateUserButton /> : null}
      />
      <Card>
        <form
          aria-label="Filter users"
          className="grid grid-cols-2 gap-3 border-b border-zinc-200 p-4 sm:grid-cols-[minmax(0,1fr)_10rem_10rem] sm:px-5"
          onSubmit={(event) => event.preventDefault()}
        >
          <div className="col-span-2 sm:col-span-1">
            <TextField
              label="Search"
              type="search"
              placeholder="Name or email"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </div>
          <SelectField
            label="Role"
            value={role}
            onChange={(event) => setRole(event.target.value as Role | '')}
            options={[
              { value: '', label: 'All roles' },
              { value: 'admin', label: 'Admins' },
              { value: 'viewer', label: 'Viewers' },
            ]}
          />
          <SelectField
            label="Status"
            value={status}
            onChange={(event) => setStatus(event.target.value as StatusFilter | '')}
            options={[
              { value: '', label: 'Any status' },
              { value: 'active', label: 'Active' },
              { value: 'deactivated', label: 'Deactivated' },
            ]}
          />
        </form>

        {users.isPending ? (
          <LoadingState label="Loading users…" />
        ) : users.isError ? (
          <ErrorState title="Could not load users" error={users.error} onRetry={() => void users.refetch()} />
        ) : users.data.items.length === 0 ? (
          filtered ? (
            <EmptyState
              title="No users match these filters"
              action={<Button onClick={clearFilters}>Clear filters</Button>}
            >
              Try another name or email, or clear the filters to see everyone.
            </EmptyState>
          ) : (
            <EmptyState title="No users yet" action={canChange ? <CreateUserButton /> : null}>
              {canChange ? 'Create the first user: they sign in with the email and password you give them.' : null}
            </EmptyState>
          )
        ) : (
          <UsersTable users={users.data.items} canChange={canChange} refreshing={users.isPlaceholderData} />
        )}

        {users.data && (page > 0 || users.data.nextCursor) ? (
          <nav
            aria-label="Pages"
            className="flex items-center justify-between gap-3 border-t border-zinc-200 px-4 py-3 text-sm sm:px-5"
          >
            <span className="text-zinc-600">Page {page + 1}</span>
            <div className="flex gap-2">
              <Button size="sm" disabled={page === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
                Previous
              </Button>
              <Button
                size="sm"
                disabled={!users.data.nextCursor || users.isPlaceholderData}
                onClick={() => setCursors([...cursors, users.data?.nextCursor ?? undefined])}
              >
                Next
              </Button>
            </div>
          </nav>
        ) : null}
      </Card>
    </>
  );
}

function UsersTable({ users, canChange, refreshing }: { users: UserRow[]; canChange: boolean; refreshing: boolean }) {
  return (
    <div className="overflow-x-auto" aria-busy={refreshing || undefined}>
      <table className={`w-full text-left text-sm ${refreshing ? 'opacity-60' : ''}`}>
        <caption className="sr-only">Users</caption>
        <thead className="bg-zinc-50 text-xs font-medium tracking-wide text-zinc-600 uppercase">
          <tr>
            <th scope="col" className="w-full px-4 py-2.5 sm:px-5">
              User
            </th>
            <th scope="col" className="px-3 py-2.5">
              Role
            </th>
            <th scope="col" className="hidden px-3 py-2.5 sm:table-cell">
              Status
            </th>
            <th scope="col" className="hidden px-3 py-2.5 md:table-cell">
              Version
            </th>
            <th scope="col" className="hidden px-3 py-2.5 lg:table-cell">
              Created
            </th>
            {canChange ? (
              <th scope="col" className="hidden px-3 py-2.5 sm:table-cell sm:pr-5">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200">
          {users.map((user) => (
            <tr key={user.userId} className="align-top sm:align-middle">
              <td className="max-w-0 px-4 py-3 sm:w-auto sm:px-5">
                <Link
                  href={`/users/${user.userId}`}
                  className="block truncate font-medium text-zinc-900 underline-offset-2 hover:text-indigo-700 hover:underline"
                >
                  {user.name}
                </Link>
                <div className="truncate text-zinc-600">{user.email}</div>
                {canChange ? (
                  // On narrow screens the actions sit under the name instead of in their own column.
                  <div className="mt-2 sm:hidden">
                    <UserActions user={user} />
                  </div>
                ) : null}
              </td>
              <td className="px-3 py-3">
                <div className="flex flex-col items-start gap-1">
                  <RoleBadge role={user.role} />
                  <span className="sm:hidden">
                    {user.status === 'active' ? null : <StatusBadge status={user.status} />}
                  </span>
                </div>
              </td>
              <td className="hidden px-3 py-3 sm:table-cell">
                <StatusBadge status={user.status} />
              </td>
              <td className="hidden px-3 py-3 text-zinc-700 tabular-nums md:table-cell">{user.version}</td>
              <td className="hidden px-3 py-3 text-zinc-700 lg:table-cell">
                <Timestamp date={user.createdAt} compact />
              </td>
              {canChange ? (
                <td className="hidden px-3 py-3 sm:table-cell sm:pr-5">
                  <div className="flex justify-end">
                    <UserActions user={user} />
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
