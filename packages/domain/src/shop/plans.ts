import {
  type CommandPlan,
  loadedOf,
  presumedNew,
  type ReadingPlan,
  streamCommand,
  streamRead,
} from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import { itemStream, orderStream, walletStream } from './events.ts';
import { itemDecider } from './item-decider.ts';
import { orderDecider } from './order-decider.ts';
import { mergeOrderLines, type OrderLine, orderTotal, type PricedOrderLine } from './values.ts';
import { walletDecider } from './wallet-decider.ts';

export interface PlaceOrderRequest {
  /** A new id: the plan presumes no order has it yet (a wrong guess is caught at the append). */
  orderId: string;
  walletId: string;
  lines: readonly OrderLine[];
}

/**
 * Shop commands as plans. Wallets and items are single streams; an order spans the order, its
 * wallet and every item it takes from, appended together or not at all.
 */
export const shopPlans = {
  /** `walletId` is a new id (the caller makes one), so the wallet's stream is presumed new. */
  openWallet(walletId: string, ownerId: string): CommandPlan {
    return {
      primary: presumedNew(
        streamCommand(walletDecider, walletStream(walletId), { type: 'OpenWallet', walletId, ownerId }),
      ),
    };
  },

  topUpWallet(walletId: string, amount: number, expectedVersion?: number): CommandPlan {
    return {
      primary: streamCommand(walletDecider, walletStream(walletId), { type: 'TopUp', amount }, expectedVersion),
    };
  },

  addItem(item: { sku: string; name: string; price: number; quantity: number }): CommandPlan {
    return { primary: streamCommand(itemDecider, itemStream(item.sku), { type: 'AddItem', ...item }) };
  },

  restockItem(sku: string, quantity: number, expectedVersion?: number): CommandPlan {
    return { primary: streamCommand(itemDecider, itemStream(sku), { type: 'Restock', quantity }, expectedVersion) };
  },

  changeItemPrice(sku: string, price: number, expectedVersion?: number): CommandPlan {
    return { primary: streamCommand(itemDecider, itemStream(sku), { type: 'ChangePrice', price }, expectedVersion) };
  },

  /**
   * The total comes from the items' current prices, which only the item streams know, so this
   * plan reads the wallet and the items first, prices the lines, and then commands the order
   * (primary), every item and the wallet — each pinned at the version it was priced from. Too
   * little stock or money is the item's or the wallet's refusal, and then nothing is appended.
   */
  placeOrder(request: PlaceOrderRequest): ReadingPlan {
    const lines = mergeOrderLines(request.lines);
    const wallet = streamRead(walletDecider, walletStream(request.walletId));
    const items = lines.map((line) => ({ line, read: streamRead(itemDecider, itemStream(line.sku)) }));
    // The order's own stream is read with the others (it is the primary below, loaded once), so a
    // runner loads all of them in one go instead of the order's after the rest.
    // The caller makes a new order id for every order, so the runner need not load it.
    const order = presumedNew(streamRead(orderDecider, orderStream(request.orderId)));
    return {
      reads: [wallet, ...items.map((i) => i.read), order],
      decide(loaded) {
        const walletLoaded = loadedOf(loaded, wallet);
        if (walletLoaded.state.status === 'none') {
          throw new DomainError('wallet.not_found', 'no such wallet', { walletId: request.walletId });
        }
        const priced = items.map(({ line, read }) => {
          const item = loadedOf(loaded, read);
          if (item.state.status === 'none') {
            throw new DomainError('item.not_found', `no item ${line.sku}`, { sku: line.sku });
          }
          return {
            line: { ...line, unitPrice: item.state.price } satisfies PricedOrderLine,
            read,
            version: item.version,
          };
        });
        const pricedLines = priced.map((p) => p.line);
        const total = orderTotal(pricedLines);
        const { orderId, walletId } = request;
        return {
          primary: streamCommand(orderDecider, orderStream(orderId), {
            type: 'PlaceOrder',
            orderId,
            walletId,
            lines: pricedLines,
            total,
          }),
          related: () => [
            ...priced.map(({ line, read, version }) =>
              streamCommand(
                itemDecider,
                read.streamId,
                { type: 'TakeStock', orderId, quantity: line.quantity, unitPrice: line.unitPrice },
                version,
              ),
            ),
            streamCommand(
              walletDecider,
              wallet.streamId,
              { type: 'DebitWallet', orderId, amount: total },
              walletLoaded.version,
            ),
          ],
        };
      },
    };
  },
};
