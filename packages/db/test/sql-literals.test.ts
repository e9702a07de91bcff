import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryRows, sql } from '../src/index.ts';
import { runPrepared } from '../src/sql-rows.ts';
import { useTestDatabase } from '../src/testing/index.ts';

// PGlite runs prepared statements with their values as literals (EXECUTE takes no bound
// parameters): whatever a value holds must come back exactly, and never run as SQL.
describe('values as literals on PGlite', () => {
  const test = useTestDatabase('pglite');
  const echo = 'select $1::text as t, $2::text[] as a, $3::jsonb as j, $4::int[] as n, $5::boolean as b';

  it('round-trip any text, array, JSON, number and null', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\u0000'));
    await fc.assert(
      fc.asyncProperty(
        fc.option(text),
        fc.array(fc.option(text), { maxLength: 5 }),
        fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).includes('\\u0000')),
        fc.array(fc.option(fc.integer({ min: -1e9, max: 1e9 })), { maxLength: 4 }),
        fc.boolean(),
        async (t, a, j, n, b) => {
          const [row] = await runPrepared<{
            t: string | null;
            a: (string | null)[];
            j: unknown;
            n: (number | null)[];
            b: boolean;
          }>(test.database.db, echo, [t, a, JSON.stringify(j), n, b]);
          expect(row).toEqual({ t, a, j: JSON.parse(JSON.stringify(j)), n, b });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never runs a value as SQL', async () => {
    const nasty = [
      "'); drop table events; --",
      "\\'); drop table events; --",
      "E'\\\\'",
      '{"a", NULL}',
      'NULL',
      '"quoted" \\ back',
      '$$ dollar $$',
    ];
    for (const value of nasty) {
      const [row] = await runPrepared<{ t: string; a: string[] }>(test.database.db, echo, [
        value,
        [value, value],
        'null',
        [],
        true,
      ]);
      expect(row?.t).toBe(value);
      expect(row?.a).toEqual([value, value]);
    }
    const [events] = await queryRows<{ n: number }>(test.database.db, sql`select count(*)::int as n from events`);
    expect(events?.n).toBeGreaterThanOrEqual(0);
  });
});
