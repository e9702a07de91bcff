import { z } from 'zod';
import {
  cursorSchema,
  existingStreamMutationOptions,
  idSchema,
  limitSchema,
  minPositionSchema,
  mutationOptions,
  searchSchema,
} from '../kernel/inputs.ts';
import { text } from '../kernel/text.ts';
import {
  initialStockSchema,
  itemNameSchema,
  lineQuantitySchema,
  priceSchema,
  restockQuantitySchema,
  shopLimits,
  skuSchema,
  topUpAmountSchema,
  walletOwnerSchema,
} from './values.ts';

const limit = limitSchema;
const cursor = cursorSchema.optional();

// wallets.*
export const openWalletInput = z.object({ ownerId: walletOwnerSchema, ...mutationOptions });
export const topUpWalletInput = z.object({
  walletId: idSchema,
  amount: topUpAmountSchema,
  ...existingStreamMutationOptions,
});
export const walletByIdInput = z.object({ walletId: idSchema, minPosition: minPositionSchema });
export const listWalletsInput = z.object({
  ownerId: text({ max: 200, label: 'ownerId' }).optional(),
  cursor,
  limit: limit(25),
  minPosition: minPositionSchema,
});

// inventory.*
export const addItemInput = z.object({
  sku: skuSchema,
  name: itemNameSchema,
  price: priceSchema,
  quantity: initialStockSchema,
  ...mutationOptions,
});
export const restockItemInput = z.object({
  sku: skuSchema,
  quantity: restockQuantitySchema,
  ...existingStreamMutationOptions,
});
export const changeItemPriceInput = z.object({ sku: skuSchema, price: priceSchema, ...existingStreamMutationOptions });
export const itemBySkuInput = z.object({ sku: skuSchema, minPosition: minPositionSchema });
export const listItemsInput = z.object({
  /** Matches sku or name. */
  search: searchSchema.optional(),
  inStock: z.boolean().optional(),
  cursor,
  limit: limit(25),
  minPosition: minPositionSchema,
});
export const listSalesInput = z.object({ cursor, limit: limit(25), minPosition: minPositionSchema });

// orders.*
export const orderLineInput = z.object({ sku: skuSchema, quantity: lineQuantitySchema });
export const placeOrderInput = z.object({
  walletId: idSchema,
  lines: z
    .array(orderLineInput)
    .min(1, { error: 'an order needs at least one line' })
    .max(shopLimits.maxOrderLines, { error: `an order has at most ${shopLimits.maxOrderLines} lines` }),
  ...mutationOptions,
});
export const orderByIdInput = z.object({ orderId: idSchema, minPosition: minPositionSchema });
export const listOrdersInput = z.object({
  walletId: idSchema.optional(),
  cursor,
  limit: limit(25),
  minPosition: minPositionSchema,
});

export type OpenWalletInput = z.infer<typeof openWalletInput>;
export type TopUpWalletInput = z.infer<typeof topUpWalletInput>;
export type AddItemInput = z.infer<typeof addItemInput>;
export type RestockItemInput = z.infer<typeof restockItemInput>;
export type ChangeItemPriceInput = z.infer<typeof changeItemPriceInput>;
export type PlaceOrderInput = z.infer<typeof placeOrderInput>;
