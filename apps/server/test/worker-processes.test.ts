import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readModels } from '@strata/api';
import {
  appendToStreams,
  asc,
  eq,
  eventStats,
  eventStatsProjection,
  hasReached,
  headPosition,
  outbox,
  projectionCheckpoints,
  queryRows,
  readCheckpoint,
  rebuildProjection,
  sql,
} from '@strata/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@strata/db/testing';
import { domainEvents, UserRenamed, UserRoleChanged } from '@strata/domain';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const postgres = testEngines().find((e) => e.name === 'postgres');
const statsProjection = eventStatsProjection(domainEvents.types);

/**
 * Worker processes on one PostgreSQL: what `npm run worker` runs in production. PGlite has no
 * second process to crash or take over, so these run on PostgreSQL only.
 */
describe.skipIf(postgres?.unavailable)('projection worker processes on postgres', () => {
  let test: TestDatabase;
  const children = new Set<ChildProcess>();
  const db = () => test.database.db;

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts', 'worker'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: test.url, WORKER_BATCH_SIZE: '50', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  }
  async function kill(child: ChildProcess, signal: NodeJS.Signals) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
  async function statsCheckpoint() {
    return readCheckpoint(db(), 'event_stats');
  }
  async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string) {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  async function appendEvents(count: number, offset: number) {
    for (let start = 0; start < count; start += 500) {
      await appendToStreams(db(), {
        streams: Array.from({ length: 10 }, (_, s) => ({
          streamId: `user-load-${offset + start + s}`,
          streamType: 'user',
          expectedVersion: 'any' as const,
          events: Array.from({ length: 50 }, (_, i) =>
            domainEvents.encode(
              i % 10 === 0 ? UserRoleChanged({ role: i % 20 ? 'admin' : 'viewer' }) : UserRenamed({ name: `n${i}` }),
              `user-load-${offset + start + s}`,
            ),
          ),
        })),
      });
    }
  }
  const caughtUp = async () => hasReached(db(), await statsCheckpoint(), await headPosition(db()));

  beforeAll(async () => {
    test = await createTestDatabase('postgres');
  });
  afterEach(async () => {
    await Promise.all([...children].map((c) => kill(c, 'SIGKILL')));
  });
  afterAll(async () => {
    await test?.drop();
  });

  it('survives SIGKILL at random points of a 10,000-event catch-up: nothing lost, nothing applied twice', {
    timeout: 240_000,
  }, async () => {
    await appendEvents(10_000, 0);
    const head = await headPosition(db());
    const killedAt: number[] = [];
    for (let round = 0; round < 10; round++) {
      const before = (await statsCheckpoint()).position;
      const worker = startWorker();
      // Kill only once this worker has made progress, then after a random moment more.
      await waitUntil(
        async () => (await statsCheckpoint()).position > before || (await caughtUp()),
        30_000,
        'progress',
      );
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      await kill(worker, 'SIGKILL');
      killedAt.push((await statsCheckpoint()).position);
    }
    const final = startWorker();
    const reactorCaughtUp = async () =>
      hasReached(db(), await readCheckpoint(db(), 'reactor:role-change-notifications'), await headPosition(db()));
    await waitUntil(async () => (await caughtUp()) && (await reactorCaughtUp()), 60_000, 'the last worker to catch up');
    await kill(final, 'SIGTERM');

    // The kills landed during the catch-up, not after it.
    expect(killedAt.filter((p) => p > 0 && p < head).length).toBeGreaterThanOrEqual(5);
    const expected = await queryRows<{ stream_type: string; type: string; n: string | number }>(
      db(),
      sql`select stream_type, type, count(*) as n from events group by 1, 2 order by 1, 2`,
    );
    const live = await db().select().from(eventStats).orderBy(asc(eventStats.streamType), asc(eventStats.type));
    expect(live.map((r) => [r.streamType, r.type, r.count])).toEqual(
      expected.map((r) => [r.stream_type, r.type, Number(r.n)]),
    );
    const roleChanges = expected.find((r) => r.type === 'UserRoleChanged');
    expect(await db().select().from(outbox)).toHaveLength(Number(roleChanges?.n ?? 0));

    await rebuildProjection(test.database, statsProjection);
    const rebuilt = await db().select().from(eventStats).orderBy(asc(eventStats.streamType), asc(eventStats.type));
    expect(rebuilt).toEqual(live);
  });

  it('runs each projection in exactly one of two worker processes; the other takes over within 5 s', async () => {
    const a = startWorker();
    const b = startWorker();
    await appendEvents(500, 100_000);
    await waitUntil(caughtUp, 30_000, 'catch-up');
    const pidOf = async () => {
      const [row] = await db()
        .select()
        .from(projectionCheckpoints)
        .where(eq(projectionCheckpoints.name, 'event_stats'));
      return Number(row?.workerId?.split(':')[1]);
    };
    const activePid = await pidOf();
    expect([a.pid, b.pid]).toContain(activePid);
    // Every async projection and reactor is held by exactly one of the two: one granted lock each.
    const { projections, reactors } = readModels(domainEvents);
    const processors = projections.filter((p) => p.mode === 'async').length + reactors.length;
    const [locks] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from pg_locks
          where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`,
    );
    expect(locks?.n).toBe(processors);

    const active = activePid === a.pid ? a : b;
    const standby = active === a ? b : a;
    await kill(active, 'SIGKILL');
    const killedAt = Date.now();
    await appendEvents(500, 200_000);
    await waitUntil(
      async () => (await caughtUp()) && (await pidOf()) === standby.pid,
      10_000,
      'the standby to take over',
    );
    expect(Date.now() - killedAt).toBeLessThan(5000);
    await kill(standby, 'SIGTERM');
  });
});
