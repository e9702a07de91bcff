import { createApp } from '@strata/api';
import { articles, count, items, orders, queryRows, sql, wallets } from '@strata/db';
import { testEngines, useTestDatabase } from '@strata/db/testing';
import { describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/demo-data.ts';
import { createLogger } from '../src/logger.ts';

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`demo data on ${engine.name}`, () => {
    const test = useTestDatabase(engine.name);

    it('gives every screen something to show, once however often it runs', async () => {
      const app = createApp({ database: test.database, logger: createLogger('silent') });
      const created = await seedDemoData(app);
      expect(created.map((u) => u.email)).toEqual(['alice@example.com', 'bob@example.com']);
      const eventsAfterFirst = await eventCount();

      expect(await seedDemoData(app)).toEqual([]);
      expect(await eventCount()).toBe(eventsAfterFirst);

      const db = test.database.db;
      const byStatus = await db.select({ status: articles.status, n: count() }).from(articles).groupBy(articles.status);
      expect(Object.fromEntries(byStatus.map((r) => [r.status, r.n]))).toEqual({ published: 2, draft: 1 });
      expect(await db.select({ n: count() }).from(items)).toEqual([{ n: 3 }]);
      expect(await db.select({ n: count() }).from(wallets)).toEqual([{ n: 1 }]);
      expect(await db.select({ n: count() }).from(orders)).toEqual([{ n: 1 }]);
    });

    async function eventCount(): Promise<number> {
      const [row] = await queryRows<{ n: number }>(test.database.db, sql`select count(*)::int as n from events`);
      return row?.n ?? 0;
    }
  });
}
