import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addItemInput,
  type Decider,
  DomainError,
  type DomainEvent,
  decidePlan,
  fold,
  ItemAdded,
  ItemPriceChanged,
  ItemRestocked,
  type ItemState,
  itemDecider,
  itemSalesProjector,
  itemStream,
  itemsProjector,
  mergeOrderLines,
  OrderPlaced,
  orderDecider,
  orderStream,
  ordersProjector,
  type Plan,
  type ProjectedEventContext,
  placeOrderInput,
  restockItemInput,
  type ShopEvent,
  StockTaken,
  shopEvents,
  shopLimits,
  shopPlans,
  topUpWalletInput,
  WalletDebited,
  WalletOpened,
  type WalletState,
  WalletToppedUp,
  walletDecider,
  walletStream,
  walletsProjector,
} from '../src/index.ts';
import { given } from './given.ts';

const walletOpened = WalletOpened({ walletId: 'w1', ownerId: 'alice' });
const widget = { sku: 'WIDGET-1', name: 'Widget', price: 250, quantity: 10 };

describe('wallet decider', () => {
  it('opens a wallet once', () => {
    given(walletDecider).when({ type: 'OpenWallet', walletId: 'w1', ownerId: 'alice' }).thenEmits([walletOpened]);
    given(walletDecider, [walletOpened])
      .when({ type: 'OpenWallet', walletId: 'w1', ownerId: 'bob' })
      .thenFails('wallet.already_exists');
  });
  it('tops up an open wallet by a positive whole amount, within the limits', () => {
    given(walletDecider, [walletOpened])
      .when({ type: 'TopUp', amount: 500 })
      .thenEmits([WalletToppedUp({ amount: 500, balance: 500 })]);
    given(walletDecider).when({ type: 'TopUp', amount: 500 }).thenFails('wallet.not_found');
    for (const amount of [0, -1, 1.5, shopLimits.maxTopUp + 1, Number.NaN]) {
      given(walletDecider, [walletOpened]).when({ type: 'TopUp', amount }).thenFails('wallet.invalid_amount');
    }
    const nearlyFull = WalletToppedUp({ amount: 1, balance: shopLimits.maxBalance - 10 });
    given(walletDecider, [walletOpened, nearlyFull])
      .when({ type: 'TopUp', amount: 11 })
      .thenFails('wallet.balance_limit');
  });
  it('debits down to zero and never below', () => {
    const funded = [walletOpened, WalletToppedUp({ amount: 300, balance: 300 })];
    given(walletDecider, funded)
      .when({ type: 'DebitWallet', orderId: 'o1', amount: 300 })
      .thenEmits([WalletDebited({ orderId: 'o1', amount: 300, balance: 0 })]);
    given(walletDecider, funded)
      .when({ type: 'DebitWallet', orderId: 'o1', amount: 301 })
      .thenFails('wallet.insufficient_funds');
    given(walletDecider).when({ type: 'DebitWallet', orderId: 'o1', amount: 1 }).thenFails('wallet.not_found');
  });
  it('says how much was there and how much was needed', () => {
    const state = fold(walletDecider, [walletOpened, WalletToppedUp({ amount: 300, balance: 300 })]);
    const error = (() => {
      try {
        walletDecider.decide({ type: 'DebitWallet', orderId: 'o1', amount: 450 }, state);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: 'wallet.insufficient_funds', details: { balance: 300, required: 450 } });
  });
});

describe('item decider', () => {
  const added = ItemAdded(widget);
  it('adds an item once per sku', () => {
    given(itemDecider)
      .when({ type: 'AddItem', ...widget })
      .thenEmits([added]);
    given(itemDecider, [added])
      .when({ type: 'AddItem', ...widget })
      .thenFails('item.already_exists');
    given(itemDecider)
      .when({ type: 'AddItem', ...widget, price: -1 })
      .thenFails('item.invalid_price');
    given(itemDecider)
      .when({ type: 'AddItem', ...widget, quantity: 0.5 })
      .thenFails('item.invalid_quantity');
  });
  it('refuses every command on an item that does not exist', () => {
    given(itemDecider).when({ type: 'Restock', quantity: 1 }).thenFails('item.not_found');
    given(itemDecider).when({ type: 'ChangePrice', price: 1 }).thenFails('item.not_found');
    given(itemDecider)
      .when({ type: 'TakeStock', orderId: 'o1', quantity: 1, unitPrice: 250 })
      .thenFails('item.not_found');
  });
  it('restocks by a positive quantity, within the limit', () => {
    given(itemDecider, [added])
      .when({ type: 'Restock', quantity: 5 })
      .thenEmits([ItemRestocked({ quantity: 5, stock: 15 })]);
    given(itemDecider, [added]).when({ type: 'Restock', quantity: 0 }).thenFails('item.invalid_quantity');
    given(itemDecider, [added]).when({ type: 'Restock', quantity: shopLimits.maxStock }).thenFails('item.stock_limit');
  });
  it('changes the price only when it differs', () => {
    given(itemDecider, [added])
      .when({ type: 'ChangePrice', price: 300 })
      .thenEmits([ItemPriceChanged({ price: 300, previousPrice: 250 })]);
    given(itemDecider, [added]).when({ type: 'ChangePrice', price: 250 }).thenEmits([]);
    given(itemDecider, [added]).when({ type: 'ChangePrice', price: 1.25 }).thenFails('item.invalid_price');
  });
  it('takes stock down to zero and never below', () => {
    given(itemDecider, [added])
      .when({ type: 'TakeStock', orderId: 'o1', quantity: 10, unitPrice: 250 })
      .thenEmits([StockTaken({ orderId: 'o1', quantity: 10, unitPrice: 250, stock: 0 })]);
    given(itemDecider, [added])
      .when({ type: 'TakeStock', orderId: 'o1', quantity: 11, unitPrice: 250 })
      .thenFails('item.insufficient_stock');
    given(itemDecider, [added])
      .when({ type: 'TakeStock', orderId: 'o1', quantity: 0, unitPrice: 250 })
      .thenFails('item.invalid_quantity');
  });
  it('refuses to sell at a price that is no longer current', () => {
    given(itemDecider, [added, ItemPriceChanged({ price: 300, previousPrice: 250 })])
      .when({ type: 'TakeStock', orderId: 'o1', quantity: 1, unitPrice: 250 })
      .thenFails('item.price_changed');
  });
});

describe('order decider', () => {
  const line = { sku: 'A', quantity: 2, unitPrice: 100 };
  const place = (lines: (typeof line)[], total: number) =>
    ({ type: 'PlaceOrder', orderId: 'o1', walletId: 'w1', lines, total }) as const;
  it('places an order once', () => {
    given(orderDecider)
      .when(place([line], 200))
      .thenEmits([OrderPlaced({ orderId: 'o1', walletId: 'w1', lines: [line], total: 200 })]);
    given(orderDecider, [OrderPlaced({ orderId: 'o1', walletId: 'w1', lines: [line], total: 200 })])
      .when(place([line], 200))
      .thenFails('order.already_exists');
  });
  it('needs at least one line, one line per sku and a whole positive quantity', () => {
    given(orderDecider).when(place([], 0)).thenFails('order.no_lines');
    given(orderDecider)
      .when(place([line, line], 400))
      .thenFails('order.duplicate_sku');
    given(orderDecider)
      .when(place([{ ...line, quantity: 0 }], 0))
      .thenFails('order.invalid_quantity');
  });
  it('refuses a total that is not the sum of its lines', () => {
    given(orderDecider)
      .when(place([line], 199))
      .thenFails('order.total_mismatch');
  });
});

/**
 * Streams in memory, run the way the api runs them: `decidePlan` decides, then every stream is
 * appended at its expected version or nothing is. Events pass through the catalog on the way in,
 * so a decider that emits data its schema refuses fails here.
 */
function inMemoryShop() {
  const streams = new Map<string, DomainEvent[]>();
  const eventsOf = (streamId: string) => streams.get(streamId) ?? [];
  return {
    streams,
    async run<PrimaryState>(plan: Plan<PrimaryState>) {
      const decision = await decidePlan(plan, ({ decider, streamId }) => ({
        state: fold(decider, eventsOf(streamId)),
        version: eventsOf(streamId).length,
      }));
      for (const append of decision.appends) {
        if (eventsOf(append.streamId).length !== append.expectedVersion)
          throw new Error(`conflict on ${append.streamId}`);
      }
      for (const append of decision.appends) {
        const stored = append.events.map((e) => shopEvents.decode(shopEvents.encode(e as ShopEvent, 'order-1')));
        streams.set(append.streamId, [...eventsOf(append.streamId), ...stored]);
      }
      return decision;
    },
    state<State>(
      decider: Pick<Decider<never, DomainEvent, State>, 'initialState' | 'evolve'>,
      streamId: string,
    ): State {
      return fold(decider, eventsOf(streamId));
    },
    /** Stream versions: equal before and after means nothing was appended. */
    versions() {
      return Object.fromEntries([...streams].map(([id, events]) => [id, events.length]));
    },
  };
}

async function refusal(run: Promise<unknown>): Promise<DomainError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('placing an order', () => {
  async function shop() {
    const world = inMemoryShop();
    await world.run(shopPlans.openWallet('w1', 'alice'));
    await world.run(shopPlans.topUpWallet('w1', 500));
    await world.run(shopPlans.addItem({ sku: 'a', name: 'A', price: 100, quantity: 5 }));
    await world.run(shopPlans.addItem({ sku: 'B', name: 'B', price: 30, quantity: 2 }));
    return world;
  }
  const wallet = (world: ReturnType<typeof inMemoryShop>) => world.state(walletDecider, walletStream('w1'));
  const item = (world: ReturnType<typeof inMemoryShop>, sku: string) => world.state(itemDecider, itemStream(sku));

  it('prices lines from the items, takes the stock and debits the wallet together', async () => {
    const world = await shop();
    const decision = await world.run(
      shopPlans.placeOrder({
        orderId: 'o1',
        walletId: 'w1',
        lines: [
          { sku: 'A', quantity: 3 },
          { sku: 'b', quantity: 1 },
        ],
      }),
    );
    expect(decision.primaryStreamId).toBe(orderStream('o1'));
    expect(decision.appends.map((a) => [a.streamId, a.expectedVersion])).toEqual([
      ['order-o1', 0],
      ['item-A', 1],
      ['item-B', 1],
      ['wallet-w1', 2],
    ]);
    expect(decision.appends[0]?.events).toEqual([
      OrderPlaced({
        orderId: 'o1',
        walletId: 'w1',
        lines: [
          { sku: 'A', quantity: 3, unitPrice: 100 },
          { sku: 'B', quantity: 1, unitPrice: 30 },
        ],
        total: 330,
      }),
    ]);
    expect(wallet(world)).toMatchObject({ balance: 170 });
    expect(item(world, 'A')).toMatchObject({ stock: 2 });
    expect(item(world, 'B')).toMatchObject({ stock: 1 });
  });

  it('charges the current price, not the price the item was added at', async () => {
    const world = await shop();
    await world.run(shopPlans.changeItemPrice('A', 120));
    const decision = await world.run(
      shopPlans.placeOrder({ orderId: 'o1', walletId: 'w1', lines: [{ sku: 'A', quantity: 2 }] }),
    );
    expect(decision.appends[0]?.events[0]).toMatchObject({ data: { total: 240 } });
  });

  it('merges repeated skus into one line', async () => {
    expect(
      mergeOrderLines([
        { sku: 'a', quantity: 1 },
        { sku: 'B', quantity: 2 },
        { sku: 'A', quantity: 3 },
      ]),
    ).toEqual([
      { sku: 'A', quantity: 4 },
      { sku: 'B', quantity: 2 },
    ]);
    const world = await shop();
    await world.run(
      shopPlans.placeOrder({
        orderId: 'o1',
        walletId: 'w1',
        lines: [
          { sku: 'A', quantity: 2 },
          { sku: 'a', quantity: 3 },
        ],
      }),
    );
    expect(item(world, 'A')).toMatchObject({ stock: 0 });
  });

  it.each([
    [
      'too little money',
      [
        { sku: 'A', quantity: 5 },
        { sku: 'B', quantity: 2 },
      ],
      'wallet.insufficient_funds',
      'w1',
    ],
    [
      'too little stock',
      [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 3 },
      ],
      'item.insufficient_stock',
      'w1',
    ],
    [
      'an unknown item',
      [
        { sku: 'A', quantity: 1 },
        { sku: 'NOPE', quantity: 1 },
      ],
      'item.not_found',
      'w1',
    ],
    ['an unknown wallet', [{ sku: 'A', quantity: 1 }], 'wallet.not_found', 'w2'],
    ['no lines', [], 'order.no_lines', 'w1'],
  ])('refuses an order with %s and changes nothing', async (_, lines, code, walletId) => {
    const world = await shop();
    const before = world.versions();
    const error = await refusal(world.run(shopPlans.placeOrder({ orderId: 'o1', walletId, lines })));
    expect(error.code).toBe(code);
    expect(world.versions()).toEqual(before);
  });

  it('names the item that is short, with what is there and what was asked', async () => {
    const world = await shop();
    const error = await refusal(
      world.run(shopPlans.placeOrder({ orderId: 'o1', walletId: 'w1', lines: [{ sku: 'B', quantity: 3 }] })),
    );
    expect(error).toMatchObject({ code: 'item.insufficient_stock', details: { sku: 'B', available: 2, requested: 3 } });
  });

  it('refuses to place the same order twice', async () => {
    const world = await shop();
    const order = shopPlans.placeOrder({ orderId: 'o1', walletId: 'w1', lines: [{ sku: 'A', quantity: 1 }] });
    await world.run(order);
    expect((await refusal(world.run(order))).code).toBe('order.already_exists');
    expect(wallet(world)).toMatchObject({ balance: 400 });
  });

  it('pins every item and the wallet at the version it was priced from', async () => {
    const world = await shop();
    const plan = shopPlans.placeOrder({ orderId: 'o1', walletId: 'w1', lines: [{ sku: 'A', quantity: 1 }] });
    const loaded = new Map(
      plan.reads.map((read) => [
        read.streamId,
        { state: world.state(read.decider, read.streamId), version: world.streams.get(read.streamId)?.length ?? 0 },
      ]),
    );
    const commandPlan = plan.decide(loaded);
    const related = commandPlan.related?.(undefined) ?? [];
    expect(related.map((c) => [c.streamId, c.expectedVersion])).toEqual([
      ['item-A', 1],
      ['wallet-w1', 2],
    ]);
  });
});

