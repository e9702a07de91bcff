import { type ItemEvent, type ItemRow, itemEventDefinitions, itemsProjector, shopEvents } from '@strata/domain';
import { itemsTable } from '../../schema/shop.ts';
import { defineRowProjection } from '../row-projection.ts';

/**
 * Items with their stock and price. Inline: the stock an admin sees after a restock, and the
 * price a client quotes before ordering, must be the ones the next command will be decided on.
 */
export const itemsProjection = defineRowProjection<ItemRow>({
  name: 'items',
  eventTypes: itemEventDefinitions.map((d) => d.type),
  tableName: 'items',
  table: (suffix) => itemsTable(`items${suffix}`),
  key: 'sku',
  changes: (event, context) =>
    itemsProjector(shopEvents.decode(event) as ItemEvent, context).map((change) =>
      change.kind === 'insert' ? change : { kind: 'update', key: change.sku, set: change.set },
    ),
});
