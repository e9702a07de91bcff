import { lineQuantitySchema, skuSchema } from '@strata/domain';
import { z } from 'zod';
import type { ItemRow } from '../../../api/trpc';
import { quantityInput } from '../../../ui/form/amount-schemas';
import { shopLimits } from '../shop';

/**
 * The order as typed, checked line by line by the domain's SKU and quantity rules (quantities read
 * as whole numbers first); the api's errors come back under the same paths (`lines.0.sku`).
 */
export const orderFormSchema = z.object({
  walletId: z.string().min(1, { error: 'Choose the wallet that pays.' }),
  lines: z
    .array(
      z.object({
        sku: z.string().trim().min(1, { error: 'Enter a SKU.' }).pipe(skuSchema),
        quantity: quantityInput(lineQuantitySchema, { min: 1, max: shopLimits.maxLineQuantity }),
      }),
    )
    .min(1, { error: 'an order needs at least one line' })
    .max(shopLimits.maxOrderLines, { error: `an order has at most ${shopLimits.maxOrderLines} lines` }),
});
export type OrderFormInput = z.input<typeof orderFormSchema>;

/** A line of the order as typed. */
export type LineInput = OrderFormInput['lines'][number];

/** A line as understood: its normalised SKU, its quantity if it is one, and the item if it exists. */
export interface PricedLine {
  sku: string;
  quantity: number | null;
  item: ItemRow | null;
  /** The SKU is complete and the api has no such item. */
  unknown: boolean;
}

export const linkClass = 'font-medium underline underline-offset-2';
/** SKU, quantity, subtotal, remove: the same columns for the heading and every line. */
export const lineColumns = 'grid-cols-[minmax(0,1fr)_4.5rem_5.5rem_2.5rem]';
export const newLine = (): LineInput => ({ sku: '', quantity: '1' });
