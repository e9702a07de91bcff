'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { useTRPC, type WalletRow } from '../../../api/trpc';
import { useSignedInUser } from '../../../session/session';
import { Button } from '../../../ui/button';
import { formatMoney } from '../../../ui/money';
import { Pager, useCursorPaging } from '../../../ui/paging';
import { Card, EmptyState, ErrorState, LoadingState, PageHeader } from '../../../ui/states';
import { Timestamp } from '../../../ui/time';
import { ownerLabel, useOwnerNames } from '../shop';
import { OpenWalletDialog, TopUpDialog } from './wallet-dialogs';

const pageSize = 25;

export function WalletsScreen() {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const { minPosition } = useReadYourWrites();
  const paging = useCursorPaging('all');
  const wallets = useQuery({
    ...trpc.wallets.list.queryOptions({ cursor: paging.cursor, limit: pageSize, minPosition }),
    placeholderData: keepPreviousData,
  });
  const { names } = useOwnerNames();

  return (
    <>
      <PageHeader
        title="Wallets"
        description="Money customers pay orders with. A balance never goes below zero."
        actions={canChange ? <OpenWalletButton /> : null}
      />
      <Card>
        {wallets.isPending ? (
          <LoadingState label="Loading wallets…" />
        ) : wallets.isError ? (
          <ErrorState title="Could not load wallets" error={wallets.error} onRetry={() => void wallets.refetch()} />
        ) : wallets.data.items.length === 0 ? (
          <EmptyState title="No wallets yet" action={canChange ? <OpenWalletButton /> : null}>
            {canChange
              ? 'Open a wallet for a user or a customer, then top it up: orders are paid from it.'
              : 'An admin opens wallets for users and customers; they appear here.'}
          </EmptyState>
        ) : (
          <WalletsTable
            wallets={wallets.data.items}
            names={names}
            canChange={canChange}
            dimmed={wallets.isPlaceholderData}
          />
        )}
        <Pager
          page={paging.page}
          nextCursor={wallets.data?.nextCursor}
          busy={wallets.isPlaceholderData}
          onNext={() => paging.next(wallets.data?.nextCursor)}
          onPrevious={paging.previous}
        />
      </Card>
    </>
  );
}

function OpenWalletButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        Open wallet
      </Button>
      {open ? <OpenWalletDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function WalletsTable({
  wallets,
  names,
  canChange,
  dimmed,
}: {
  wallets: WalletRow[];
  names: Map<string, string>;
  canChange: boolean;
  dimmed: boolean;
}) {
  const [toppingUp, setToppingUp] = useState<WalletRow | null>(null);
  return (
    <div className="overflow-x-auto" aria-busy={dimmed || undefined}>
      <table className={`w-full text-left text-sm ${dimmed ? 'opacity-60' : ''}`}>
        <caption className="sr-only">Wallets</caption>
        <thead className="bg-zinc-50 text-xs font-medium tracking-wide text-zinc-600 uppercase">
          <tr>
            <th scope="col" className="w-full px-4 py-2.5 sm:px-5">
              Owner
            </th>
            <th scope="col" className="px-3 py-2.5 text-right">
              Balance
            </th>
            <th scope="col" className="hidden px-3 py-2.5 md:table-cell">
              Version
            </th>
            <th scope="col" className="hidden px-3 py-2.5 lg:table-cell">
              Opened
            </th>
            {canChange ? (
              <th scope="col" className="px-3 py-2.5 sm:pr-5">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200">
          {wallets.map((wallet) => {
            const owner = ownerLabel(wallet.ownerId, names);
            const isUser = names.has(wallet.ownerId);
            return (
              <tr key={wallet.walletId}>
                <td className="max-w-0 px-4 py-3 sm:px-5">
                  {isUser ? (
                    <Link
                      href={`/users/${wallet.ownerId}`}
                      className="block truncate font-medium text-zinc-900 underline-offset-2 hover:text-indigo-700 hover:underline"
                    >
                      {owner}
                    </Link>
                  ) : (
                    <span className="block truncate font-medium text-zinc-900">{owner}</span>
                  )}
                  <div className="truncate font-mono text-xs text-zinc-600" title={wallet.walletId}>
                    {isUser ? '' : 'customer reference · '}wallet {wallet.walletId.slice(0, 8)}
                  </div>
                </td>
                <td className="px-3 py-3 text-right font-medium whitespace-nowrap text-zinc-900 tabular-nums">
                  {formatMoney(wallet.balance)}
                </td>
                <td className="hidden px-3 py-3 text-zinc-700 tabular-nums md:table-cell">{wallet.version}</td>
                <td className="hidden px-3 py-3 whitespace-nowrap text-zinc-700 lg:table-cell">
                  <Timestamp date={wallet.openedAt} compact />
                </td>
                {canChange ? (
                  <td className="px-3 py-3 text-right sm:pr-5">
                    <Button size="sm" onClick={() => setToppingUp(wallet)} aria-label={`Top up ${owner}`}>
                      Top up
                    </Button>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {toppingUp ? <TopUpDialog wallet={toppingUp} onClose={() => setToppingUp(null)} /> : null}
    </div>
  );
}
