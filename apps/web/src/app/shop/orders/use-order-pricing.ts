'use client';

import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type ItemRow, useTRPC } from '../../../api/trpc';
import { parseQuantity } from '../../../ui/money';
import { useDebounced } from '../../../ui/use-debounced';
import { normaliseSku, shopLimits, skuPattern } from '../shop';
import type { LineInput, PricedLine } from './order-lines';

/**
 * The typed lines with their items and prices: from the first hundred items the form loaded, and
 * SKUs beyond those looked up one by one once typing pauses.
 */
export function useOrderPricing(
  lines: LineInput[],
  items: { items: ItemRow[]; nextCursor?: string | null } | undefined,
  minPosition: number | undefined,
): PricedLine[] {
  const trpc = useTRPC();
  const known = useMemo(() => new Map(items?.items.map((item) => [item.sku, item]) ?? []), [items]);
  const listIsComplete = items ? items.nextCursor === null : false;
  const typedSkus = useDebounced(
    lines.map((line) => normaliseSku(line.sku)).filter((sku) => skuPattern.test(sku) && !known.has(sku)),
    300,
  );
  const lookups = useQueries({
    queries: (listIsComplete ? [] : typedSkus).map((sku) => ({
      ...trpc.inventory.bySku.queryOptions({ sku, minPosition }),
      retry: false,
    })),
  });
  const looked = new Map<string, ItemRow | null>();
  (listIsComplete ? [] : typedSkus).forEach((sku, i) => {
    const lookup = lookups[i];
    if (lookup?.data) looked.set(sku, lookup.data);
    else if (lookup?.isError) looked.set(sku, null);
  });

  return lines.map((line) => {
    const sku = normaliseSku(line.sku);
    const quantity = parseQuantity(line.quantity, { min: 1, max: shopLimits.maxLineQuantity });
    const item = known.get(sku) ?? looked.get(sku) ?? null;
    const unknown = skuPattern.test(sku) && !item && (listIsComplete || looked.get(sku) === null);
    return { sku, quantity: quantity.ok ? quantity.value : null, item, unknown };
  });
}
