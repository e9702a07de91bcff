'use client';

import Link from 'next/link';
import { usePagedQuery } from '../../../api/paged-query';
import { type Role, type UserRow, useTRPC } from '../../../api/trpc';
import { useSignedInUser } from '../../../session/session';
import { RoleBadge, StatusBadge } from '../../../ui/badge';
import { Button } from '../../../ui/button';
import { cn } from '../../../ui/cn';
import { type Column, DataTable } from '../../../ui/data-table';
import { ERASED_PERSON, ErasedBadge } from '../../../ui/erased';
import { SelectField, TextField } from '../../../ui/field';
import { FilterBar } from '../../../ui/filter-bar';
import { ListScreen } from '../../../ui/list-screen';
import { EmptyState } from '../../../ui/states';
import { Timestamp } from '../../../ui/time';
import { useListFilters } from '../../../ui/use-list-filters';
import { CreateUserButton, UserActions } from './user-actions';

const pageSize = 20;
type StatusFilter = 'active' | 'deactivated' | 'forgotten';

export function UsersScreen() {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const filters = useListFilters({ search: '', role: '' as Role | '', status: '' as StatusFilter | '' }, ['search']);
  const { search, role, status } = filters.applied;
  const users = usePagedQuery(filters.key, pageSize, (page) =>
    trpc.users.list.queryOptions({
      search: search || undefined,
      role: role || undefined,
      status: status || undefined,
      ...page,
    }),
  );

  return (
    <ListScreen
      title="Users"
      description="Everyone who can sign in. Open a user to see their history, and how they looked at any moment."
      actions={canChange ? <CreateUserButton /> : null}
      filters={
        <FilterBar label="Filter users" columns="grid-cols-2 sm:grid-cols-[minmax(0,1fr)_10rem_10rem]">
          <div className="col-span-2 sm:col-span-1">
            <TextField label="Search" type="search" placeholder="Name or email" {...filters.field('search')} />
          </div>
          <SelectField
            label="Role"
            {...filters.field('role')}
            options={[
              { value: '', label: 'All roles' },
              { value: 'admin', label: 'Admins' },
              { value: 'viewer', label: 'Viewers' },
            ]}
          />
          <SelectField
            label="Status"
            {...filters.field('status')}
            options={[
              { value: '', label: 'Any status' },
              { value: 'active', label: 'Active' },
              { value: 'deactivated', label: 'Deactivated' },
              { value: 'forgotten', label: 'Forgotten' },
            ]}
          />
        </FilterBar>
      }
      list={users}
      what="users"
      empty={
        filters.active ? (
          <EmptyState
            title="No users match these filters"
            action={<Button onClick={filters.clear}>Clear filters</Button>}
          >
            Try another name or email, or clear the filters to see everyone.
          </EmptyState>
        ) : (
          <EmptyState title="No users yet" action={canChange ? <CreateUserButton /> : null}>
            {canChange ? 'Create the first user: they sign in with the email and password you give them.' : null}
          </EmptyState>
        )
      }
    >
      {(rows, dimmed) => (
        <DataTable
          caption="Users"
          columns={usersColumns(canChange)}
          rows={rows}
          rowKey={(user) => user.userId}
          rowClassName="align-top sm:align-middle"
          dimmed={dimmed}
        />
      )}
    </ListScreen>
  );
}

function usersColumns(canChange: boolean): (Column<UserRow> | false)[] {
  return [
    {
      header: 'User',
      cellClassName: 'sm:w-auto',
      cell: (user) => {
        // A forgotten person's name and email are erased: they are named as such, never as "erased".
        const forgotten = user.status === 'forgotten';
        return (
          <>
            <Link
              href={`/users/${user.userId}`}
              className={cn(
                'block truncate font-medium text-zinc-900 underline-offset-2 hover:text-indigo-700 hover:underline',
                forgotten && 'font-normal text-zinc-500 italic',
              )}
            >
              {forgotten ? ERASED_PERSON : user.name}
            </Link>
            <div className="truncate text-zinc-600">{forgotten ? <ErasedBadge className="mt-0.5" /> : user.email}</div>
            {canChange && !forgotten ? (
              // On narrow screens the actions sit under the name instead of in their own column.
              <div className="mt-2 sm:hidden">
                <UserActions user={user} />
              </div>
            ) : null}
          </>
        );
      },
    },
    {
      header: 'Role',
      cell: (user) => (
        <div className="flex flex-col items-start gap-1">
          <RoleBadge role={user.role} />
          <span className="sm:hidden">{user.status === 'active' ? null : <StatusBadge status={user.status} />}</span>
        </div>
      ),
    },
    {
      header: 'Status',
      className: 'hidden sm:table-cell',
      cell: (user) => <StatusBadge status={user.status} />,
    },
    {
      header: 'Version',
      className: 'hidden md:table-cell',
      cellClassName: 'text-zinc-700 tabular-nums',
      cell: (user) => user.version,
    },
    {
      header: 'Created',
      className: 'hidden lg:table-cell',
      cellClassName: 'text-zinc-700',
      cell: (user) => <Timestamp date={user.createdAt} compact />,
    },
    canChange && {
      header: 'Actions',
      headerHidden: true,
      className: 'hidden sm:table-cell sm:pr-5',
      cell: (user) =>
        user.status === 'forgotten' ? null : (
          <div className="flex justify-end">
            <UserActions user={user} />
          </div>
        ),
    },
  ];
}
