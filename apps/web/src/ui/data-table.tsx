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
   * The column that takes the free width and truncates its values; the others fit theirs. The
   * first column unless another says so.
   */
  fill?: boolean;
  /**
   * On the heading and on every cell: at which width the column shows (`hidden md:table-cell`),
   * its alignment, the padding at the table's right edge.
   */
  className?: string;
  /** On the cells only: colour, weight, wrapping of the values (and padding: it wins over the table's). */
  cellClassName?: string;
}

/**
 * Each row in a <tbody> of its own, named for screen readers (`label`), with a full-width row
 * below it when `detail` has something to show (a rebuild's progress, a failure).
 */
export interface RowGroups<Row> {
  label: (row: Row) => string;
  detail?: (row: Row) => ReactNode;
}

/**
 * A list as a table. The fill column (the first, unless one says `fill`) takes the free width and
 * truncates; the others fit their values. `dimmed` while the next page loads: the rows stay,
 * faded, until it arrives. Columns given as `false` or `null` are left out (actions only for
 * admins).
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  rowClassName,
  onRowClick,
  groups,
  dimmed = false,
  footer,
}: {
  /** Names the table for screen readers. */
  caption: string;
  columns: readonly (Column<Row> | false | null)[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  rowClassName?: string | ((row: Row) => string | undefined);
  /** A click anywhere on the row (it must hold a button or link that does the same, for keyboards). */
  onRowClick?: (row: Row) => void;
  groups?: RowGroups<Row>;
  dimmed?: boolean;
  /** A <tfoot> with totals. */
  footer?: ReactNode;
}) {
  const shown = columns.filter((column): column is Column<Row> => Boolean(column));
  const fill = Math.max(
    0,
    shown.findIndex((column) => column.fill),
  );
  const edge = (index: number) => (index === 0 ? 'px-4 sm:px-5' : 'px-3');
  const row = (item: Row) => (
    <tr
      key={groups ? undefined : rowKey(item)}
      className={typeof rowClassName === 'function' ? rowClassName(item) : rowClassName}
      onClick={onRowClick ? () => onRowClick(item) : undefined}
    >
      {shown.map((column, index) => (
        <td
          key={column.header}
          className={cn(index === fill && 'max-w-0', edge(index), 'py-3', column.className, column.cellClassName)}
        >
          {column.cell(item)}
        </td>
      ))}
    </tr>
  );
  const group = (item: Row, grouping: RowGroups<Row>) => {
    const detail = grouping.detail?.(item);
    return (
      <tbody key={rowKey(item)} className="border-t border-zinc-200" aria-label={grouping.label(item)}>
        {row(item)}
        {detail ? (
          <tr>
            <td colSpan={shown.length} className="px-4 pb-3 sm:px-5">
              {detail}
            </td>
          </tr>
        ) : null}
      </tbody>
    );
  };
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
                className={cn(index === fill && 'w-full', edge(index), 'py-2.5', column.className)}
              >
                {column.headerHidden ? <span className="sr-only">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        {groups ? (
          rows.map((item) => group(item, groups))
        ) : (
          <tbody className="divide-y divide-zinc-200">{rows.map(row)}</tbody>
        )}
        {footer}
      </table>
    </div>
  );
}
