'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type ItemRow, useTRPC } from '../../../api/trpc';
import { useSignedInUser } from '../../../session/session';
import { Badge } from '../../../ui/badge';
import { Button } from '../../../ui/button';
import { SelectField, TextField } from '../../../ui/field';
import { formatCount, formatMoney } from '../../../ui/money';
import { Pager, useCursorPaging } from '../../../ui/paging';
import { Card, EmptyState, ErrorState, LoadingState, PageHeader } from '../../../ui/states';
import { Timestamp } from '../../../ui/time';
import { useDebounced } from '../../../ui/use-debounced';
import { AddItemDialog, PriceDialog, RestockDialog } from './item-dialogs';

const pageSize = 25;
type StockFilter = '' | 'in' | 'out';

export function ItemsScreen() {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const { minPosition } = useReadYourWrites();
  const [search, setSearch] = useState('');
  const [stock, setStock] = useState<StockFilter>('');
  const debounced = useDebounced(search.trim(), 250);
  const paging = useCursorPaging(JSON.stringify([debounced, stock]));
  const items = useQuery({
    ...trpc.inventory.list.queryOptions({
      search: debounced || undefined,
      inStock: stock === '' ? undefined : stock === 'in',
      cursor: paging.cursor,
      limit: pageSize,
      minPosition,
    }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(debounced || stock);

  return (
    <>
      <PageHeader
        title="Items"
        description="What the warehouse holds: price and stock. Stock never goes below zero."
        actions={canChange ? <AddItemButton /> : null}
      />
      <Card>
        <form
          aria-label="Filter items"
          className="grid grid-cols-1 gap-3 border-b border-zinc-200 p-4 sm:grid-cols-[minmax(0,1fr)_12rem] sm:px-5"
          onSubmit={(event) => event.preventDefault()}
        >
          <TextField
            label="Search"
            type="search"
            placeholder="SKU or name"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <SelectField
            label="Stock"
            value={stock}
            onChange={(event) => setStock(event.target.value as StockFilter)}
            options={[
              { value: '', label: 'Any stock' },
              { value: 'in', label: 'In stock' },
              { value: 'out', label: 'Out of stock' },
            ]}
          />
        </form>
        {items.isPending ? (
          <LoadingState label="Loading items…" />
        ) : items.isError ? (
          <ErrorState title="Could not load items" error={items.error} onRetry={() => void items.refetch()} />
        ) : items.data.items.length === 0 ? (
          filtered ? (
            <EmptyState
              title="No items match these filters"
              action={
                <Button
                  onClick={() => {
                    setSearch('');
                    setStock('');
                  }}
                >
                  Clear filters
                </Button>
              }
            >
              Try another SKU or name, or clear the filters to see every item.
            </EmptyState>
          ) : (
            <EmptyState title="No items yet" action={canChange ? <AddItemButton /> : null}>
              {canChange
                ? 'Add the first item with its SKU, price and stock; then orders can be placed for it.'
                : 'An admin adds items to the warehouse; they appear here.'}
            </EmptyState>
          )
        ) : (
          <ItemsTable items={items.data.items} canChange={canChange} dimmed={items.isPlaceholderData} />
        )}
        <Pager
          page={paging.page}
          nextCursor={items.data?.nextCursor}
          busy={items.isPlaceholderData}
          onNext={() => paging.next(items.data?.nextCursor)}
          onPrevious={paging.previous}
        />
      </Card>
    </>
  );
}

function AddItemButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        Add item
      </Button>
      {open ? <AddItemDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

export function StockBadge({ stock }: { stock: number }) {
  if (stock === 0) return <Badge tone="red">out of stock</Badge>;
  if (stock < 5) return <Badge tone="amber">low</Badge>;
  return null;
}

function ItemsTable({ items, canChange, dimmed }: { items: ItemRow[]; canChange: boolean; dimmed: boolean }) {
  const [open, setOpen] = useState<{ item: ItemRow; dialog: 'restock' | 'price' } | null>(null);
  const close = () => setOpen(null);
  return (
    <div className="overflow-x-auto" aria-busy={dimmed || undefined}>
      <table className={`w-full text-left text-sm ${dimmed ? 'opacity-60' : ''}`}>
        <caption className="sr-only">Items</caption>
        <thead className="bg-zinc-50 text-xs font-medium tracking-wide text-zinc-600 uppercase">
          <tr>
            <th scope="col" className="w-full px-4 py-2.5 sm:px-5">
              Item
            </th>
            <th scope="col" className="px-3 py-2.5 text-right">
              Price
            </th>
            <th scope="col" className="px-3 py-2.5 text-right">
              Stock
            </th>
            <th scope="col" className="hidden px-3 py-2.5 lg:table-cell">
              Updated
            </th>
            {canChange ? (
              <th scope="col" className="hidden px-3 py-2.5 sm:table-cell sm:pr-5">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200">
          {items.map((item) => {
            const actions = (
              <div className="flex gap-1.5">
                <Button
                  size="sm"
                  onClick={() => setOpen({ item, dialog: 'restock' })}
                  aria-label={`Restock ${item.sku}`}
                >
                  Restock
                </Button>
                <Button
                  size="sm"
                  onClick={() => setOpen({ item, dialog: 'price' })}
                  aria-label={`Change price of ${item.sku}`}
                >
                  Price
                </Button>
              </div>
            );
            return (
              <tr key={item.sku} className="align-top sm:align-middle">
                <td className="max-w-0 px-4 py-3 sm:px-5">
                  <div className="truncate font-medium text-zinc-900">{item.name}</div>
                  <div className="truncate font-mono text-xs text-zinc-600">{item.sku}</div>
                  {canChange ? <div className="mt-2 sm:hidden">{actions}</div> : null}
                </td>
                <td className="px-3 py-3 text-right whitespace-nowrap text-zinc-900 tabular-nums">
                  {formatMoney(item.price)}
                </td>
                <td className="px-3 py-3 text-right whitespace-nowrap">
                  <div className="font-medium text-zinc-900 tabular-nums">{formatCount(item.stock)}</div>
                  <StockBadge stock={item.stock} />
                </td>
                <td className="hidden px-3 py-3 whitespace-nowrap text-zinc-700 lg:table-cell">
                  <Timestamp date={item.updatedAt} compact />
                </td>
                {canChange ? (
                  <td className="hidden px-3 py-3 sm:table-cell sm:pr-5">
                    <div className="flex justify-end">{actions}</div>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {open?.dialog === 'restock' ? <RestockDialog item={open.item} onClose={close} /> : null}
      {open?.dialog === 'price' ? <PriceDialog item={open.item} onClose={close} /> : null}
    </div>
  );
}
