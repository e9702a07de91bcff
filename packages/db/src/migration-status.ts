import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Database } from './connection.ts';
import { queryRows } from './sql-rows.ts';

/** The migrations this package ships (the same folder `openDatabase` applies). */
const journalPath = fileURLToPath(new URL('./migrations/meta/_journal.json', import.meta.url));

export interface MigrationStatus {
  /** Migrations the package ships. */
  shipped: number;
  /** Migrations the database has recorded as applied. */
  applied: number;
  /** Tags of shipped migrations the database has not applied yet (empty when up to date). */
  pending: string[];
}

function shippedMigrations(): { tag: string; when: number }[] {
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string; when: number }[] };
  return journal.entries.map(({ tag, when }) => ({ tag, when }));
}

/**
 * Compares the migrations applied to the database with the journal this package ships, the way
 * Drizzle's migrator decides what to apply: a shipped migration newer than the last applied one is
 * pending. Throws when the database cannot be asked (unreachable, closed).
 */
export async function migrationStatus(database: Database): Promise<MigrationStatus> {
  const shipped = shippedMigrations();
  const [table] = await queryRows<{ present: boolean }>(
    database.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  const rows = table?.present
    ? await queryRows<{ created_at: string | number }>(
        database.db,
        sql`select created_at from drizzle.__drizzle_migrations order by created_at`,
      )
    : [];
  const last = rows.reduce((max, row) => Math.max(max, Number(row.created_at)), Number.NEGATIVE_INFINITY);
  return {
    shipped: shipped.length,
    applied: rows.length,
    pending: shipped.filter((migration) => migration.when > last).map((migration) => migration.tag),
  };
}
