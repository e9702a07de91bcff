'use client';

import Link from 'next/link';
import { useState } from 'react';
import { usePagedQuery } from '../../../api/paged-query';
import { useTRPC, type WalletRow } from '../../../api/trpc';
import { useSignedInUser } from '../../../session/session';
import { Button } from '../../../ui/button';
import { type Column, DataTable } from '../../../ui/data-table';
import { DialogButton } from '../../../ui/dialog-button';
import { ListScreen } from '../../../ui/list-screen';
import { formatMoney } from '../../../ui/money';
import { EmptyState } from '../../../ui/states';
import { Timestamp } from '../../../ui/time';
import { ownerLabel, useOwnerNames } from '../shop';
import { OpenWalletDialog, TopUpDialog } from './wallet-dialogs';

const pageSize = 25;

export function WalletsScreen() {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const wallets = usePagedQuery('all', pageSize, (page) => trpc.wallets.list.queryOptions(page));
  const { names } = useOwnerNames();

  return (
    <ListScreen
      title="Wallets"
      description="Money customers pay orders with. A balance never goes below zero."
      actions={canChange ? <OpenWalletButton /> : null}
      list={wallets}
      what="wallets"
      empty={
        <EmptyState title="No wallets yet" action={canChange ? <OpenWalletButton /> : null}>
          {canChange
            ? 'Open a wallet for a user or a customer, then top it up: orders are paid from it.'
            : 'An admin opens wallets for users and customers; they appear here.'}
        </EmptyState>
      }
    >
      {(rows, dimmed) => <WalletsTable wallets={rows} names={names} canChange={canChange} dimmed={dimmed} />}
    </ListScreen>
  );
}

function OpenWalletButton() {
  return <DialogButton dialog={(close) => <OpenWalletDialog onClose={close} />}>Open wallet</DialogButton>;
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
  const columns: (Column<WalletRow> | false)[] = [
    {
      header: 'Owner',
      cell: (wallet) => <WalletOwner wallet={wallet} names={names} />,
    },
    {
      header: 'Balance',
      className: 'text-right',
      cellClassName: 'font-medium whitespace-nowrap text-zinc-900 tabular-nums',
      cell: (wallet) => formatMoney(wallet.balance),
    },
    {
      header: 'Version',
      className: 'hidden md:table-cell',
      cellClassName: 'text-zinc-700 tabular-nums',
      cell: (wallet) => wallet.version,
    },
    {
      header: 'Opened',
      className: 'hidden lg:table-cell',
      cellClassName: 'whitespace-nowrap text-zinc-700',
      cell: (wallet) => <Timestamp date={wallet.openedAt} compact />,
    },
    canChange && {
      header: 'Actions',
      headerHidden: true,
      className: 'sm:pr-5',
      cellClassName: 'text-right',
      cell: (wallet) => (
        <Button
          size="sm"
          onClick={() => setToppingUp(wallet)}
          aria-label={`Top up ${ownerLabel(wallet.ownerId, names)}`}
        >
          Top up
        </Button>
      ),
    },
  ];
  return (
    <>
      <DataTable
        caption="Wallets"
        columns={columns}
        rows={wallets}
        rowKey={(wallet) => wallet.walletId}
        dimmed={dimmed}
      />
      {toppingUp ? <TopUpDialog wallet={toppingUp} onClose={() => setToppingUp(null)} /> : null}
    </>
  );
}

/** A user's name links to them; a customer reference is only text. */
function WalletOwner({ wallet, names }: { wallet: WalletRow; names: Map<string, string> }) {
  const owner = ownerLabel(wallet.ownerId, names);
  const isUser = names.has(wallet.ownerId);
  return (
    <>
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
    </>
  );
}
