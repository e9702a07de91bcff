'use client';

import type { ReactNode } from 'react';
import { PagedList, type PagedListProps } from './paged-list';
import { Card, PageHeader } from './states';

/**
 * A page that is one list: its title and actions, the filters (a FilterBar) above the rows, and
 * the rows a page at a time.
 */
export function ListScreen<Row>({
  title,
  description,
  actions,
  filters,
  ...list
}: PagedListProps<Row> & {
  title: string;
  description: ReactNode;
  actions?: ReactNode;
  filters?: ReactNode;
}) {
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      <Card>
        {filters}
        <PagedList {...list} />
      </Card>
    </>
  );
}