describe('shop inputs', () => {
  it('normalises skus and explains a bad one', () => {
    expect(addItemInput.parse({ sku: ' abc-1 ', name: 'A', price: 0, quantity: 0 }).sku).toBe('ABC-1');
    const bad = addItemInput.safeParse({ sku: '-abc', name: 'A', price: 0, quantity: 0 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/sku must be/);
  });
  it('takes money as whole, bounded minor units', () => {
    const walletId = '0b9f8d3e-4b7a-4c1e-9a55-3f1a2b3c4d5e';
    expect(topUpWalletInput.safeParse({ walletId, amount: 100 }).success).toBe(true);
    for (const amount of [0, -5, 10.5, shopLimits.maxTopUp + 1, '100']) {
      expect(topUpWalletInput.safeParse({ walletId, amount }).success).toBe(false);
    }
    expect(
      topUpWalletInput.safeParse({ walletId, amount: 100, expectedVersion: 3, commandId: 'cmd-12345' }).success,
    ).toBe(true);
    expect(restockItemInput.safeParse({ sku: 'A', quantity: 0 }).success).toBe(false);
    expect(addItemInput.safeParse({ sku: 'A', name: 'A', price: -1, quantity: 0 }).success).toBe(false);
  });
  it('needs at least one order line with a positive quantity', () => {
    const walletId = '0b9f8d3e-4b7a-4c1e-9a55-3f1a2b3c4d5e';
    expect(placeOrderInput.safeParse({ walletId, lines: [] }).error?.issues[0]?.message).toBe(
      'an order needs at least one line',
    );
    expect(placeOrderInput.safeParse({ walletId, lines: [{ sku: 'A', quantity: 0 }] }).success).toBe(false);
    expect(placeOrderInput.parse({ walletId, lines: [{ sku: 'a', quantity: 2 }] }).lines).toEqual([
      { sku: 'A', quantity: 2 },
    ]);
  });
});

describe('shop read models', () => {
  const at = (streamId: string, version: number): ProjectedEventContext => ({
    streamId,
    version,
    position: 10 + version,
    recordedAt: new Date(version * 1000),
    actorId: null,
  });
  it('projects wallet balances', () => {
    expect(walletsProjector(walletOpened, at('wallet-w1', 1))).toEqual([
      {
        kind: 'insert',
        row: {
          walletId: 'w1',
          ownerId: 'alice',
          balance: 0,
          version: 1,
          openedAt: new Date(1000),
          updatedAt: new Date(1000),
        },
      },
    ]);
    expect(walletsProjector(WalletDebited({ orderId: 'o1', amount: 5, balance: 95 }), at('wallet-w1', 3))).toEqual([
      { kind: 'update', walletId: 'w1', set: { balance: 95, version: 3, updatedAt: new Date(3000) } },
    ]);
  });
  it('projects items with stock and price', () => {
    expect(itemsProjector(ItemAdded(widget), at('item-WIDGET-1', 1))).toMatchObject([
      { kind: 'insert', row: { sku: 'WIDGET-1', price: 250, stock: 10, version: 1 } },
    ]);
    expect(
      itemsProjector(StockTaken({ orderId: 'o1', quantity: 4, unitPrice: 250, stock: 6 }), at('item-WIDGET-1', 2)),
    ).toEqual([{ kind: 'update', sku: 'WIDGET-1', set: { stock: 6, version: 2, updatedAt: new Date(2000) } }]);
    expect(itemsProjector(ItemPriceChanged({ price: 1, previousPrice: 250 }), at('item-WIDGET-1', 3))).toMatchObject([
      { kind: 'update', sku: 'WIDGET-1', set: { price: 1 } },
    ]);
  });
  it('projects orders and sales per item', () => {
    const placed = OrderPlaced({
      orderId: 'o1',
      walletId: 'w1',
      lines: [
        { sku: 'A', quantity: 3, unitPrice: 100 },
        { sku: 'B', quantity: 1, unitPrice: 30 },
      ],
      total: 330,
    });
    expect(ordersProjector(placed, at('order-o1', 1))).toEqual([
      { kind: 'insert', row: { ...placed.data, placedAt: new Date(1000) } },
    ]);
    expect(itemSalesProjector(placed, at('order-o1', 1))).toEqual([
      { kind: 'addSale', sku: 'A', quantity: 3, revenue: 300, soldAt: new Date(1000) },
      { kind: 'addSale', sku: 'B', quantity: 1, revenue: 30, soldAt: new Date(1000) },
    ]);
  });
  it('round-trips every shop event through the catalog', () => {
    const events: ShopEvent[] = [
      walletOpened,
      WalletToppedUp({ amount: 1, balance: 1 }),
      WalletDebited({ orderId: 'o', amount: 1, balance: 0 }),
      ItemAdded(widget),
      ItemRestocked({ quantity: 1, stock: 11 }),
      ItemPriceChanged({ price: 1, previousPrice: 250 }),
      StockTaken({ orderId: 'o', quantity: 1, unitPrice: 1, stock: 10 }),
      OrderPlaced({ orderId: 'o', walletId: 'w', lines: [{ sku: 'A', quantity: 1, unitPrice: 1 }], total: 1 }),
    ];
    for (const event of events) expect(shopEvents.decode(shopEvents.encode(event, 'order-1'))).toEqual(event);
    expect(shopEvents.types).toHaveLength(8);
    expect(() => shopEvents.encode(WalletToppedUp({ amount: -1, balance: 0 }), 'wallet-1')).toThrow();
  });
});

describe('shop invariants (property)', () => {
  const walletIds = Array.from({ length: 20 }, (_, i) => `w${i}`);
  const skus = Array.from({ length: 10 }, (_, i) => `SKU-${i}`);
  // The last wallet and the last item are never created, so refusals for unknown ones happen too.
  const openWallets = walletIds.slice(0, -1);
  const listedSkus = skus.slice(0, -1);

  const command = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('order' as const),
        wallet: fc.constantFrom(...walletIds),
        lines: fc.array(fc.record({ sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 6 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('topUp' as const),
        wallet: fc.constantFrom(...walletIds),
        amount: fc.integer({ min: 1, max: 3_000 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('restock' as const),
        sku: fc.constantFrom(...skus),
        quantity: fc.integer({ min: 1, max: 10 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('price' as const),
        sku: fc.constantFrom(...skus),
        price: fc.integer({ min: 0, max: 500 }),
      }),
    },
  );
  const setup = fc.record({
    prices: fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 9, maxLength: 9 }),
    stocks: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 9, maxLength: 9 }),
  });

  it('never overdraws a wallet or oversells an item, and an order is all or nothing', async () => {
    await fc.assert(
      fc.asyncProperty(setup, fc.array(command, { minLength: 1_000, maxLength: 1_000 }), async (initial, commands) => {
        const world = inMemoryShop();
        // A model of what the shop should hold, kept by plain arithmetic beside the real thing.
        const balances = new Map<string, number>();
        const stocks = new Map<string, number>();
        const prices = new Map<string, number>();
        for (const id of openWallets) {
          await world.run(shopPlans.openWallet(id, `owner-${id}`));
          balances.set(id, 0);
        }
        for (const [i, sku] of listedSkus.entries()) {
          const price = initial.prices[i] ?? 0;
          const quantity = initial.stocks[i] ?? 0;
          await world.run(shopPlans.addItem({ sku, name: sku, price, quantity }));
          stocks.set(sku, quantity);
          prices.set(sku, price);
        }
        let acceptedTotal = 0;
        const acceptedQuantities = new Map<string, number>();

        for (const [n, c] of commands.entries()) {
          const before = world.versions();
          if (c.kind === 'order') {
            const lines = mergeOrderLines(c.lines);
            const balance = balances.get(c.wallet);
            const total = lines.reduce((sum, l) => sum + l.quantity * (prices.get(l.sku) ?? Number.NaN), 0);
            const expectAccepted =
              balance !== undefined &&
              lines.every((l) => (stocks.get(l.sku) ?? -1) >= l.quantity) &&
              Number.isFinite(total) &&
              total <= balance;
            const outcome = await world
              .run(shopPlans.placeOrder({ orderId: `o${n}`, walletId: c.wallet, lines: c.lines }))
              .then(
                () => 'accepted',
                (e: unknown) => {
                  if (!(e instanceof DomainError)) throw e;
                  return e.code;
                },
              );
            expect(outcome === 'accepted', `order ${n}: ${outcome}`).toBe(expectAccepted);
            if (expectAccepted) {
              balances.set(c.wallet, (balance ?? 0) - total);
              for (const l of lines) {
                stocks.set(l.sku, (stocks.get(l.sku) ?? 0) - l.quantity);
                acceptedQuantities.set(l.sku, (acceptedQuantities.get(l.sku) ?? 0) + l.quantity);
              }
              acceptedTotal += total;
            } else {
              expect([
                'wallet.insufficient_funds',
                'item.insufficient_stock',
                'item.not_found',
                'wallet.not_found',
              ]).toContain(outcome);
              expect(world.versions(), 'a refused order changed nothing').toEqual(before);
            }
          } else {
            const plan =
              c.kind === 'topUp'
                ? shopPlans.topUpWallet(c.wallet, c.amount)
                : c.kind === 'restock'
                  ? shopPlans.restockItem(c.sku, c.quantity)
                  : shopPlans.changeItemPrice(c.sku, c.price);
            const accepted = await world.run(plan).then(
              () => true,
              (e: unknown) => {
                if (!(e instanceof DomainError)) throw e;
                expect(e.code).toMatch(/\.not_found$/);
                return false;
              },
            );
            if (!accepted) expect(world.versions()).toEqual(before);
            else if (c.kind === 'topUp') balances.set(c.wallet, (balances.get(c.wallet) ?? 0) + c.amount);
            else if (c.kind === 'restock') stocks.set(c.sku, (stocks.get(c.sku) ?? 0) + c.quantity);
            else prices.set(c.sku, c.price);
          }
        }

        const events = [...world.streams.values()].flat() as ShopEvent[];
        const debited = events.flatMap((e) => (e.type === 'WalletDebited' ? [e.data.amount] : []));
        const placed = events.flatMap((e) => (e.type === 'OrderPlaced' ? [e.data] : []));
        expect(debited.reduce((a, b) => a + b, 0)).toBe(placed.reduce((sum, o) => sum + o.total, 0));
        expect(placed.reduce((sum, o) => sum + o.total, 0)).toBe(acceptedTotal);
        for (const sku of skus) {
          const taken = [...(world.streams.get(itemStream(sku)) ?? [])]
            .flatMap((e) =>
              (e as ShopEvent).type === 'StockTaken' ? [(e as { data: { quantity: number } }).data.quantity] : [],
            )
            .reduce((a, b) => a + b, 0);
          expect(taken, sku).toBe(acceptedQuantities.get(sku) ?? 0);
        }
        for (const id of walletIds) {
          const wallet: WalletState = world.state(walletDecider, walletStream(id));
          const balance = wallet.status === 'none' ? undefined : wallet.balance;
          expect(balance).toBe(balances.get(id));
          if (balance !== undefined) expect(balance).toBeGreaterThanOrEqual(0);
        }
        for (const sku of skus) {
          const item: ItemState = world.state(itemDecider, itemStream(sku));
          const stock = item.status === 'none' ? undefined : item.stock;
          expect(stock).toBe(stocks.get(sku));
          if (stock !== undefined) expect(stock).toBeGreaterThanOrEqual(0);
        }
        // Every balance and stock the shop ever held, not only the last: events carry them.
        for (const event of events) {
          if (event.type === 'WalletToppedUp' || event.type === 'WalletDebited') {
            expect(event.data.balance).toBeGreaterThanOrEqual(0);
          }
          if (event.type === 'StockTaken' || event.type === 'ItemRestocked') {
            expect(event.data.stock).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 20 },
    );
  });
});
