import { z } from 'zod';
import { defineEvent, type EventOf, eventCatalog } from '../kernel/events.ts';
import { idInStream } from '../kernel/streams.ts';
import { normaliseSku } from './values.ts';

// The shop context's streams (where its events go), then its events.
export const walletStream = (walletId: string) => `wallet-${walletId}`;
export const itemStream = (sku: string) => `item-${normaliseSku(sku)}`;
export const orderStream = (orderId: string) => `order-${orderId}`;

export const walletIdOfStream = (streamId: string) => idInStream('wallet-', streamId);
export const skuOfStream = (streamId: string) => idInStream('item-', streamId);
export const orderIdOfStream = (streamId: string) => idInStream('order-', streamId);

/*
 * Stored facts are checked for shape only (whole numbers, strings): limits such as the largest
 * top-up are policy, live in the input schemas and deciders, and may change without making old
 * events unreadable.
 */
const minorUnits = z.number().int().nonnegative();
const count = z.number().int().nonnegative();

export const WalletOpened = defineEvent('WalletOpened', z.object({ walletId: z.string(), ownerId: z.string() }));
/** `balance` is the balance after the event, so readers never have to add up history. */
export const WalletToppedUp = defineEvent('WalletToppedUp', z.object({ amount: minorUnits, balance: minorUnits }));
export const WalletDebited = defineEvent(
  'WalletDebited',
  z.object({ orderId: z.string(), amount: minorUnits, balance: minorUnits }),
);
export const walletEventDefinitions = [WalletOpened, WalletToppedUp, WalletDebited] as const;
export type WalletEvent = EventOf<typeof walletEventDefinitions>;

export const ItemAdded = defineEvent(
  'ItemAdded',
  z.object({ sku: z.string(), name: z.string(), price: minorUnits, quantity: count }),
);
/** `stock` is the stock after the event. */
export const ItemRestocked = defineEvent('ItemRestocked', z.object({ quantity: count, stock: count }));
export const ItemPriceChanged = defineEvent(
  'ItemPriceChanged',
  z.object({ price: minorUnits, previousPrice: minorUnits }),
);
/** The price an order paid travels with the stock it took, so sales need no other stream. */
export const StockTaken = defineEvent(
  'StockTaken',
  z.object({ orderId: z.string(), quantity: count, unitPrice: minorUnits, stock: count }),
);
export const itemEventDefinitions = [ItemAdded, ItemRestocked, ItemPriceChanged, StockTaken] as const;
export type ItemEvent = EventOf<typeof itemEventDefinitions>;

export const orderLineData = z.object({ sku: z.string(), quantity: count, unitPrice: minorUnits });
export const OrderPlaced = defineEvent(
  'OrderPlaced',
  z.object({ orderId: z.string(), walletId: z.string(), lines: z.array(orderLineData), total: minorUnits }),
);
export const orderEventDefinitions = [OrderPlaced] as const;
export type OrderEvent = EventOf<typeof orderEventDefinitions>;

export const shopEvents = eventCatalog([
  ...walletEventDefinitions,
  ...itemEventDefinitions,
  ...orderEventDefinitions,
] as const);
export type ShopEvent = WalletEvent | ItemEvent | OrderEvent;
