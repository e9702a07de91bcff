import {
  addItemInput,
  changeItemPriceInput,
  itemBySkuInput,
  listItemsInput,
  listSalesInput,
  restockItemInput,
  shopPlans,
  skuOfStream,
} from '@strata/domain';
import { TRPCError } from '@trpc/server';
import { findItemBySku, listItems, listSales } from '../shop/inventory-queries.ts';
import { adminProcedure, authedProcedure, router, runAs, streamPosition } from '../trpc.ts';
import { command, query } from './openapi-meta.ts';
import * as o from './outputs.ts';

/** Warehouse items: `sku` is upper-cased by the input schema, and every answer carries it so. */
export const inventoryRouter = router({
  addItem: adminProcedure
    .meta(command('/inventory/add-item', 'Add an item to the warehouse'))
    .output(o.itemMutationOutput)
    .input(addItemInput)
    .mutation(async ({ ctx, input }) => {
      const { sku, name, price, quantity } = input;
      const result = await runAs(ctx, shopPlans.addItem({ sku, name, price, quantity }), input.commandId);
      return { sku: skuOfStream(result.streamId), ...streamPosition(result) };
    }),
  restock: adminProcedure
    .meta(command('/inventory/restock', 'Add stock to an item'))
    .output(o.itemMutationOutput)
    .input(restockItemInput)
    .mutation(async ({ ctx, input }) => {
      const result = await runAs(
        ctx,
        shopPlans.restockItem(input.sku, input.quantity, input.expectedVersion),
        input.commandId,
      );
      return { sku: input.sku, ...streamPosition(result) };
    }),
  changePrice: adminProcedure
    .meta(command('/inventory/change-price', "Change an item's price"))
    .output(o.itemMutationOutput)
    .input(changeItemPriceInput)
    .mutation(async ({ ctx, input }) => {
      const result = await runAs(
        ctx,
        shopPlans.changeItemPrice(input.sku, input.price, input.expectedVersion),
        input.commandId,
      );
      return { sku: input.sku, ...streamPosition(result) };
    }),

  list: authedProcedure
    .meta(query('/inventory/list', 'Items, a page at a time'))
    .output(o.itemPage)
    .input(listItemsInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('items', input.minPosition);
      return listItems(ctx.app.database.db, input);
    }),
  bySku: authedProcedure
    .meta(query('/inventory/by-sku', 'One item'))
    .output(o.itemRow)
    .input(itemBySkuInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('items', input.minPosition);
      const item = await findItemBySku(ctx.app.database.db, input.sku);
      if (!item) throw new TRPCError({ code: 'NOT_FOUND', message: `no item ${input.sku}` });
      return item;
    }),
  /** Sales per item (the async `item_sales` read model): pass a position to include an order. */
  sales: authedProcedure
    .meta(query('/inventory/sales', 'Sales per item, best first'))
    .output(o.salesPage)
    .input(listSalesInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('item_sales', input.minPosition);
      return listSales(ctx.app.database.db, input);
    }),
});
