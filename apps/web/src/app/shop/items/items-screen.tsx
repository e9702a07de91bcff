'use client';

import { useState } from 'react';
import { usePagedQuery } from '../../../api/paged-query';
import { type ItemRow, useTRPC } from '../../../api/trpc';
import { useSignedInUser } from '../../../session/session';
import { Badge } from '../../../ui/badge';
import { Button } from '../../../ui/button';
import { type Column, DataTable } from '../../../ui/data-table';
import { DialogButton } from '../../../ui/dialog-button';
import { SelectField, TextField } from '../../../ui/field';
import { FilterBar } from '../../../ui/filter-bar';
import { ListScreen } from '../../../ui/list-screen';
import { formatCount, formatMoney } from '../../../ui/money';
import { EmptyState } from '../../../ui/states';
import { Timestamp } from '../../../ui/time';
import { useListFilters } from '../../../ui/use-list-filters';
import { AddItemDialog, PriceDialog, RestockDialog } from './item-dialogs';

const pageSize = 25;
type StockFilter = '' | 'in' | 'out';

export function ItemsScreen() {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const filters = useListFilters({ search: '', stock: '' as StockFilter }, ['search']);
  const { search, stock } = filters.applied;
  const items = usePagedQuery(filters.key, pageSize, (page) =>
    trpc.inventory.list.queryOptions({
      search: search || undefined,
      inStock: stock === '' ? undefined : stock === 'in',
      ...page,
    }),
  );

  return (
    <ListScreen
      title="Items"
      description="What the warehouse holds: price and stock. Stock never goes below zero."
      actions={canChange ? <AddItemButton /> : null}
      filters={
        <FilterBar label="Filter items" columns="grid-cols-1 sm:grid-cols-[minmax(0,1fr)_12rem]">
          <TextField label="Search" type="search" placeholder="SKU or name" {...filters.field('search')} />
          <SelectField
            label="Stock"
            {...filters.field('stock')}
            options={[
              { value: '', label: 'Any stock' },
              { value: 'in', label: 'In stock' },
              { value: 'out', label: 'Out of stock' },
            ]}
          />
        </FilterBar>
      }
      list={items}
      what="items"
      empty={
        filters.active ? (
          <EmptyState
            title="No items match these filters"
            action={<Button onClick={filters.clear}>Clear filters</Button>}
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
      }
    >
      {(rows, dimmed) => <ItemsTable items={rows} canChange={canChange} dimmed={dimmed} />}
    </ListScreen>
  );
}

function AddItemButton() {
  return <DialogButton dialog={(close) => <AddItemDialog onClose={close} />}>Add item</DialogButton>;
}

export function StockBadge({ stock }: { stock: number }) {
  if (stock === 0) return <Badge tone="red">out of stock</Badge>;
  if (stock < 5) return <Badge tone="amber">low</Badge>;
  return null;
}

type OpenDialog = { item: ItemRow; dialog: 'restock' | 'price' };

function ItemsTable({ items, canChange, dimmed }: { items: ItemRow[]; canChange: boolean; dimmed: boolean }) {
  const [open, setOpen] = useState<OpenDialog | null>(null);
  const close = () => setOpen(null);
  const actions = (item: ItemRow) => <ItemActions item={item} onOpen={setOpen} />;
  const columns: (Column<ItemRow> | false)[] = [
    {
      header: 'Item',
      cell: (item) => (
        <>
          <div className="truncate font-medium text-zinc-900">{item.name}</div>
          <div className="truncate font-mono text-xs text-zinc-600">{item.sku}</div>
          {canChange ? <div className="mt-2 sm:hidden">{actions(item)}</div> : null}
        </>
      ),
    },
    {
      header: 'Price',
      className: 'text-right',
      cellClassName: 'whitespace-nowrap text-zinc-900 tabular-nums',
      cell: (item) => formatMoney(item.price),
    },
    {
      header: 'Stock',
      className: 'text-right',
      cellClassName: 'whitespace-nowrap',
      cell: (item) => (
        <>
          <div className="font-medium text-zinc-900 tabular-nums">{formatCount(item.stock)}</div>
          <StockBadge stock={item.stock} />
        </>
      ),
    },
    {
      header: 'Updated',
      className: 'hidden lg:table-cell',
      cellClassName: 'whitespace-nowrap text-zinc-700',
      cell: (item) => <Timestamp date={item.updatedAt} compact />,
    },
    canChange && {
      header: 'Actions',
      headerHidden: true,
      className: 'hidden sm:table-cell sm:pr-5',
      cell: (item) => <div className="flex justify-end">{actions(item)}</div>,
    },
  ];
  return (
    <>
      <DataTable
        caption="Items"
        columns={columns}
        rows={items}
        rowKey={(item) => item.sku}
        rowClassName="align-top sm:align-middle"
        dimmed={dimmed}
      />
      {open?.dialog === 'restock' ? <RestockDialog item={open.item} onClose={close} /> : null}
      {open?.dialog === 'price' ? <PriceDialog item={open.item} onClose={close} /> : null}
    </>
  );
}

function ItemActions({ item, onOpen }: { item: ItemRow; onOpen: (open: OpenDialog) => void }) {
  return (
    <div className="flex gap-1.5">
      <Button size="sm" onClick={() => onOpen({ item, dialog: 'restock' })} aria-label={`Restock ${item.sku}`}>
        Restock
      </Button>
      <Button size="sm" onClick={() => onOpen({ item, dialog: 'price' })} aria-label={`Change price of ${item.sku}`}>
        Price
      </Button>
    </div>
  );
}
