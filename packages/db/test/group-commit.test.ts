import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppendRequest,
  type AppendResult,
  appendToStream,
  appendToStreams,
  type Database,
  type ExpectedVersion,
  openDatabase,
  queryRows,
  readStream,
  WrongExpectedVersionError,
} from '../src/index.ts';
import { testEngines, useTestDatabase, waitFor } from '../src/testing/index.ts';

/**
 * Group commit: appends that arrive while one is on its way share the next statement and commit.
 * Sharing must never change an answer: each request gets exactly what it would get alone, in the
 * order the calls were made.
 */

const event = (n: number) => ({ type: 'Counted', data: { n } });
const counter = (streamId: string) => ({ streamId, streamType: 'counter' });

type Outcome = { ok: { streamId: string; version: number }[] } | { conflict: { streamId: string; actual: number } };

async function outcomeOf(append: Promise<AppendResult>): Promise<Outcome> {
  try {
    const result = await append;
    return { ok: result.streams.map((s) => ({ streamId: s.streamId, version: s.version })) };
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) {
      return { conflict: { streamId: error.streamId, actual: error.actual } };
    }
    throw error;
  }
}

/** What the requests answer when applied one at a time, in order: the reference for a batch. */
function sequentialModel(
  requests: { streams: { streamId: string; expected: ExpectedVersion; events: number }[] }[],
  start: Map<string, number>,
): { outcomes: Outcome[]; versions: Map<string, number> } {
  const versions = new Map(start);
  const outcomes = requests.map((request): Outcome => {
    for (const s of request.streams) {
      const actual = versions.get(s.streamId) ?? 0;
      const ok =
        s.expected === 'any' ||
        (s.expected === 'none' && actual === 0) ||
        (typeof s.expected === 'number' && s.expected === actual);
      if (!ok) return { conflict: { streamId: s.streamId, actual } };
    }
    return {
      ok: request.streams.map((s) => {
        const version = (versions.get(s.streamId) ?? 0) + s.events;
        versions.set(s.streamId, version);
        return { streamId: s.streamId, version };
      }),
    };
  });
  return { outcomes, versions };
}

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`group commit on ${engine.name}`, () => {
    const test = useTestDatabase(engine.name);
    const db = () => test.database.db;

    it('lets concurrent appends share one transaction, each with its own result', async () => {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          appendToStream(db(), { ...counter(`shared-${i}`), expectedVersion: 'none' }, [event(i), event(i + 1)]),
        ),
      );
      // The first goes at once; the rest arrive while it is out and go together.
      const transactions = new Set(results.map((r) => r.transactionId));
      expect(transactions.size).toBeLessThan(results.length);
      results.forEach((result, i) => {
        expect(result.streams).toEqual([
          { streamId: `shared-${i}`, version: 2, firstPosition: expect.any(Number), lastPosition: expect.any(Number) },
        ]);
        const [stream] = result.streams;
        expect(stream!.lastPosition - stream!.firstPosition).toBe(1);
        expect(result.position).toBe(stream!.lastPosition);
      });
      for (let i = 0; i < 40; i += 13) {
        const stored = await readStream(db(), `shared-${i}`);
        expect(stored.map((e) => [e.version, e.data, e.position])).toEqual([
          [1, { n: i }, results[i]!.streams[0]!.firstPosition],
          [2, { n: i + 1 }, results[i]!.streams[0]!.lastPosition],
        ]);
      }
    });

    it('judges each request of a batch on its own, in call order', async () => {
      await appendToStream(db(), { ...counter('judge-a'), expectedVersion: 'none' }, [event(1)]);
      const calls = [
        // Moves judge-a to 2 and starts judge-b.
        appendToStreams(db(), {
          streams: [
            { ...counter('judge-a'), expectedVersion: 1, events: [event(2)] },
            { ...counter('judge-b'), expectedVersion: 'none', events: [event(1)] },
          ],
        }),
        // Stale: judge-a is at 2 by now.
        appendToStream(db(), { ...counter('judge-a'), expectedVersion: 1 }, [event(3)]),
        // Fails on judge-a, so judge-c must not be started either.
        appendToStreams(db(), {
          streams: [
            { ...counter('judge-c'), expectedVersion: 'none', events: [event(1)] },
            { ...counter('judge-a'), expectedVersion: 5, events: [event(3)] },
          ],
        }),
        appendToStream(db(), { ...counter('judge-a'), expectedVersion: 2 }, [event(3)]),
        appendToStream(db(), { ...counter('judge-b'), expectedVersion: 'none' }, [event(2)]),
        appendToStream(db(), { ...counter('judge-b'), expectedVersion: 'any' }, [event(2)]),
      ];
      expect(await Promise.all(calls.map(outcomeOf))).toEqual([
        {
          ok: [
            { streamId: 'judge-a', version: 2 },
            { streamId: 'judge-b', version: 1 },
          ],
        },
        { conflict: { streamId: 'judge-a', actual: 2 } },
        { conflict: { streamId: 'judge-a', actual: 2 } },
        { ok: [{ streamId: 'judge-a', version: 3 }] },
        { conflict: { streamId: 'judge-b', actual: 1 } },
        { ok: [{ streamId: 'judge-b', version: 2 }] },
      ]);
      expect(await readStream(db(), 'judge-c')).toEqual([]);
      const rows = await queryRows<{ stream_id: string }>(
        db(),
        sql`select stream_id from streams where stream_id = 'judge-c'`,
      );
      expect(rows).toEqual([]);
      // judge-c was never started, so it can still be.
      await appendToStream(db(), { ...counter('judge-c'), expectedVersion: 'none' }, [event(1)]);
    });

    it('answers a command id that arrives again in the same rush with the first result', async () => {
      const calls = Array.from({ length: 6 }, (_, i) =>
        appendToStream(db(), { ...counter(`rush-${i % 2}`), expectedVersion: 'any' }, [event(i)], {
          commandId: `rush-cmd-${i % 2}`,
        }),
      );
      const results = await Promise.all(calls);
      expect(results.map((r) => r.duplicate)).toEqual([false, false, true, true, true, true]);
      expect(results[2]!.position).toBe(results[0]!.position);
      expect(results[3]!.streams).toEqual(results[1]!.streams);
      expect(await readStream(db(), 'rush-0')).toHaveLength(1);
      expect(await readStream(db(), 'rush-1')).toHaveLength(1);
    });

    it('fails only the request the database refuses, not the ones that shared its batch', async () => {
      const eventId = '7c9e6679-7425-40de-944b-e07a4b4d7b11';
      await appendToStream(db(), { ...counter('refused-first'), expectedVersion: 'none' }, [{ ...event(0), eventId }]);
      const calls = [
        appendToStream(db(), { ...counter('refused-warm'), expectedVersion: 'none' }, [event(0)]),
        appendToStream(db(), { ...counter('refused-ok-1'), expectedVersion: 'none' }, [event(1)]),
        // The same event id twice: the unique index refuses it.
        appendToStream(db(), { ...counter('refused-bad'), expectedVersion: 'none' }, [{ ...event(2), eventId }]),
        appendToStream(db(), { ...counter('refused-ok-2'), expectedVersion: 'none' }, [event(3)]),
      ];
      const settled = await Promise.allSettled(calls);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(await readStream(db(), 'refused-ok-1')).toHaveLength(1);
      expect(await readStream(db(), 'refused-ok-2')).toHaveLength(1);
      expect(await readStream(db(), 'refused-bad')).toEqual([]);
    });

    it('keeps an append inside a transaction in that transaction', async () => {
      const rolledBack = db()
        .transaction(async (tx) => {
          await appendToStream(tx, { ...counter('in-tx'), expectedVersion: 'none' }, [event(1)]);
          throw new Error('changed my mind');
        })
        .catch((error: unknown) => error);
      expect(await rolledBack).toMatchObject({ message: 'changed my mind' });
      expect(await readStream(db(), 'in-tx')).toEqual([]);
      await appendToStream(db(), { ...counter('in-tx'), expectedVersion: 'none' }, [event(2)]);
    });

    it('answers like one append at a time, whatever shares a batch (property)', async () => {
      const streamIds = ['p-a', 'p-b', 'p-c'];
      const expectedArb: fc.Arbitrary<ExpectedVersion> = fc.oneof(
        fc.constant('any' as const),
        fc.constant('none' as const),
        fc.integer({ min: 0, max: 4 }),
      );
      const requestArb = fc
        .uniqueArray(
          fc.record({
            streamId: fc.constantFrom(...streamIds),
            expected: expectedArb,
            events: fc.integer({ min: 1, max: 2 }),
          }),
          { minLength: 1, maxLength: 2, selector: (s) => s.streamId },
        )
        .map((streams) => ({ streams }));
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(requestArb, { minLength: 1, maxLength: 12 }), async (requests) => {
          run++;
          const id = (streamId: string) => `${streamId}-${run}`;
          const { outcomes: expected, versions } = sequentialModel(requests, new Map());
          const outcomes = await Promise.all(
            requests.map((request) =>
              outcomeOf(
                appendToStreams(db(), {
                  streams: request.streams.map((s) => ({
                    ...counter(id(s.streamId)),
                    expectedVersion: s.expected,
                    events: Array.from({ length: s.events }, (_, n) => event(n)),
                  })),
                } satisfies AppendRequest),
              ),
            ),
          );
          const renamed = expected.map(
            (o): Outcome =>
              'ok' in o
                ? { ok: o.ok.map((s) => ({ ...s, streamId: id(s.streamId) })) }
                : { conflict: { ...o.conflict, streamId: id(o.conflict.streamId) } },
          );
          expect(outcomes).toEqual(renamed);
          for (const streamId of streamIds) {
            const stored = await readStream(db(), id(streamId));
            expect(stored.map((e) => e.version)).toEqual(
              Array.from({ length: versions.get(streamId) ?? 0 }, (_, i) => i + 1),
            );
            // Positions follow versions within a stream.
            expect(stored.map((e) => e.position)).toEqual([...stored.map((e) => e.position)].sort((a, b) => a - b));
          }
        }),
        { numRuns: 40 },
      );
    });

    // Two pools stand for two api processes: their batches meet only in the database. PGlite has
    // one process by design, so these are declared for PostgreSQL only.
    const acrossProcesses = engine.name === 'postgres' ? describe : () => undefined;
    acrossProcesses('behind a batch stuck on a lock', () => {
      it('lets appends to other streams pass, and keeps the stuck stream in call order', async () => {
        await appendToStream(db(), { ...counter('stuck'), expectedVersion: 'none' }, [event(0)]);
        let release!: () => void;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let locked!: () => void;
        const lockTaken = new Promise<void>((resolve) => {
          locked = resolve;
        });
        const holder = db().transaction(async (tx) => {
          await tx.execute(sql`select version from streams where stream_id = 'stuck' for update`);
          locked();
          await held;
        });
        await lockTaken;
        const first = outcomeOf(appendToStream(db(), { ...counter('stuck'), expectedVersion: 1 }, [event(1)]));
        // Long enough for the first batch to count as slow and let the next ones go.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const second = outcomeOf(appendToStream(db(), { ...counter('stuck'), expectedVersion: 1 }, [event(2)]));
        const other = await appendToStream(db(), { ...counter('free'), expectedVersion: 'none' }, [event(0)]);
        expect(other.streams[0]?.version).toBe(1);
        release();
        await holder;
        expect(await first).toEqual({ ok: [{ streamId: 'stuck', version: 2 }] });
        expect(await second).toEqual({ conflict: { streamId: 'stuck', actual: 2 } });
      });
    });

    acrossProcesses('across processes', () => {
      let other: Database;
      beforeAll(async () => {
        other = await openDatabase({ url: test.url, maxConnections: 8, migrate: false });
      });
      afterAll(async () => {
        await other?.close();
      });

      it('creates a stream once when two processes start it at the same time', async () => {
        for (let round = 0; round < 20; round++) {
          const streamId = `created-twice-${round}`;
          const outcomes = await Promise.all(
            [db(), other.db, db(), other.db].map((d, i) =>
              outcomeOf(appendToStream(d, { ...counter(streamId), expectedVersion: 'none' }, [event(i)])),
            ),
          );
          expect(outcomes.filter((o) => 'ok' in o)).toHaveLength(1);
          expect(outcomes.filter((o) => 'conflict' in o)).toEqual(
            Array.from({ length: 3 }, () => ({ conflict: { streamId, actual: 1 } })),
          );
        }
      });

      it('appends with any from two processes without gaps or lost events', async () => {
        const streamId = 'any-twice';
        const writes = Array.from({ length: 60 }, (_, i) =>
          appendToStream(i % 2 ? db() : other.db, { ...counter(streamId), expectedVersion: 'any' }, [event(i)]),
        );
        await Promise.all(writes);
        const stored = await readStream(db(), streamId);
        expect(stored.map((e) => e.version)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        expect(new Set(stored.map((e) => (e.data as { n: number }).n)).size).toBe(60);
      });

      it('keeps a command id once when two processes send it at the same time', async () => {
        for (let round = 0; round < 10; round++) {
          const results = await Promise.all(
            [db(), other.db, db(), other.db].map((d) =>
              appendToStream(d, { ...counter(`twin-${round}`), expectedVersion: 'any' }, [event(round)], {
                commandId: `twin-cmd-${round}`,
              }),
            ),
          );
          expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
          expect(new Set(results.map((r) => r.position)).size).toBe(1);
          expect(await readStream(db(), `twin-${round}`)).toHaveLength(1);
        }
      });

      it('answers a command id committed meanwhile by another process as a duplicate, whatever its streams', async () => {
        // The twin names other streams, so no stream lock orders the two: the batch finds the
        // command id only at its primary key, waits for the twin's commit, and must go again.
        let commit!: () => void;
        const held = new Promise<void>((resolve) => {
          commit = resolve;
        });
        let appended!: (result: AppendResult) => void;
        const twinAppended = new Promise<AppendResult>((resolve) => {
          appended = resolve;
        });
        const twin = other.db.transaction(async (tx) => {
          appended(
            await appendToStream(tx, { ...counter('twin-a'), expectedVersion: 'none' }, [event(1)], {
              commandId: 'twin-across-streams',
            }),
          );
          await held;
        });
        const first = await twinAppended;
        const second = appendToStream(db(), { ...counter('twin-b'), expectedVersion: 'none' }, [event(2)], {
          commandId: 'twin-across-streams',
        });
        await waitFor(async () => {
          const [row] = await queryRows<{ waiting: number }>(
            db(),
            sql`select count(*)::int as waiting from pg_locks where not granted and locktype = 'transactionid'`,
          );
          return (row?.waiting ?? 0) > 0;
        }, 'the batch to wait for the twin');
        commit();
        await twin;
        expect(await second).toMatchObject({
          duplicate: true,
          position: first.position,
          transactionId: first.transactionId,
        });
        expect(await readStream(db(), 'twin-a')).toHaveLength(1);
        expect(await readStream(db(), 'twin-b')).toHaveLength(0);
      });
    });
  });
}
