import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateStream,
  appendToStream,
  appendToStreams,
  type Checkpoint,
  currentCheckpoint,
  databaseErrorOf,
  InvalidAppendError,
  queryRows,
  readAll,
  readStream,
  type StoredEvent,
  saveSnapshot,
  subscribe,
  WrongExpectedVersionError,
} from '../src/index.ts';
import { createTestDatabase, type TestDatabase, testEngines, useTestDatabase, waitFor } from '../src/testing/index.ts';

const counterEvent = (n: number) => ({ type: 'Counted', data: { n } });
const deeplyNested = (depth: number): unknown => (depth === 0 ? 'bottom' : { next: deeplyNested(depth - 1) });

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`event store on ${engine.name}`, () => {
    const test = useTestDatabase(engine.name);
    const db = () => test.database.db;
    const stream = (id: string) => ({ streamId: id, streamType: 'counter' });

    it('appends to a new stream and reads it back', async () => {
      const result = await appendToStream(db(), { ...stream('basic'), expectedVersion: 'none' }, [
        counterEvent(1),
        { ...counterEvent(2), metadata: { actorId: 'u1', correlationId: 'c1' } },
      ]);
      expect(result.streams[0]?.version).toBe(2);
      expect(result.duplicate).toBe(false);
      const events = await readStream(db(), 'basic');
      expect(events.map((e) => [e.version, e.data])).toEqual([
        [1, { n: 1 }],
        [2, { n: 2 }],
      ]);
      expect(events[1]?.metadata).toMatchObject({ actorId: 'u1', correlationId: 'c1' });
      expect(events[1]?.position).toBe(result.position);
    });

    it('gives 32 concurrent writers with one expected version versions 1..N without gaps', async () => {
      const id = 'contended';
      await appendToStream(db(), { ...stream(id), expectedVersion: 'none' }, [counterEvent(0)]);
      const rounds = 4;
      for (let round = 0; round < rounds; round++) {
        const current = (await readStream(db(), id)).length;
        const outcomes = await Promise.allSettled(
          Array.from({ length: 32 }, (_, i) =>
            appendToStream(db(), { ...stream(id), expectedVersion: current }, [counterEvent(i)]),
          ),
        );
        const winners = outcomes.filter((o) => o.status === 'fulfilled');
        const losers = outcomes.filter((o) => o.status === 'rejected');
        expect(winners).toHaveLength(1);
        for (const loser of losers) {
          const reason = (loser as PromiseRejectedResult).reason;
          expect(reason).toBeInstanceOf(WrongExpectedVersionError);
          expect(reason).toMatchObject({ streamId: id, expected: current, actual: current + 1 });
        }
      }
      const versions = (await readStream(db(), id)).map((e) => e.version);
      expect(versions).toEqual(Array.from({ length: rounds + 1 }, (_, i) => i + 1));
    });

    it('appends to several streams atomically, or not at all', async () => {
      await appendToStream(db(), { ...stream('multi-a'), expectedVersion: 'none' }, [counterEvent(1)]);
      const result = await appendToStreams(db(), {
        streams: [
          { ...stream('multi-a'), expectedVersion: 1, events: [counterEvent(2)] },
          { ...stream('multi-b'), expectedVersion: 'none', events: [counterEvent(1), counterEvent(2)] },
        ],
      });
      expect(result.streams.map((s) => [s.streamId, s.version])).toEqual([
        ['multi-a', 2],
        ['multi-b', 2],
      ]);
      await expect(
        appendToStreams(db(), {
          streams: [
            { ...stream('multi-a'), expectedVersion: 2, events: [counterEvent(3)] },
            { ...stream('multi-b'), expectedVersion: 1, events: [counterEvent(3)] },
          ],
        }),
      ).rejects.toMatchObject({ code: 'store.wrong_expected_version', streamId: 'multi-b', expected: 1, actual: 2 });
      expect(await readStream(db(), 'multi-a')).toHaveLength(2);
    });

    it('enforces none and any', async () => {
      await appendToStream(db(), { ...stream('kinds'), expectedVersion: 'any' }, [counterEvent(1)]);
      await appendToStream(db(), { ...stream('kinds'), expectedVersion: 'any' }, [counterEvent(2)]);
      await expect(
        appendToStream(db(), { ...stream('kinds'), expectedVersion: 'none' }, [counterEvent(3)]),
      ).rejects.toMatchObject({ expected: 'none', actual: 2 });
      await expect(
        appendToStream(db(), { ...stream('missing'), expectedVersion: 3 }, [counterEvent(3)]),
      ).rejects.toMatchObject({ expected: 3, actual: 0 });
    });

    it('appends a command id once, one after the other and concurrently', async () => {
      const first = await appendToStream(db(), { ...stream('idem-seq'), expectedVersion: 'any' }, [counterEvent(1)], {
        commandId: 'cmd-seq',
      });
      const second = await appendToStream(db(), { ...stream('idem-seq'), expectedVersion: 'any' }, [counterEvent(1)], {
        commandId: 'cmd-seq',
      });
      expect(second.duplicate).toBe(true);
      expect(second.position).toBe(first.position);
      expect(second.streams).toEqual(first.streams);
      expect(await readStream(db(), 'idem-seq')).toHaveLength(1);

      const racing = await Promise.all(
        Array.from({ length: 10 }, () =>
          appendToStream(db(), { ...stream('idem-conc'), expectedVersion: 'any' }, [counterEvent(1)], {
            commandId: 'cmd-conc',
          }),
        ),
      );
      expect(racing.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(racing.map((r) => r.position)).size).toBe(1);
      expect(await readStream(db(), 'idem-conc')).toHaveLength(1);
    });

    it('refuses an append after another write in the same transaction', async () => {
      const error = await db()
        .transaction(async (tx) => {
          await saveSnapshot(tx, { streamId: 'wrote-first', version: 1, stateVersion: 1, state: {} });
          await appendToStream(tx, { ...stream('wrote-first'), expectedVersion: 'none' }, [counterEvent(1)]);
        })
        .catch((e: unknown) => e);
      expect(databaseErrorOf(error)).toMatchObject({ code: '55000' });
      expect(await readStream(db(), 'wrote-first')).toEqual([]);
    });

    it('refuses UPDATE, DELETE and TRUNCATE on events', async () => {
      await appendToStream(db(), { ...stream('immutable'), expectedVersion: 'any' }, [counterEvent(1)]);
      for (const statement of [
        sql`update events set data = '{}' where stream_id = 'immutable'`,
        sql`delete from events where stream_id = 'immutable'`,
        sql`truncate events`,
      ]) {
        const error = await db()
          .execute(statement)
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(databaseErrorOf(error)).toMatchObject({ code: 'ES403', message: expect.stringMatching(/append-only/) });
      }
      expect(await readStream(db(), 'immutable')).toHaveLength(1);
    });

    it('refuses bad input with a clear error and writes nothing', async () => {
      const before = await countEvents(test);
      const cases: unknown[] = [
        { streams: [{ ...stream('bad'), expectedVersion: 'any', events: [] }] },
        { streams: [{ ...stream('bad'), expectedVersion: 'sometimes', events: [counterEvent(1)] }] },
        { streams: [{ ...stream('bad'), expectedVersion: -1, events: [counterEvent(1)] }] },
        { streams: [{ ...stream('bad'), expectedVersion: 'any', events: [{ type: 'X', data: { f: () => 1 } }] }] },
        { streams: [{ ...stream('bad'), expectedVersion: 'any', events: [{ type: 'X', data: { n: 10n } }] }] },
        { streams: [{ ...stream('bad'), expectedVersion: 'any', events: [{ type: '', data: {} }] }] },
        // jsonb cannot hold a NUL character, nor the database a text with one.
        { streams: [{ ...stream('bad'), expectedVersion: 'any', events: [{ type: 'X', data: { s: 'a\u0000b' } }] }] },
        { streams: [{ ...stream('bad\u0000'), expectedVersion: 'any', events: [counterEvent(1)] }] },
        { streams: [{ ...stream('bad'), expectedVersion: 'any', events: [{ type: 'X', data: deeplyNested(100) }] }] },
        { streams: [] },
        {
          streams: [
            { ...stream('bad'), expectedVersion: 'any', events: [counterEvent(1)] },
            { ...stream('bad'), expectedVersion: 'any', events: [counterEvent(1)] },
          ],
        },
      ];
      for (const request of cases) {
        // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
        const error = await appendToStreams(db(), request as any).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidAppendError);
        expect((error as InvalidAppendError).code).toBe('store.invalid_append');
        expect((error as InvalidAppendError).message).toMatch(/streams/);
      }
      expect(await countEvents(test)).toBe(before);
    });

    it('folds snapshot plus tail to the same state as the whole stream (property)', async () => {
      type Sum = { total: number; count: number };
      const evolve = (state: Sum, e: StoredEvent): Sum => ({
        total: state.total + (e.data as { n: number }).n,
        count: state.count + 1,
      });
      const initialState = (): Sum => ({ total: 0, count: 0 });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 40 }),
          fc.nat(),
          async (values, cut) => {
            const id = `fold-${run++}`;
            await appendToStream(db(), { ...stream(id), expectedVersion: 'none' }, values.map(counterEvent));
            const snapshotAt = (cut % values.length) + 1;
            const upTo = await aggregateStream(db(), id, { initialState, evolve, toVersion: snapshotAt });
            await saveSnapshot(db(), { streamId: id, version: snapshotAt, stateVersion: 1, state: upTo.state });
            const full = await aggregateStream(db(), id, { initialState, evolve });
            const fromSnapshot = await aggregateStream(db(), id, { initialState, evolve, snapshotStateVersion: 1 });
            expect(fromSnapshot.fromSnapshot).toBe(snapshotAt);
            expect(fromSnapshot.state).toEqual(full.state);
            expect(fromSnapshot.version).toBe(values.length);
            // A snapshot of another shape is ignored rather than trusted.
            const otherShape = await aggregateStream(db(), id, { initialState, evolve, snapshotStateVersion: 2 });
            expect(otherShape.fromSnapshot).toBeUndefined();
            expect(otherShape.state).toEqual(full.state);
          },
        ),
        { numRuns: 25 },
      );
    });

    it('returns a stream as it was at a version and at a time', async () => {
      await appendToStream(db(), { ...stream('travel'), expectedVersion: 'none' }, [counterEvent(1)]);
      await new Promise((r) => setTimeout(r, 20));
      const between = new Date();
      await new Promise((r) => setTimeout(r, 20));
      await appendToStream(db(), { ...stream('travel'), expectedVersion: 1 }, [counterEvent(10)]);
      const evolve = (s: number, e: StoredEvent) => s + (e.data as { n: number }).n;
      expect((await aggregateStream(db(), 'travel', { initialState: () => 0, evolve })).state).toBe(11);
      expect((await aggregateStream(db(), 'travel', { initialState: () => 0, evolve, toVersion: 1 })).state).toBe(1);
      const atTime = await aggregateStream(db(), 'travel', { initialState: () => 0, evolve, at: between });
      expect(atTime).toMatchObject({ state: 1, version: 1 });
    });

    it('reads all in order, in pages, each event once', async () => {
      const all: StoredEvent[] = [];
      let checkpoint: Checkpoint | undefined;
      for (;;) {
        const page = await readAll(db(), { after: checkpoint, limit: 7 });
        if (page.events.length === 0) break;
        all.push(...page.events);
        checkpoint = page.checkpoint;
      }
      const total = await countEvents(test);
      expect(all).toHaveLength(total);
      expect(new Set(all.map((e) => e.position)).size).toBe(total);
    });

    // PGlite runs one transaction at a time, so these interleavings only exist on PostgreSQL.
    const concurrentIt = engine.name === 'postgres' ? it : () => undefined;

    concurrentIt(
      'never skips an event whose transaction took a position and committed late (readAll and subscribe)',
      async () => {
        const start = (await readAll(db(), { limit: 10_000, after: undefined })).checkpoint;
        const delivered: StoredEvent[] = [];
        const subscription = await subscribe(test.database, {
          after: start,
          pollIntervalMs: 50,
          onEvents: (events) => {
            delivered.push(...events);
          },
        });
        let release!: () => void;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let slowPosition = 0;
        let positionTaken!: () => void;
        const taken = new Promise<void>((resolve) => {
          positionTaken = resolve;
        });
        const slow = db().transaction(async (tx) => {
          const result = await appendToStream(tx, { ...stream('slow'), expectedVersion: 'none' }, [counterEvent(0)]);
          slowPosition = result.position;
          positionTaken();
          await held;
        });
        await taken;
        const fast: number[] = [];
        for (let i = 0; i < 5; i++) {
          const r = await appendToStream(db(), { ...stream(`fast-${i}`), expectedVersion: 'none' }, [counterEvent(i)]);
          fast.push(r.position);
        }
        expect(Math.min(...fast)).toBeGreaterThan(slowPosition);
        // While the slow transaction is open, a reader must not move past it.
        const whileOpen = await readAll(db(), { after: start });
        expect(whileOpen.events.map((e) => e.position)).not.toContain(fast[0]);
        await new Promise((r) => setTimeout(r, 200));
        expect(delivered).toHaveLength(0);

        release();
        await slow;
        const afterCommit = await readAll(db(), { after: whileOpen.checkpoint });
        const positions = afterCommit.events.map((e) => e.position);
        expect(positions).toEqual([slowPosition, ...fast]);

        await waitFor(() => delivered.length >= 6, 'six deliveries');
        await subscription.stop();
        expect(delivered.map((e) => e.position)).toEqual([slowPosition, ...fast]);
      },
    );

    concurrentIt('delivers each stream in version order while transactions race over shared streams', async () => {
      const start = await currentCheckpoint(db());
      const names = ['race-a', 'race-b', 'race-c', 'race-d', 'race-e'];
      // Transactions appending to two of five streams each, all at once: a transaction that waited
      // for another one's stream must still come after it in commit order.
      await Promise.all(
        Array.from({ length: 120 }, (_, i) =>
          db().transaction(async (tx) => {
            const picked = [names[i % 5], names[(i * 3 + 1) % 5]].filter((n, k, all) => all.indexOf(n) === k);
            await appendToStreams(tx, {
              streams: picked.map((name) => ({
                ...stream(name as string),
                expectedVersion: 'any',
                events: [counterEvent(i)],
              })),
            });
          }),
        ),
      );
      const { events } = await readAll(db(), { after: start, limit: 10_000 });
      for (const name of names) {
        const versions = events.filter((e) => e.streamId === name).map((e) => e.version);
        expect(versions, name).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
      }
    });

    concurrentIt('is not held back by a transaction open in another database of the cluster', async () => {
      // Stands for anyone else's database on the same server, with a writing transaction open.
      const elsewhere = await createTestDatabase('postgres', { maxConnections: 2 });
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let foreign: Promise<void> | undefined;
      try {
        let opened!: () => void;
        const open = new Promise<void>((resolve) => {
          opened = resolve;
        });
        foreign = elsewhere.database.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_current_xact_id()`);
          opened();
          await held;
        });
        await open;
        const before = await currentCheckpoint(db());
        const appended = await appendToStream(db(), { ...stream('beside-foreign'), expectedVersion: 'none' }, [
          counterEvent(1),
        ]);
        const read = await readAll(db(), { after: before });
        expect(read.events.map((e) => e.position)).toEqual([appended.position]);
      } finally {
        release();
        await foreign;
        await elsewhere.drop();
      }
    });

    concurrentIt('subscribe delivers a concurrent burst exactly once, in commit order', async () => {
      const start = (await readAll(db(), { limit: 10_000 })).checkpoint;
      const delivered: StoredEvent[] = [];
      const subscription = await subscribe(test.database, {
        after: start,
        batchSize: 50,
        onEvents: (events) => {
          delivered.push(...events);
        },
      });
      const writes = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          appendToStream(db(), { ...stream(`burst-${i % 30}`), expectedVersion: 'any' }, [counterEvent(i)]),
        ),
      );
      await waitFor(() => delivered.length >= writes.length, 'every write delivered');
      await new Promise((r) => setTimeout(r, 100));
      await subscription.stop();
      expect(delivered).toHaveLength(writes.length);
      expect(new Set(delivered.map((e) => e.position))).toEqual(new Set(writes.map((w) => w.position)));
      const order = delivered.map((e) => [BigInt(e.transactionId), e.position] as const);
      for (let i = 1; i < order.length; i++) {
        const [tx, pos] = order[i] ?? [0n, 0];
        const [ptx, ppos] = order[i - 1] ?? [0n, 0];
        expect(tx > ptx || (tx === ptx && pos > ppos)).toBe(true);
      }
    });

    it('subscribe wakes on a new append (LISTEN/NOTIFY) without waiting for the poll', async () => {
      const start = (await readAll(db(), { limit: 10_000 })).checkpoint;
      const delivered: StoredEvent[] = [];
      const subscription = await subscribe(test.database, {
        after: start,
        pollIntervalMs: 60_000,
        onEvents: (events) => {
          delivered.push(...events);
        },
      });
      await new Promise((r) => setTimeout(r, 50));
      await appendToStream(db(), { ...stream('wake'), expectedVersion: 'any' }, [counterEvent(1)]);
      await waitFor(() => delivered.length === 1, 'the wake-up delivery', 5000);
      await subscription.stop();
      expect(delivered[0]?.streamId).toBe('wake');
    });
  });
}

async function countEvents(test: TestDatabase): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(test.database.db, sql`select count(*)::int as n from events`);
  return Number(row?.n ?? 0);
}
