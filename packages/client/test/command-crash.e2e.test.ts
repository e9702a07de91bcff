import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  asc,
  type Database,
  items,
  itemsProjection,
  openDatabase,
  orders,
  ordersProjection,
  queryRows,
  readAll,
  rebuildProjection,
  type StoredEvent,
  sql,
  startOfLog,
  wallets,
  walletsProjection,
} from '@strata/db';
import { createTestDatabase, type TestDatabase, testEngines, waitFor } from '@strata/db/testing';
import { domainEvents, type ItemState, itemDecider, type WalletState, walletDecider } from '@strata/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, isTRPCClientError, type StrataClient } from '../src/index.ts';

/**
 * Issue 12: the api batches concurrent commands — their events and inline row changes go to the
 * database in one statement and one commit. A SIGKILL of the api in the middle of that must leave
 * no event without its inline row and no row without its event, and every mutation the api
 * acknowledged before it died in the log exactly once.
 *
 * The api runs as a real process (as `npm start` runs it, worker included) on a throwaway
 * PostgreSQL database, and on a PGlite data folder: PGlite's files are written by the api's own
 * process through the OS, so a kill -9 leaves what was written in the page cache and the next
 * open recovers from the WAL like PostgreSQL after a crash. (A power loss is another matter: this
 * test kills the process, not the machine.) PostgreSQL runs when DATABASE_URL is set, and CI
 * without it fails (testEngines).
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const appName = 'strata-crash-test-api';
const loops = 12;
const walletCount = 16;
const skus = ['CRASH-A', 'CRASH-B', 'CRASH-C', 'CRASH-D'];
const loadBeforeKillMs = 1_000;
const minAnsweredBeforeKill = 16;

interface ApiProcess {
  child: ChildProcess;
  output(): string;
  /** The api's URL once it listens; rejects if the process exits first. */
  listening: Promise<string>;
  exited: Promise<void>;
}

function startApi(target: { databaseUrl: string } | { dataDir: string }): ApiProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: appName, LOG_LEVEL: 'info' };
  const args = ['--import', 'tsx', 'apps/server/src/main.ts', '--port', '0'];
  if ('databaseUrl' in target) env.DATABASE_URL = target.databaseUrl;
  else {
    delete env.DATABASE_URL;
    args.push('--data-dir', target.dataDir);
  }
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.includes('"msg":"api listening"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`api exited (${signal ?? code}) before listening:\n${output}`)),
    );
  });
  listening.catch(() => undefined);
  return { child, output: () => output, listening, exited };
}

/** One mutation sent to the api: its command id, what it asked, and what it was answered. */
interface Sent {
  commandId: string;
  kind: 'topUp' | 'order';
  walletId: string;
  lines?: { sku: string; quantity: number }[];
  answer?: { streamId: string; version: number; position: number };
  refusal?: string;
  /** Neither answered nor refused: lost with the process. */
  lost?: unknown;
}

const next = (n: number) => Math.floor(Math.random() * n);

/** Mutations one after another on one client until `stop()`; each with its own command id. */
function mutate(client: StrataClient, walletIds: readonly string[], sent: Sent[], stopped: () => boolean) {
  return (async () => {
    while (!stopped()) {
      const walletId = walletIds[next(walletIds.length)] as string;
      const commandId = randomUUID();
      const order = Math.random() < 0.5;
      const entry: Sent = order
        ? {
            commandId,
            kind: 'order',
            walletId,
            lines: Array.from({ length: 1 + next(2) }, () => ({
              sku: skus[next(skus.length)] as string,
              quantity: 1 + next(3),
            })),
          }
        : { commandId, kind: 'topUp', walletId };
      sent.push(entry);
      try {
        const answer = order
          ? await client.orders.place.mutate({ walletId, lines: entry.lines ?? [], commandId })
          : await client.wallets.topUp.mutate({ walletId, amount: 1 + next(1_000), commandId });
        entry.answer = { streamId: answer.streamId, version: answer.version, position: answer.position };
      } catch (error) {
        // An answer from the api (a conflict, a refusal) is an acknowledgement too; a lost
        // connection is not.
        const code = isTRPCClientError(error) ? (error.data as { code?: string } | undefined)?.code : undefined;
        if (code && code !== 'INTERNAL_SERVER_ERROR' && code !== 'SERVICE_UNAVAILABLE') entry.refusal = code;
        else entry.lost = error;
      }
    }
  })();
}

async function everyEvent(database: Database): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  let after = startOfLog;
  for (;;) {
    const page = await readAll(database.db, { after, limit: 10_000 });
    if (page.events.length === 0) return all;
    all.push(...page.events);
    after = page.checkpoint;
  }
}

async function shopRows(database: Database) {
  const db = database.db;
  return {
    wallets: await db.select().from(wallets).orderBy(asc(wallets.walletId)),
    items: await db.select().from(items).orderBy(asc(items.sku)),
    orders: await db.select().from(orders).orderBy(asc(orders.orderId)),
  };
}

