import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, domainEvents, type Plan, shopLimits, shopPlans } from '@strata/domain';
import { asc, like } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  articlesProjection,
  type CommandResult,
  type CommandRunner,
  createCommandRunner,
  type Database,
  items,
  itemsProjection,
  orders,
  ordersProjection,
  readAll,
  rebuildProjection,
  type StoredEvent,
  sessionsProjection,
  startOfLog,
  usersProjection,
  WrongExpectedVersionError,
  wallets,
  walletsProjection,
} from '../src/index.ts';
import { testEngines, useTestDatabase } from '../src/testing/index.ts';

/**
 * Batched commands (issue 12): commands that run at once share the group commit's statement and
 * commit with their inline row changes. Sharing must not change anything a caller can see: random
 * interleavings of concurrent shop commands — pinned stale versions, duplicate command ids, domain
 * refusals, orders over a wallet and several items — give the same answers, events and inline read
 * models as running the committed commands one at a time, in the order the store committed them,
 * on a fresh database.
 *
 * Reproduce a failure: fast-check prints `seed` and `path`; run with
 * `STRATA_PROPERTY_SEED=<seed> STRATA_PROPERTY_PATH=<path>` (the default seed is fixed, so every run
 * draws the same commands; the interleaving the database sees still varies from run to run).
 * `STRATA_PROPERTY_RUNS=<n>` runs more cases (default 10, ~10–20 s per engine on 2 busy cores);
 * `STRATA_PROPERTY_STATS=1` prints each case's outcomes and how many transactions its commits took.
 */

const seed = Number(process.env.STRATA_PROPERTY_SEED ?? 20261205);
const path = process.env.STRATA_PROPERTY_PATH;
const numRuns = Number(process.env.STRATA_PROPERTY_RUNS ?? 10);

/** The app's inline read models (packages/api/src/app.ts readModels). */
const inlineProjections = [
  usersProjection,
  sessionsProjection,
  walletsProjection,
  itemsProjection,
  ordersProjection,
  articlesProjection,
];

// The shop of one run. Index `walletBalances.length` is a wallet that does not exist, and
// `shopItems.length` an item that does not exist. The last item is a hair below the stock limit,
// so restocking it may be refused.
const walletBalances = [300, 1_500, 20_000];
const shopItems = [
  { price: 100, quantity: 4 },
  { price: 250, quantity: 10 },
  { price: 999, quantity: 2 },
  { price: 7, quantity: shopLimits.maxStock - 5 },
];
/** Every wallet is opened and topped up once before the run: version 2. */
const walletVersionAfterSetup = 2;
const unknownWallet = walletBalances.length;
const unknownItem = shopItems.length;

type Command =
  | { kind: 'topUp'; wallet: number; amount: number; pinned: boolean }
  | { kind: 'order'; wallet: number; lines: { item: number; quantity: number }[] }
  | { kind: 'restock'; item: number; quantity: number }
  | { kind: 'price'; item: number };

