import { randomUUID } from 'node:crypto';
import { domainEvents, identityPlans, normaliseEmail, UserRoleChanged, userIdOfStream } from '@strata/domain';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendToStreams,
  createCommandRunner,
  createProjectionWorker,
  ensureCheckpoint,
  eventStats,
  eventStatsProjection,
  outbox,
  processSharedBatch,
  projectionProcessor,
  projectionStatuses,
  queryRows,
  reactorProcessor,
  readCheckpoint,
  rebuildProjection,
  roleChangeNotifications,
  sessionsProjection,
  users,
  usersProjection,
  waitForProjection,
} from '../src/index.ts';
import { createTestDatabase, type TestDatabase, testEngines } from '../src/testing/index.ts';

const statsProjection = eventStatsProjection(domainEvents.types);

function newUser(i: number) {
  return identityPlans.createUser(
    {
      userId: randomUUID(),
      email: `user${i}-${randomUUID().slice(0, 6)}@example.com`,
      name: `User ${i}`,
      role: i % 3 === 0 ? 'admin' : 'viewer',
      passwordHash: 'not-a-real-hash',
    },
    normaliseEmail,
  );
}

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`projections on ${engine.name}`, () => {
    let test: TestDatabase;
    let commands: ReturnType<typeof createCommandRunner>;
    beforeAll(async () => {
      test = await createTestDatabase(engine.name);
      commands = createCommandRunner({
        database: test.database,
        catalog: domainEvents,
        projections: [usersProjection, sessionsProjection, statsProjection],
      });
    });
    afterAll(async () => {
      await test?.drop();
    });
    const db = () => test.database.db;
    const statsRows = () => db().select().from(eventStats).orderBy(asc(eventStats.streamType), asc(eventStats.type));
    const usersRows = () => db().select().from(users).orderBy(asc(users.userId));
    const expectedStats = async () =>
      queryRows<{ stream_type: string; type: string; n: string | number }>(
        db(),
        sql`select stream_type, type, count(*) as n from events group by 1, 2 order by 1, 2`,
      );

    it('an async worker catches up, checkpoints, and serves read-your-writes', async () => {
      for (let i = 0; i < 30; i++) await commands.run(newUser(i));
      const worker = createProjectionWorker({
        database: test.database,
        processors: [projectionProcessor(statsProjection), reactorProcessor(roleChangeNotifications)],
        pollIntervalMs: 200,
        batchSize: 7,
      });
      await worker.start();
      try {
        const last = await commands.run(newUser(99));
        await waitForProjection(test.database, statsProjection, last.position, 5000);
        const stats = await statsRows();
        const expected = await expectedStats();
        expect(stats.map((r) => [r.streamType, r.type, r.count])).toEqual(
          expected.map((r) => [r.stream_type, r.type, Number(r.n)]),
        );
        const [status] = (await projectionStatuses(test.database, [statsProjection])).filter(
          (s) => s.name === 'event_stats',
        );
        expect(status).toMatchObject({ mode: 'async', lag: 0 });
        expect(status?.position).toBeGreaterThanOrEqual(last.position);
      } finally {
        await worker.stop();
      }
    });

    it('runs an async reactor once per event, from its own checkpoint', async () => {
      const created = await commands.run(newUser(4));
      const userId = userIdOfStream(created.streamId);
      await commands.run(identityPlans.changeRole(userId, 'admin'));
      const demoted = await commands.run(identityPlans.changeRole(userId, 'viewer'));
      const worker = createProjectionWorker({
        database: test.database,
        processors: [reactorProcessor(roleChangeNotifications)],
        pollIntervalMs: 100,
      });
      await worker.start();
      try {
        const deadline = Date.now() + 5000;
        let messages: (typeof outbox.$inferSelect)[] = [];
        while (Date.now() < deadline) {
          messages = (await db().select().from(outbox)).filter(
            (m) => (m.payload as { userId: string }).userId === userId,
          );
          if (messages.length >= 2) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(messages.map((m) => (m.payload as { role: string }).role).sort()).toEqual(['admin', 'viewer']);
        expect(demoted.position).toBeGreaterThan(created.position);
      } finally {
        await worker.stop();
      }
      // A rebuild replays projections only: the outbox is left alone.
      const before = await db().select().from(outbox);
      await rebuildProjection(test.database, statsProjection);
      expect(await db().select().from(outbox)).toHaveLength(before.length);
    });

    it('keeps a failing processor at its checkpoint without undoing the others in its batch', async () => {
      const last = await commands.run(newUser(5));
      await db().execute(sql`create table if not exists flaky_marks (position bigint primary key)`);
      await ensureCheckpoint(db(), 'flaky');
      // Writes, then fails: its writes must roll back with its checkpoint, the stats must stay. (It
      // fails twice: the batch runs once with everyone together, then again with each isolated.)
      let failures = 2;
      const flaky = {
        checkpointName: 'flaky',
        eventTypes: domainEvents.types,
        async apply(tx: typeof test.database.db, events: readonly { position: number }[]) {
          for (const e of events) await tx.execute(sql`insert into flaky_marks values (${e.position})`);
          if (failures-- > 0) throw new Error('flaky');
        },
      };
      const stats = projectionProcessor(statsProjection);
      await rebuildProjection(test.database, statsProjection);
      const reading = { batchSize: 100_000 };
      const failed = await processSharedBatch(db(), [stats, flaky], reading);
      expect([...failed.failures.keys()]).toEqual(['flaky']);
      expect(failed.checkpoints.get('event_stats')?.position).toBeGreaterThanOrEqual(last.position);
      expect((await readCheckpoint(db(), 'flaky')).position).toBe(0);
      expect(await queryRows(db(), sql`select * from flaky_marks`)).toEqual([]);
      const statsAfterFailure = await statsRows();

      // Next time it catches up alone, every event once; the stats are not applied twice.
      const retried = await processSharedBatch(db(), [stats, flaky], reading);
      expect(retried.failures.size).toBe(0);
      const marks = await queryRows<{ n: string | number }>(db(), sql`select count(*) as n from flaky_marks`);
      const [events] = await queryRows<{ n: string | number }>(db(), sql`select count(*) as n from events`);
      expect(Number(marks[0]?.n)).toBe(Number(events?.n));
      expect(await statsRows()).toEqual(statsAfterFailure);
    });

    it('reads the log with the checkpoint lock from where the worker left it, and again when that guess is wrong', async () => {
      const name = `guessing-${randomUUID().slice(0, 8)}`;
      await ensureCheckpoint(db(), name);
      const seen: number[] = [];
      const recorder = {
        checkpointName: name,
        eventTypes: domainEvents.types,
        async apply(_tx: typeof test.database.db, events: readonly { position: number }[]) {
          seen.push(...events.map((e) => e.position));
        },
      };
      const reading = { batchSize: 100_000 };
      const caughtUp = await processSharedBatch(db(), [recorder], reading);
      const allPositions = async () =>
        (await queryRows<{ position: string | number }>(db(), sql`select position from events order by position`)).map(
          (row) => Number(row.position),
        );
      expect(seen).toEqual(await allPositions());

      // Right guess (where the last batch left it): only the new events.
      await commands.run(newUser(6));
      await processSharedBatch(db(), [recorder], { ...reading, known: caughtUp.checkpoints });
      // A guess behind the checkpoint (as if a batch of another worker had moved it since): nothing twice.
      await commands.run(newUser(7));
      await processSharedBatch(db(), [recorder], {
        ...reading,
        known: new Map([[name, { transactionId: '0', position: 0 }]]),
      });
      // A guess ahead of it (as if a rebuild had set it back): nothing skipped.
      await commands.run(newUser(8));
      const ahead = new Map([[name, { transactionId: String(2n ** 62n), position: Number.MAX_SAFE_INTEGER }]]);
      await processSharedBatch(db(), [recorder], { ...reading, known: ahead });
      expect(seen).toEqual(await allPositions());
    });

    it('lets a sync reactor veto the append', async () => {
      const vetoing = createCommandRunner({
        database: test.database,
        catalog: domainEvents,
        projections: [usersProjection],
        syncReactors: [
          async (_tx, events) => {
            if (events.some((e) => e.type === 'UserCreated' && (e.data as { name: string }).name === 'Mallory')) {
              throw new Error('vetoed: no Mallory');
            }
          },
        ],
      });
      const [{ n: before } = { n: 0 }] = await queryRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from events`,
      );
      await expect(
        vetoing.run(
          identityPlans.createUser(
            {
              userId: randomUUID(),
              email: 'm@example.com',
              name: 'Mallory',
              role: 'viewer',
              passwordHash: 'x',
            },
            normaliseEmail,
          ),
        ),
      ).rejects.toThrow(/vetoed/);
      const [{ n: after } = { n: 0 }] = await queryRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from events`,
      );
      expect(after).toBe(before);
    });

    it('rebuilds while writes continue, ending equal to a fresh rebuild (inline and async)', async () => {
      const worker = createProjectionWorker({
        database: test.database,
        processors: [projectionProcessor(statsProjection)],
        pollIntervalMs: 50,
      });
      await worker.start();
      try {
        for (let i = 0; i < 40; i++) await commands.run(newUser(100 + i));
        let writing = true;
        const writes = (async () => {
          let i = 0;
          while (writing) {
            const created = await commands.run(newUser(200 + i));
            if (i % 2 === 0)
              await commands.run(identityPlans.renameUser(userIdOfStream(created.streamId), `Renamed ${i}`));
            i++;
            // Writes arrive as requests do, each its own task: on PGlite a loop of awaited queries
            // alone is one endless chain of microtasks and would starve every timer.
            await new Promise((resolve) => setImmediate(resolve));
          }
          return i;
        })();
        try {
          await Promise.all([
            rebuildProjection(test.database, usersProjection, { batchSize: 13 }),
            rebuildProjection(test.database, statsProjection, { batchSize: 13 }),
          ]);
        } finally {
          writing = false;
        }
        const written = await writes;
        expect(written).toBeGreaterThan(0);
        const head = await commands.run(newUser(999));
        await waitForProjection(test.database, statsProjection, head.position, 5000);

        const liveUsers = await usersRows();
        const liveStats = await statsRows();
        expect(liveStats.map((r) => [r.streamType, r.type, r.count])).toEqual(
          (await expectedStats()).map((r) => [r.stream_type, r.type, Number(r.n)]),
        );
        await rebuildProjection(test.database, usersProjection);
        expect(await usersRows()).toEqual(liveUsers);
      } finally {
        await worker.stop();
      }
      const [status] = (await projectionStatuses(test.database, [usersProjection])).filter((s) => s.name === 'users');
      expect(status?.rebuild).toMatchObject({ status: 'done' });
      expect(status?.rebuild?.eventsDone).toBeGreaterThan(0);
    });

    it('keeps one worker per projection; another takes over when it stops', async () => {
      const make = () =>
        createProjectionWorker({
          database: test.database,
          processors: [projectionProcessor(statsProjection)],
          pollIntervalMs: 50,
          lockRetryMs: 100,
        });
      const first = make();
      const second = make();
      await first.start();
      await new Promise((r) => setTimeout(r, 100));
      await second.start();
      await new Promise((r) => setTimeout(r, 300));
      expect(first.held()).toEqual(['event_stats']);
      expect(second.held()).toEqual([]);
      await first.stop();
      const appended = await commands.run(newUser(555));
      await waitForProjection(test.database, statsProjection, appended.position, 5000);
      expect(second.held()).toEqual(['event_stats']);
      await second.stop();
    });

    it('appends through the store directly are projected by the worker too', async () => {
      const appended = await appendToStreams(db(), {
        streams: [
          {
            streamId: `user-${randomUUID()}`,
            streamType: 'user',
            expectedVersion: 'none',
            events: [{ ...domainEvents.encode(UserRoleChanged({ role: 'admin' }), 'user-x') }],
          },
        ],
      });
      const worker = createProjectionWorker({
        database: test.database,
        processors: [projectionProcessor(statsProjection)],
        pollIntervalMs: 50,
      });
      await worker.start();
      try {
        await waitForProjection(test.database, statsProjection, appended.position, 5000);
      } finally {
        await worker.stop();
      }
    });

    it('reports every processor in one status, the never-run ones standing at the start', async () => {
      await commands.run(newUser(5));
      const neverRan = { ...statsProjection, name: `never_ran_${randomUUID().slice(0, 8)}` };
      const statuses = await projectionStatuses(
        test.database,
        [usersProjection, statsProjection, neverRan],
        [roleChangeNotifications],
      );
      expect(statuses.map((s) => [s.name, s.kind, s.mode])).toEqual([
        ['users', 'projection', 'inline'],
        ['event_stats', 'projection', 'async'],
        [neverRan.name, 'projection', 'async'],
        [roleChangeNotifications.name, 'reactor', 'async'],
      ]);
      const [events] = await queryRows<{ n: string | number; head: string | number }>(
        db(),
        sql`select count(*) as n, max(position) as head from events`,
      );
      const head = Number(events?.head);
      expect(statuses[0]).toMatchObject({ position: head, headPosition: head, lag: 0, state: 'inline' });
      expect(statuses[2]).toMatchObject({ position: 0, headPosition: head, lag: Number(events?.n), state: 'stopped' });
      // The ones that ran are behind their checkpoints by what was committed after them.
      for (const [status, checkpointName] of [
        [statuses[1], 'event_stats'],
        [statuses[3], `reactor:${roleChangeNotifications.name}`],
      ] as const) {
        const checkpoint = await readCheckpoint(db(), checkpointName);
        const [after] = await queryRows<{ n: string | number }>(
          db(),
          sql`select count(*) as n from events
               where (transaction_id, position) > (${checkpoint.transactionId}::xid8, ${checkpoint.position})`,
        );
        expect(status).toMatchObject({ position: checkpoint.position, lag: Number(after?.n) });
        expect(status?.lag).toBeGreaterThan(0);
      }
    });
  });
}