function byStream(events: readonly StoredEvent[], prefix: string) {
  const streams = new Map<string, StoredEvent[]>();
  for (const event of events) {
    if (!event.streamId.startsWith(prefix)) continue;
    streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
  }
  return streams;
}

/** What the database holds after the crash must be whole (see the file's comment). */
async function expectConsistent(database: Database, sent: readonly Sent[]) {
  const events = await everyEvent(database);
  const rows = await shopRows(database);

  // Wallets: every stream has its row at the stream's last version and balance, and no other row.
  const walletStreams = byStream(events, 'wallet-');
  expect(rows.wallets.map((w) => `wallet-${w.walletId}`).sort(), 'wallet rows against wallet streams').toEqual(
    [...walletStreams.keys()].sort(),
  );
  for (const row of rows.wallets) {
    const stream = walletStreams.get(`wallet-${row.walletId}`) ?? [];
    const state = stream.reduce<WalletState>(
      (s, e) => walletDecider.evolve(s, domainEvents.decode(e) as never),
      walletDecider.initialState(),
    );
    const last = stream.at(-1);
    expect({ version: row.version, balance: row.balance }, `wallet ${row.walletId}`).toEqual({
      version: last?.version,
      balance: state.status === 'open' ? state.balance : undefined,
    });
  }

  // Items: the same, for stock and price.
  const itemStreams = byStream(events, 'item-');
  expect(rows.items.map((i) => `item-${i.sku}`).sort(), 'item rows against item streams').toEqual(
    [...itemStreams.keys()].sort(),
  );
  for (const row of rows.items) {
    const stream = itemStreams.get(`item-${row.sku}`) ?? [];
    const state = stream.reduce<ItemState>(
      (s, e) => itemDecider.evolve(s, domainEvents.decode(e) as never),
      itemDecider.initialState(),
    );
    expect({ version: row.version, stock: row.stock, price: row.price }, `item ${row.sku}`).toEqual({
      version: stream.at(-1)?.version,
      stock: state.status === 'none' ? undefined : state.stock,
      price: state.status === 'none' ? undefined : state.price,
    });
  }

  // Orders: an OrderPlaced for every row and a row for every OrderPlaced.
  const placed = events.filter((e) => e.type === 'OrderPlaced');
  expect(
    rows.orders.map((o) => ({ orderId: o.orderId, walletId: o.walletId, total: o.total, lines: o.lines })),
    'order rows against OrderPlaced events',
  ).toEqual(
    placed
      .map((e) => e.data as { orderId: string; walletId: string; total: number; lines: unknown })
      .map(({ orderId, walletId, total, lines }) => ({ orderId, walletId, total, lines }))
      .sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0)),
  );

  // Every command in the log is whole: an order's order, wallet and item events, or one top-up.
  const byCommand = new Map<string, StoredEvent[]>();
  for (const event of events) {
    const id = event.metadata.commandId;
    if (typeof id === 'string') byCommand.set(id, [...(byCommand.get(id) ?? []), event]);
  }
  for (const entry of sent) {
    const written = byCommand.get(entry.commandId) ?? [];
    const label = `${entry.kind} ${entry.commandId} (${entry.answer ? 'acknowledged' : entry.refusal ? `refused ${entry.refusal}` : 'lost in the kill'})`;
    if (entry.refusal) {
      expect(written, label).toEqual([]);
      continue;
    }
    if (!entry.answer && written.length === 0) continue;
    // Acknowledged (or committed as the process died): in the log once, and whole.
    const expectedTypes =
      entry.kind === 'topUp'
        ? ['WalletToppedUp']
        : [
            'OrderPlaced',
            ...[...new Set((entry.lines ?? []).map((l) => l.sku))].map(() => 'StockTaken'),
            'WalletDebited',
          ];
    expect(written.map((e) => e.type).sort(), label).toEqual(expectedTypes.sort());
    expect(new Set(written.map((e) => e.streamId)).size, `${label}: one event per stream`).toBe(written.length);
    expect(written.find((e) => e.streamId.startsWith('wallet-'))?.streamId, label).toBe(`wallet-${entry.walletId}`);
    if (entry.answer) {
      expect(entry.answer.position, `${label}: its answer's position`).toBe(
        Math.max(...written.map((e) => e.position)),
      );
      const primary = written.find((e) => e.streamId === entry.answer?.streamId);
      expect(primary?.version, `${label}: its answer's version`).toBe(entry.answer.version);
    }
  }

  // And the rows are exactly what a rebuild from the log gives, timestamps included.
  for (const projection of [walletsProjection, itemsProjection, ordersProjection]) {
    await rebuildProjection(database, projection);
  }
  expect(await shopRows(database), 'inline rows against a rebuild').toEqual(rows);
  return { events, byCommand };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Kills a process still running and waits for its exit. */
