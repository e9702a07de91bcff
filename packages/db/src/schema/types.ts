import { customType } from 'drizzle-orm/pg-core';

/**
 * PostgreSQL's 64-bit transaction id. Kept as a decimal string in JS because it can exceed 2^53.
 * Readers order by (transaction id, position) so that an event whose transaction commits late is
 * never skipped.
 */
export const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
});