const walletIndex = fc.constantFrom(0, 0, 0, 1, 1, 1, 2, 2, 2, unknownWallet);
const itemIndex = fc.constantFrom(0, 0, 0, 1, 1, 1, 2, 2, 3, 3, unknownItem);
const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('topUp' as const),
      wallet: walletIndex,
      amount: fc.integer({ min: 1, max: 2_000 }),
      pinned: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      wallet: walletIndex,
      lines: fc.array(fc.record({ item: itemIndex, quantity: fc.integer({ min: 1, max: 4 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('restock' as const),
      item: itemIndex,
      quantity: fc.integer({ min: 1, max: 8 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('price' as const), item: itemIndex }) },
);

interface Scenario {
  commands: { command: Command; delayMs: number }[];
  /** Indexes of commands sent a second time (same command id) while the first may still run. */
  twins: { of: number; delayMs: number }[];
}

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .array(fc.record({ command: commandArbitrary, delayMs: fc.integer({ min: 0, max: 4 }) }), {
    minLength: 8,
    maxLength: 20,
  })
  .chain((commands) =>
    fc.record({
      commands: fc.constant(commands),
      twins: fc.array(
        fc.record({ of: fc.integer({ min: 0, max: commands.length - 1 }), delayMs: fc.integer({ min: 0, max: 4 }) }),
        { maxLength: 4 },
      ),
    }),
  );

/** The names one run uses: a prefix of its own keeps runs apart in the shared databases. */
function shopOf(prefix: string) {
  const walletId = (i: number) => `${prefix}-w${i}`;
  const sku = (i: number) => (i === unknownItem ? `${prefix}-NOPE` : `${prefix}-I${i}`).toUpperCase();
  const commandId = (i: number) => `${prefix}:c${i}`;
  const orderId = (i: number) => `${prefix}-o${i}`;
  const plan = (command: Command, i: number): Plan<unknown> => {
    switch (command.kind) {
      case 'topUp':
        return shopPlans.topUpWallet(
          walletId(command.wallet),
          command.amount,
          command.pinned ? walletVersionAfterSetup : undefined,
        ) as Plan<unknown>;
      case 'order':
        return shopPlans.placeOrder({
          orderId: orderId(i),
          walletId: walletId(command.wallet),
          lines: command.lines.map((line) => ({ sku: sku(line.item), quantity: line.quantity })),
        }) as Plan<unknown>;
      case 'restock':
        return shopPlans.restockItem(sku(command.item), command.quantity) as Plan<unknown>;
      case 'price':
        // A price no item starts with and no other command sets: the command always changes it.
        return shopPlans.changeItemPrice(sku(command.item), 1_000 + i) as Plan<unknown>;
    }
  };
  return { walletId, sku, commandId, orderId, plan };
}

const metadata = { actorId: 'property' };

async function setUpShop(runner: CommandRunner, prefix: string): Promise<void> {
  const shop = shopOf(prefix);
  for (const [i, balance] of walletBalances.entries()) {
    await runner.run(shopPlans.openWallet(shop.walletId(i), `owner-${i}`), {
      commandId: `${prefix}:s-w${i}`,
      metadata,
    });
    await runner.run(shopPlans.topUpWallet(shop.walletId(i), balance), { commandId: `${prefix}:s-t${i}`, metadata });
  }
  for (const [i, item] of shopItems.entries()) {
    await runner.run(shopPlans.addItem({ sku: shop.sku(i), name: `Item ${i}`, ...item }), {
      commandId: `${prefix}:s-i${i}`,
      metadata,
    });
  }
}

/** Every event of the run (its command ids start with the prefix), in commit order. */
async function runEvents(database: Database, prefix: string): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  let after = startOfLog;
  for (;;) {
    const page = await readAll(database.db, { after, limit: 10_000 });
    if (page.events.length === 0) break;
    all.push(...page.events);
    after = page.checkpoint;
  }
  return all.filter((e) => String(e.metadata.commandId ?? '').startsWith(`${prefix}:`));
}

/** What must match between two runs of one command: everything but ids, positions and times. */
const comparable = (e: StoredEvent) => ({
  streamId: e.streamId,
  streamType: e.streamType,
  version: e.version,
  type: e.type,
  schemaVersion: e.schemaVersion,
  data: e.data,
  metadata: e.metadata,
});

/** The run's inline rows, without their timestamps. */
async function readModelsOf(database: Database, prefix: string) {
  const db = database.db;
  const walletRows = await db
    .select()
    .from(wallets)
    .where(like(wallets.walletId, `${prefix}-%`))
    .orderBy(asc(wallets.walletId));
  const itemRows = await db
    .select()
    .from(items)
    .where(like(items.sku, `${prefix.toUpperCase()}-%`))
    .orderBy(asc(items.sku));
  const orderRows = await db
    .select()
    .from(orders)
    .where(like(orders.orderId, `${prefix}-%`))
    .orderBy(asc(orders.orderId));
  return {
    wallets: walletRows.map(({ openedAt: _o, updatedAt: _u, ...row }) => row),
    items: itemRows.map(({ createdAt: _c, updatedAt: _u, ...row }) => row),
    orders: orderRows.map(({ placedAt: _p, ...row }) => row),
  };
}

/** Every row of the shop's inline tables, timestamps included (a rebuild must give them back). */
async function allShopRows(database: Database) {
  const db = database.db;
  return {
    wallets: await db.select().from(wallets).orderBy(asc(wallets.walletId)),
    items: await db.select().from(items).orderBy(asc(items.sku)),
    orders: await db.select().from(orders).orderBy(asc(orders.orderId)),
  };
}

type Outcome = { ok: CommandResult; error?: undefined } | { ok?: undefined; error: unknown };

async function outcomeOf(promise: Promise<CommandResult>): Promise<Outcome> {
  try {
    return { ok: await promise };
  } catch (error) {
    return { error };
  }
}

const answerOf = (result: CommandResult) => ({
  streamId: result.streamId,
  version: result.version,
  streams: result.streams.map((s) => ({ streamId: s.streamId, version: s.version })),
});

/** A refusal a one-at-a-time run could also have given this command, or the reason it could not. */
function implausibleRefusal(
  command: Command,
  error: unknown,
  streamHistory: (streamId: string) => StoredEvent[],
  shop: ReturnType<typeof shopOf>,
): string | undefined {
  if (error instanceof WrongExpectedVersionError) {
    // A caller's pinned version is its question; the runner retries versions it loaded itself
    // (10 times), so an unpinned conflict would mean a lost batch-mate.
    if (command.kind !== 'topUp' || !command.pinned) return `an unpinned command failed: ${error.message}`;
    if (error.streamId !== `wallet-${shop.walletId(command.wallet)}`) return `conflict on ${error.streamId}`;
    if (error.expected !== walletVersionAfterSetup || error.actual <= walletVersionAfterSetup) {
      return `conflict expected ${String(error.expected)}, actual ${error.actual}`;
    }
    return undefined;
  }
  if (!(error instanceof DomainError)) return `not a domain refusal: ${String(error)}`;
  const { code, details } = error;
  switch (command.kind) {
    case 'topUp':
      return command.wallet === unknownWallet && code === 'wallet.not_found' ? undefined : `topUp refused ${code}`;
    case 'restock':
    case 'price':
      if (command.item === unknownItem) return code === 'item.not_found' ? undefined : `${command.kind}: ${code}`;
      if (command.kind === 'restock' && code === 'item.stock_limit' && command.item === shopItems.length - 1) {
        return undefined;
      }
      return `${command.kind} refused ${code}`;
    case 'order': {
      if (command.wallet === unknownWallet) return code === 'wallet.not_found' ? undefined : `order: ${code}`;
      if (command.lines.some((l) => l.item === unknownItem)) {
        return code === 'item.not_found' ? undefined : `order with an unknown item: ${code}`;
      }
      // The state a refusal names must be one the stream really had in commit order.
      if (code === 'wallet.insufficient_funds') {
        const balances = [0, ...streamHistory(`wallet-${shop.walletId(command.wallet)}`).map((e) => balanceOf(e))];
        const { balance, required } = details as { balance: number; required: number };
        if (!balances.includes(balance)) return `insufficient funds at a balance the wallet never had: ${balance}`;
        return required > balance ? undefined : `insufficient funds: ${required} ≤ ${balance}`;
      }
      if (code === 'item.insufficient_stock') {
        const { sku, available, requested } = details as { sku: string; available: number; requested: number };
        const stocks = streamHistory(`item-${sku}`)
          .map((e) => e.data as { stock?: number; quantity?: number })
          .map((d) => d.stock ?? d.quantity);
        if (!stocks.includes(available)) return `insufficient stock at a stock the item never had: ${available}`;
        return requested > available ? undefined : `insufficient stock: ${requested} ≤ ${available}`;
      }
      return `order refused ${code}`;
    }
  }
}

function balanceOf(event: StoredEvent): number {
  const data = event.data as { balance?: number };
  return data.balance ?? 0;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`batched commands on ${engine.name}`, () => {
    const live = useTestDatabase(engine.name);
    const serial = useTestDatabase(engine.name);
    let liveRunner: CommandRunner;
    let serialRunner: CommandRunner;
    beforeAll(() => {
      const options = { catalog: domainEvents, projections: inlineProjections, snapshotEvery: 3 };
      liveRunner = createCommandRunner({ database: live.database, ...options });
      serialRunner = createCommandRunner({ database: serial.database, ...options });
    });

    it('give the answers, events and read models of a one-at-a-time run in commit order', async () => {
      let runNo = 0;
      await fc.assert(
        fc.asyncProperty(scenarioArbitrary, async (scenario) => {
          const prefix = `r${runNo++}${randomBytes(3).toString('hex')}`;
          const shop = shopOf(prefix);
          await setUpShop(liveRunner, prefix);
          await setUpShop(serialRunner, prefix);

          // 1. Every command (and every twin) at once, each after its own small delay.
          const sends = [
            ...scenario.commands.map(({ command, delayMs }, i) => ({ i, delayMs, command })),
            ...scenario.twins.map(({ of, delayMs }) => ({ i: of, delayMs, command: scenario.commands[of]!.command })),
          ];
          const outcomes = await Promise.all(
            sends.map(async ({ i, delayMs, command }) => {
              if (delayMs > 0) await sleep(delayMs);
              return outcomeOf(liveRunner.run(shop.plan(command, i), { commandId: shop.commandId(i), metadata }));
            }),
          );

          // 2. The commit order, from the log: a command's events are together, in command order.
          const fullLog = await runEvents(live.database, prefix);
          const isSetup = (e: StoredEvent) => String(e.metadata.commandId).startsWith(`${prefix}:s-`);
          const setupCount = fullLog.filter(isSetup).length;
          const logged = fullLog.filter((e) => !isSetup(e));
          const committed: string[] = [];
          for (const event of logged) {
            const id = String(event.metadata.commandId);
            if (committed.at(-1) === id) continue;
            expect(committed, `the events of ${id} are split in the log`).not.toContain(id);
            committed.push(id);
          }
          const eventsOf = (id: string) => logged.filter((e) => e.metadata.commandId === id);
          const streamHistory = (streamId: string) => fullLog.filter((e) => e.streamId === streamId);

          if (process.env.STRATA_PROPERTY_STATS) {
            const codes = outcomes.map((o) =>
              o.ok ? (o.ok.duplicate ? 'dup' : 'ok') : ((o.error as { code?: string }).code ?? String(o.error)),
            );
            const txs = new Set(logged.map((e) => e.transactionId));
            console.log(
              JSON.stringify({
                sends: sends.length,
                commits: committed.length,
                transactions: txs.size,
                codes: codes.sort().join(' '),
              }),
            );
          }
          // 3. Each command id: committed once, every answer the first one's; or refused everywhere.
          const firstResults = new Map<string, CommandResult>();
          for (const [i, { command }] of scenario.commands.entries()) {
            const id = shop.commandId(i);
            const mine = outcomes.filter((_, n) => sends[n]!.i === i);
            const events = eventsOf(id);
            if (events.length > 0) {
              const answered = mine;
              const fresh = answered.filter((o) => o.ok && !o.ok.duplicate);
              expect(fresh, `${id}: exactly one run wrote it, of ${JSON.stringify(mine)}`).toHaveLength(1);
              const first = fresh[0]!.ok!;
              firstResults.set(id, first);
              for (const other of answered) {
                if (other.error) {
                  // A twin that ran before the first committed may be refused, as it would have
                  // been alone at that point: its refusal must fit a state the streams had.
                  const why = implausibleRefusal(command, other.error, streamHistory, shop);
                  expect(why, `${id}: a twin of a committed command failed implausibly`).toBeUndefined();
                  continue;
                }
                // (A twin appended nothing itself, so it has no events of its own to show.)
                expect(other.ok, `${id}: a twin answers the first result`).toEqual({
                  ...first,
                  duplicate: other.ok !== first,
                  events: other.ok === first ? first.events : [],
                });
              }
              // The answer names what was written.
              expect(first.position).toBe(Math.max(...events.map((e) => e.position)));
              const lastVersions = new Map(events.map((e) => [e.streamId, e.version]));
              expect(
                first.streams.map((s) => [s.streamId, s.version]).sort(),
                `${id}: the answer's streams are the log's`,
              ).toEqual([...lastVersions].sort());
            } else {
              for (const outcome of mine) {
                expect(
                  outcome.ok,
                  `${id}: answered ${JSON.stringify(outcome.ok)} but is not in the log`,
                ).toBeUndefined();
                const why = implausibleRefusal(command, outcome.error, streamHistory, shop);
                expect(why, `${id} (${JSON.stringify(command)})`).toBeUndefined();
              }
              // A refused order left no row.
              if (command.kind === 'order') {
                const rows = (await readModelsOf(live.database, prefix)).orders.filter(
                  (o) => o.orderId === shop.orderId(i),
                );
                expect(rows, `${id}: refused, yet its order row exists`).toEqual([]);
              }
            }
          }

          // 4. The same ids again, later: the first result, nothing written.
          const before = logged.length;
          const again = await Promise.all(
            committed.map(async (id) => {
              const i = Number(id.slice(id.lastIndexOf(':c') + 2));
              return {
                id,
                outcome: await outcomeOf(
                  liveRunner.run(shop.plan(scenario.commands[i]!.command, i), { commandId: id, metadata }),
                ),
              };
            }),
          );
          for (const { id, outcome } of again) {
            expect(outcome.error, `${id} again`).toBeUndefined();
            expect(outcome.ok, `${id} again`).toEqual({ ...firstResults.get(id), duplicate: true, events: [] });
          }
          const after = (await runEvents(live.database, prefix)).length - setupCount;
          expect(after, 'a duplicate wrote events').toBe(before);

          // 5. One at a time on a fresh database, in commit order: same answers, events, read models.
          for (const id of committed) {
            const i = Number(id.slice(id.lastIndexOf(':c') + 2));
            const outcome = await outcomeOf(
              serialRunner.run(shop.plan(scenario.commands[i]!.command, i), { commandId: id, metadata }),
            );
            expect(outcome.error, `${id} alone, in commit order`).toBeUndefined();
            expect(answerOf(outcome.ok!), `${id}: the answer alone`).toEqual(answerOf(firstResults.get(id)!));
            expect(outcome.ok!.duplicate).toBe(false);
          }
          const serialLogged = (await runEvents(serial.database, prefix)).filter((e) => !isSetup(e));
          expect(serialLogged.map(comparable), 'events of the one-at-a-time run').toEqual(logged.map(comparable));
          expect(await readModelsOf(live.database, prefix), 'inline read models').toEqual(
            await readModelsOf(serial.database, prefix),
          );

          // 6. The inline rows are what a rebuild from the log gives (timestamps included).
          const rows = await allShopRows(live.database);
          for (const projection of [walletsProjection, itemsProjection, ordersProjection]) {
            await rebuildProjection(live.database, projection);
          }
          expect(await allShopRows(live.database), 'inline rows against a rebuild').toEqual(rows);
        }),
        { seed, path, numRuns, endOnFailure: true },
      );
    });
  });
}
