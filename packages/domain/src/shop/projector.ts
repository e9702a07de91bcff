import type { Projector, RowEventContext } from '../kernel/projector.ts';
import type { ItemEvent, OrderEvent, WalletEvent } from './events.ts';
import { skuOfStream, walletIdOfStream } from './events.ts';
import type { PricedOrderLine } from './values.ts';

/** A row of the wallet balances read model. Amounts are minor units (bigint columns). */
export interface WalletRow {
  walletId: string;
  ownerId: string;
  balance: number;
  version: number;
  openedAt: Date;
  updatedAt: Date;
}

export type WalletRowChange =
  | { kind: 'insert'; row: WalletRow }
  | { kind: 'update'; walletId: string; set: { balance: number; version: number; updatedAt: Date } };

/** Events carry the balance after them, so each change sets it rather than adding to it. */
export const walletsProjector: Projector<WalletEvent, WalletRowChange, RowEventContext> = (event, context) => {
  const touched = { version: context.version, updatedAt: context.recordedAt };
  switch (event.type) {
    case 'WalletOpened':
      return [{ kind: 'insert', row: { ...event.data, balance: 0, ...touched, openedAt: context.recordedAt } }];
    case 'WalletToppedUp':
    case 'WalletDebited':
      return [
        {
          kind: 'update',
          walletId: walletIdOfStream(context.streamId),
          set: { balance: event.data.balance, ...touched },
        },
      ];
  }
};

/** A row of the inventory read model: what an item costs and how many are in stock. */
export interface ItemRow {
  sku: string;
  name: string;
  price: number;
  stock: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type ItemRowChange =
  | { kind: 'insert'; row: ItemRow }
  | {
      kind: 'update';
      sku: string;
      set: Partial<Pick<ItemRow, 'price' | 'stock'>> & { version: number; updatedAt: Date };
    };

export const itemsProjector: Projector<ItemEvent, ItemRowChange, RowEventContext> = (event, context) => {
  const touched = { version: context.version, updatedAt: context.recordedAt };
  const sku = skuOfStream(context.streamId);
  switch (event.type) {
    case 'ItemAdded': {
      const { quantity, ...item } = event.data;
      return [{ kind: 'insert', row: { ...item, stock: quantity, ...touched, createdAt: context.recordedAt } }];
    }
    case 'ItemRestocked':
    case 'StockTaken':
      return [{ kind: 'update', sku, set: { stock: event.data.stock, ...touched } }];
    case 'ItemPriceChanged':
      return [{ kind: 'update', sku, set: { price: event.data.price, ...touched } }];
  }
};

/** A row of the orders list. Orders never change once placed. */
export interface OrderRow {
  orderId: string;
  walletId: string;
  lines: PricedOrderLine[];
  total: number;
  placedAt: Date;
}

export type OrderRowChange = { kind: 'insert'; row: OrderRow };

export const ordersProjector: Projector<OrderEvent, OrderRowChange, RowEventContext> = (event, context) => {
  switch (event.type) {
    case 'OrderPlaced':
      return [{ kind: 'insert', row: { ...event.data, placedAt: context.recordedAt } }];
  }
};

/** A row of sales per item: totals since the first sale. */
export interface ItemSalesRow {
  sku: string;
  quantitySold: number;
  revenue: number;
  orders: number;
  lastSoldAt: Date;
}

/**
 * Adds one order line to its item's totals: upsert the row, adding `quantity`, `revenue` and one
 * order to what is there and setting `lastSoldAt`. Adding is safe because the runner applies each
 * event exactly once (checkpoint in the same transaction).
 */
export type ItemSalesChange = { kind: 'addSale'; sku: string; quantity: number; revenue: number; soldAt: Date };

export const itemSalesProjector: Projector<OrderEvent, ItemSalesChange> = (event, context) => {
  switch (event.type) {
    case 'OrderPlaced':
      return event.data.lines.map((line) => ({
        kind: 'addSale',
        sku: line.sku,
        quantity: line.quantity,
        revenue: line.quantity * line.unitPrice,
        soldAt: context.recordedAt,
      }));
  }
};
