'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { usePagedQuery } from '../../../api/paged-query';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type OrderRow, useTRPC } from '../../../api/trpc';
import { useSignedInUser } from '../../../session/session';
import { ButtonLink } from '../../../ui/button';
import { cn } from '../../../ui/cn';
import { SelectField } from '../../../ui/field';
import { FilterBar } from '../../../ui/filter-bar';
import { formatCount, formatMoney } from '../../../ui/money';
import { PagedList } from '../../../ui/paged-list';
import { Card, CardHeader, EmptyState, PageHeader } from '../../../ui/states';
import { Timestamp } from '../../../ui/time';
import { ownerLabel, useOwnerNames } from '../shop';
import { PlaceOrderForm } from './place-order-form';

const pageSize = 25;

export function OrdersScreen() {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const { minPosition } = useReadYourWrites();
  const { names } = useOwnerNames();
  const [walletId, setWalletId] = useState('');
  const wallets = useQuery(trpc.wallets.list.queryOptions({ limit: 100, minPosition }));
  const orders = usePagedQuery(walletId, pageSize, (page) =>
    trpc.orders.list.queryOptions({ walletId: walletId || undefined, ...page }),
  );
  const walletOwner = new Map(wallets.data?.items.map((w) => [w.walletId, ownerLabel(w.ownerId, names)]) ?? []);

  return (
    <>
      <PageHeader
        title="Orders"
        description="Each order debits its wallet and takes stock from its items in one transaction, or changes nothing."
      />
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)]">
        {canChange ? <PlaceOrderForm /> : null}
        <Card className={canChange ? '' : 'lg:col-span-2'}>
          <CardHeader title="Orders" description="Newest first." />
          {(wallets.data?.items.length ?? 0) > 1 ? (
            <FilterBar label="Filter orders">
              <SelectField
                label="Wallet"
                value={walletId}
                onChange={(event) => setWalletId(event.target.value)}
                options={[
                  { value: '', label: 'All wallets' },
                  ...(wallets.data?.items ?? []).map((w) => ({
                    value: w.walletId,
                    label: ownerLabel(w.ownerId, names),
                  })),
                ]}
              />
            </FilterBar>
          ) : null}
          <PagedList
            list={orders}
            what="orders"
            empty={
              walletId ? (
                <EmptyState title="No orders from this wallet yet">Choose “All wallets” to see every order.</EmptyState>
              ) : (
                <EmptyState
                  title="No orders yet"
                  action={canChange ? null : <ButtonLink href="/shop/items">See the items</ButtonLink>}
                >
                  {canChange
                    ? 'Place the first one with the form: choose a wallet, add a line, place it.'
                    : 'Orders appear here as soon as an admin places one.'}
                </EmptyState>
              )
            }
          >
            {(rows, dimmed) => <OrdersList orders={rows} walletOwner={walletOwner} dimmed={dimmed} />}
          </PagedList>
        </Card>
      </div>
    </>
  );
}

function OrdersList({
  orders,
  walletOwner,
  dimmed,
}: {
  orders: OrderRow[];
  walletOwner: Map<string, string>;
  dimmed: boolean;
}) {
  return (
    <ul
      aria-label="Orders"
      aria-busy={dimmed || undefined}
      className={cn('divide-y divide-zinc-200', dimmed && 'opacity-60')}
    >
      {orders.map((order) => {
        const items = order.lines.reduce((sum, line) => sum + line.quantity, 0);
        return (
          <li key={order.orderId} className="flex items-start justify-between gap-4 px-4 py-3 text-sm sm:px-5">
            <div className="min-w-0">
              <p className="truncate font-medium text-zinc-900">
                {walletOwner.get(order.walletId) ?? `Wallet ${order.walletId.slice(0, 8)}`}
              </p>
              <p className="text-zinc-700">
                {order.lines.map((line) => `${formatCount(line.quantity)} × ${line.sku}`).join(', ')}
              </p>
              <p className="text-xs text-zinc-600">
                <Timestamp date={order.placedAt} compact /> · {formatCount(items)} {items === 1 ? 'item' : 'items'} ·{' '}
                <span className="font-mono" title={order.orderId}>
                  {order.orderId.slice(0, 8)}
                </span>
              </p>
            </div>
            <p className="shrink-0 text-right font-semibold text-zinc-900 tabular-nums">{formatMoney(order.total)}</p>
          </li>
        );
      })}
    </ul>
  );
}
