import type { ReactNode } from 'react';
import { cn } from './cn';

/** One column of a DataTable: its heading and what each row shows under it. */
export interface Column<Row> {
  /** The heading; also the column's key, so unique within a table. */
  header: string;
  /** For a column of buttons: the heading is for screen readers only. */
  headerHidden?: boolean;
  cell: (row: Row) => ReactNode;
  /**
   * On the heading and on every cell: at which width the column shows (`hidden md:table-cell`),
   * its alignment, the padding at the table's right edge.
   */
  className?: string;
  /** On the cells only: colour, weight, wrapping of the values. */
  cellClassName?: string;
}

/**
 * A list as a table. The first column takes the free width and truncates; the others fit their
 * values. `dimmed` while the next page loads: the rows stay, faded, until it arrives.
 * Columns given as `false` or `null` are left out (actions only for admins).
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  rowClassName,
  dimmed,
  footer,
}: {
  /** Names the table for screen readers. */
  caption: string;
  columns: readonly (Column<Row> | false | null)[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  rowClassName?: string;
  dimmed: boolean;
  /** A <tfoot> with totals. */
  footer?: ReactNode;
}) {
  const shown = columns.filter((column): column is Column<Row> => Boolean(column));
  const edge = (index: number) => (index === 0 ? 'px-4 sm:px-5' : 'px-3');
  return (
    <div className="overflow-x-auto" aria-busy={dimmed || undefined}>
      <table className={cn('w-full text-left text-sm', dimmed && 'opacity-60')}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-zinc-50 text-xs font-medium tracking-wide text-zinc-600 uppercase">
          <tr>
            {shown.map((column, index) => (
              <th
                key={column.header}
                scope="col"
                className={cn(index === 0 && 'w-full', edge(index), 'py-2.5', column.className)}
              >
                {column.headerHidden ? <span className="sr-only">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200">
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClassName}>
              {shown.map((column, index) => (
                <td
                  key={column.header}
                  className={cn(index === 0 && 'max-w-0', edge(index), 'py-3', column.className, column.cellClassName)}
                >
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {footer}
      </table>
    </div>
  );
}