async function kill(api: ApiProcess) {
  if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill('SIGKILL');
  await api.exited;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`SIGKILL of the api in the middle of batched commands on ${engine.name}`, () => {
    it('leaves every inline row with its event, every event with its row, every acknowledged mutation once', async () => {
      let target: { databaseUrl: string } | { dataDir: string };
      let test: TestDatabase | undefined;
      if (engine.name === 'postgres') {
        test = await createTestDatabase('postgres');
        const dropped = test;
        cleanups.push(() => dropped.drop());
        target = { databaseUrl: test.url ?? '' };
      } else {
        const dataDir = await mkdtemp(join(tmpdir(), 'strata-crash-'));
        cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
        target = { dataDir };
      }
      const api = startApi(target);
      cleanups.push(() => kill(api));
      const url = await api.listening;
      const oneTimePassword = /One-time password for the first admin[^\n]*\n\n\s+(\S+)/.exec(api.output())?.[1];
      expect(oneTimePassword, api.output()).toBeTruthy();
      const { token } = await createClient({ url }).auth.bootstrapAdmin.mutate({
        oneTimePassword: oneTimePassword ?? '',
        name: 'Root',
        email: 'root@example.com',
        password: 'root-password-1',
      });
      const admin = createClient({ url, token });

      // The shop: wallets with plenty of money, a few items everyone orders (contention).
      const walletIds: string[] = [];
      for (let i = 0; i < walletCount; i++) {
        const { walletId } = await admin.wallets.open.mutate({ ownerId: `crash-${i}` });
        await admin.wallets.topUp.mutate({ walletId, amount: 1_000_000 });
        walletIds.push(walletId);
      }
      for (const [i, sku] of skus.entries()) {
        await admin.inventory.addItem.mutate({ sku, name: `Crash ${sku}`, price: 100 + 50 * i, quantity: 1_000_000 });
      }

      // Mutations from many clients at once, then the kill while they are in flight.
      const sent: Sent[] = [];
      let stopped = false;
      const running = Array.from({ length: loops }, () =>
        mutate(createClient({ url, token }), walletIds, sent, () => stopped),
      );
      // About a second of load (longer on a busy machine, until enough were answered), then the kill.
      const loadStarted = Date.now();
      await new Promise((resolve) => setTimeout(resolve, loadBeforeKillMs));
      await waitFor(
        () => sent.filter((s) => s.answer).length >= minAnsweredBeforeKill || Date.now() - loadStarted > 15_000,
        'mutations to be answered',
        20_000,
      );
      const acknowledgedBeforeKill = sent.filter((s) => s.answer).length;
      const inFlight = sent.filter((s) => !s.answer && !s.refusal && !s.lost).length;
      stopped = true;
      await kill(api);
      await Promise.all(running);
      expect(api.child.signalCode).toBe('SIGKILL');
      expect(acknowledgedBeforeKill, 'mutations answered before the kill').toBeGreaterThan(0);
      expect(inFlight, 'mutations in flight at the kill').toBeGreaterThan(0);

      let database: Database;
      if (test) {
        database = test.database;
        // The dead process's backends finish (a statement already sent may still commit) and go.
        await waitFor(
          async () =>
            (
              await queryRows<{ n: number }>(
                database.db,
                sql`select count(*)::int as n from pg_stat_activity
                     where datname = current_database() and application_name = ${appName}`,
              )
            )[0]?.n === 0,
          "the killed api's connections to end",
          30_000,
        );
      } else {
        database = await openDatabase({ dataDir: (target as { dataDir: string }).dataDir });
        const opened = database;
        cleanups.push(() => opened.close());
      }

      const { events, byCommand } = await expectConsistent(database, sent);
      // The kill did hit batched commands: some transactions hold events of several commands.
      const commandsPerTransaction = new Map<string, Set<string>>();
      for (const event of events) {
        const id = event.metadata.commandId;
        if (typeof id !== 'string') continue;
        commandsPerTransaction.set(
          event.transactionId,
          (commandsPerTransaction.get(event.transactionId) ?? new Set()).add(id),
        );
      }
      const shared = [...commandsPerTransaction.values()].filter((ids) => ids.size > 1).length;
      const acknowledged = sent.filter((s) => s.answer).length;
      const lostButCommitted = sent.filter((s) => s.lost && byCommand.has(s.commandId)).length;
      console.info(
        `${engine.name}: ${sent.length} mutations, ${acknowledged} acknowledged, ${sent.filter((s) => s.refusal).length} refused, ` +
          `${sent.filter((s) => s.lost).length} lost in the kill (${lostButCommitted} of them committed), ` +
          `${shared} transactions shared by several commands`,
      );
      expect(shared, 'transactions shared by several commands (group commit)').toBeGreaterThan(0);
    }, 180_000);
  });
}
