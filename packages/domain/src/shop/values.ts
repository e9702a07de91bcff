import { z } from 'zod';
import { text } from '../kernel/text.ts';
import { shopLimits } from '../limits.ts';

export { shopLimits };

/** SKUs are compared case-insensitively, so they are stored upper-cased: `abc-1` is `ABC-1`. */
export function normaliseSku(sku: string): string {
  return sku.trim().toUpperCase();
}

export const skuSchema = text({ max: 64, trim: true, label: 'sku' })
  .regex(/^[A-Z0-9][A-Z0-9-]{0,63}$/i, {
    error: 'sku must be 1-64 letters, digits or hyphens, starting with a letter or digit',
  })
  .transform(normaliseSku);

export const itemNameSchema = text({ max: 200, trim: true, label: 'name' }).min(1, { error: 'name is required' });

export const priceSchema = z
  .number({ error: 'price must be a number of minor units' })
  .int({ error: 'price must be a whole number of minor units' })
  .min(0, { error: 'price cannot be negative' })
  .max(shopLimits.maxPrice, { error: `price is at most ${shopLimits.maxPrice} minor units` });

export const initialStockSchema = z
  .number({ error: 'quantity must be a number' })
  .int({ error: 'quantity must be a whole number' })
  .min(0, { error: 'quantity cannot be negative' })
  .max(shopLimits.maxStock, { error: `quantity is at most ${shopLimits.maxStock}` });

export const restockQuantitySchema = z
  .number({ error: 'quantity must be a number' })
  .int({ error: 'quantity must be a whole number' })
  .min(1, { error: 'quantity must be at least 1' })
  .max(shopLimits.maxStock, { error: `quantity is at most ${shopLimits.maxStock}` });

export const lineQuantitySchema = z
  .number({ error: 'quantity must be a number' })
  .int({ error: 'quantity must be a whole number' })
  .min(1, { error: 'quantity must be at least 1' })
  .max(shopLimits.maxLineQuantity, { error: `quantity is at most ${shopLimits.maxLineQuantity} per line` });

export const topUpAmountSchema = z
  .number({ error: 'amount must be a number of minor units' })
  .int({ error: 'amount must be a whole number of minor units' })
  .min(1, { error: 'amount must be positive' })
  .max(shopLimits.maxTopUp, { error: `a top-up is at most ${shopLimits.maxTopUp} minor units` });

/** Whoever the wallet belongs to: a user id or an outside customer reference. */
export const walletOwnerSchema = text({ max: 200, trim: true, label: 'ownerId' }).min(1, {
  error: 'ownerId is required',
});

export interface OrderLine {
  sku: string;
  quantity: number;
}

export interface PricedOrderLine extends OrderLine {
  unitPrice: number;
}

/** One line per SKU: repeated SKUs in a request are added together, in first-seen order. */
export function mergeOrderLines(lines: readonly OrderLine[]): OrderLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) {
    const sku = normaliseSku(line.sku);
    merged.set(sku, (merged.get(sku) ?? 0) + line.quantity);
  }
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}

export function orderTotal(lines: readonly PricedOrderLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
}

export function isWholeAmount(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
