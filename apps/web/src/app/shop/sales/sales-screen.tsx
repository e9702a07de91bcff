'use client';

import { usePagedQuery } from '../../../api/paged-query';
import { type SalesRow, useTRPC } from '../../../api/trpc';
import { useSignedInUser } from '../../../session/session';
import { ButtonLink } from '../../../ui/button';
import { type Column, DataTable } from '../../../ui/data-table';
import { ListScreen } from '../../../ui/list-screen';
import { formatCount, formatMoney } from '../../../ui/money';
import { EmptyState } from '../../../ui/states';
import { Timestamp } from '../../../ui/time';

const pageSize = 25;

export function SalesScreen() {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const sales = usePagedQuery('all', pageSize, (page) => trpc.inventory.sales.queryOptions(page));
  // Totals only when every row is on this one page.
  const complete = sales.paging.page === 0 && !sales.query.data?.nextCursor;

  return (
    <ListScreen
      title="Sales"
      description="Quantity sold and revenue per item, best sellers first. This read model follows the orders a moment later."
      list={sales}
      what="sales"
      empty={
        <EmptyState
          title="No sales yet"
          action={<ButtonLink href="/shop/orders">{canChange ? 'Place an order' : 'See orders'}</ButtonLink>}
        >
          Every item sold shows here, with its revenue, once an order is placed.
        </EmptyState>
      }
    >
      {(rows, dimmed) => (
        <DataTable
          caption="Sales per item"
          columns={salesColumns}
          rows={rows}
          rowKey={(row) => row.sku}
          dimmed={dimmed}
          footer={complete ? <SalesTotals rows={rows} /> : null}
        />
      )}
    </ListScreen>
  );
}

const salesColumns: Column<SalesRow>[] = [
  {
    header: 'Item',
    cell: (row) => (
      <>
        <div className="truncate font-medium text-zinc-900">{row.name ?? row.sku}</div>
        <div className="truncate font-mono text-xs text-zinc-600">{row.sku}</div>
      </>
    ),
  },
  {
    header: 'Sold',
    className: 'text-right',
    cellClassName: 'text-zinc-900 tabular-nums',
    cell: (row) => formatCount(row.quantitySold),
  },
  {
    header: 'Orders',
    className: 'hidden text-right sm:table-cell',
    cellClassName: 'text-zinc-700 tabular-nums',
    cell: (row) => formatCount(row.orders),
  },
  {
    header: 'Revenue',
    className: 'text-right sm:pr-5 lg:pr-3',
    cellClassName: 'font-medium whitespace-nowrap text-zinc-900 tabular-nums',
    cell: (row) => formatMoney(row.revenue),
  },
  {
    header: 'Last sold',
    className: 'hidden lg:table-cell lg:pr-5',
    cellClassName: 'whitespace-nowrap text-zinc-700',
    cell: (row) => <Timestamp date={row.lastSoldAt} compact />,
  },
];

function SalesTotals({ rows }: { rows: SalesRow[] }) {
  return (
    <tfoot className="border-t border-zinc-300 bg-zinc-50">
      <tr>
        <th scope="row" className="px-4 py-2.5 text-left font-medium text-zinc-800 sm:px-5">
          All items
        </th>
        <td className="px-3 py-2.5 text-right text-zinc-900 tabular-nums">
          {formatCount(rows.reduce((sum, row) => sum + row.quantitySold, 0))}
        </td>
        <td className="hidden sm:table-cell" />
        <td className="px-3 py-2.5 text-right font-semibold whitespace-nowrap text-zinc-900 tabular-nums sm:pr-5 lg:pr-3">
          {formatMoney(rows.reduce((sum, row) => sum + row.revenue, 0))}
        </td>
        <td className="hidden lg:table-cell" />
      </tr>
    </tfoot>
  );
}
