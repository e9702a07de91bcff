'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type SalesRow, useTRPC } from '../../../api/trpc';
import { useSignedInUser } from '../../../session/session';
import { ButtonLink } from '../../../ui/button';
import { formatCount, formatMoney } from '../../../ui/money';
import { Pager, useCursorPaging } from '../../../ui/paging';
import { Card, EmptyState, ErrorState, LoadingState, PageHeader } from '../../../ui/states';
import { Timestamp } from '../../../ui/time';

const pageSize = 25;

export function SalesScreen() {
  const trpc = useTRPC();
  const { canChange } = useSignedInUser();
  const { minPosition } = useReadYourWrites();
  const paging = useCursorPaging('all');
  const sales = useQuery({
    ...trpc.inventory.sales.queryOptions({ cursor: paging.cursor, limit: pageSize, minPosition }),
    placeholderData: keepPreviousData,
  });
  const rows = sales.data?.items ?? [];
  const revenue = rows.reduce((sum, row) => sum + row.revenue, 0);

  return (
    <>
      <PageHeader
        title="Sales"
        description="Quantity sold and revenue per item, best sellers first. This read model follows the orders a moment later."
      />
      <Card>
        {sales.isPending ? (
          <LoadingState label="Loading sales…" />
        ) : sales.isError ? (
          <ErrorState title="Could not load sales" error={sales.error} onRetry={() => void sales.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState
            title="No sales yet"
            action={<ButtonLink href="/shop/orders">{canChange ? 'Place an order' : 'See orders'}</ButtonLink>}
          >
            Every item sold shows here, with its revenue, once an order is placed.
          </EmptyState>
        ) : (
          <SalesTable
            rows={rows}
            revenue={paging.page === 0 && !sales.data?.nextCursor ? revenue : null}
            dimmed={sales.isPlaceholderData}
          />
        )}
        <Pager
          page={paging.page}
          nextCursor={sales.data?.nextCursor}
          busy={sales.isPlaceholderData}
          onNext={() => paging.next(sales.data?.nextCursor)}
          onPrevious={paging.previous}
        />
      </Card>
    </>
  );
}

function SalesTable({ rows, revenue, dimmed }: { rows: SalesRow[]; revenue: number | null; dimmed: boolean }) {
  return (
    <div className="overflow-x-auto" aria-busy={dimmed || undefined}>
      <table className={`w-full text-left text-sm ${dimmed ? 'opacity-60' : ''}`}>
        <caption className="sr-only">Sales per item</caption>
        <thead className="bg-zinc-50 text-xs font-medium tracking-wide text-zinc-600 uppercase">
          <tr>
            <th scope="col" className="w-full px-4 py-2.5 sm:px-5">
              Item
            </th>
            <th scope="col" className="px-3 py-2.5 text-right">
              Sold
            </th>
            <th scope="col" className="hidden px-3 py-2.5 text-right sm:table-cell">
              Orders
            </th>
            <th scope="col" className="px-3 py-2.5 text-right sm:pr-5 lg:pr-3">
              Revenue
            </th>
            <th scope="col" className="hidden px-3 py-2.5 lg:table-cell lg:pr-5">
              Last sold
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200">
          {rows.map((row) => (
            <tr key={row.sku}>
              <td className="max-w-0 px-4 py-3 sm:px-5">
                <div className="truncate font-medium text-zinc-900">{row.name ?? row.sku}</div>
                <div className="truncate font-mono text-xs text-zinc-600">{row.sku}</div>
              </td>
              <td className="px-3 py-3 text-right text-zinc-900 tabular-nums">{formatCount(row.quantitySold)}</td>
              <td className="hidden px-3 py-3 text-right text-zinc-700 tabular-nums sm:table-cell">
                {formatCount(row.orders)}
              </td>
              <td className="px-3 py-3 text-right font-medium whitespace-nowrap text-zinc-900 tabular-nums sm:pr-5 lg:pr-3">
                {formatMoney(row.revenue)}
              </td>
              <td className="hidden px-3 py-3 whitespace-nowrap text-zinc-700 lg:table-cell lg:pr-5">
                <Timestamp date={row.lastSoldAt} compact />
              </td>
            </tr>
          ))}
        </tbody>
        {revenue !== null ? (
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
                {formatMoney(revenue)}
              </td>
              <td className="hidden lg:table-cell" />
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
