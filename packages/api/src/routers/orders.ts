import { randomUUID } from 'node:crypto';
import {
  listOrdersInput,
  type OrderEvent,
  OrderPlaced,
  orderByIdInput,
  orderIdOfStream,
  placeOrderInput,
  shopPlans,
} from '@strata/domain';
import { TRPCError } from '@trpc/server';
import { findOrderById, listOrders } from '../shop/orders-queries.ts';
import { adminProcedure, authedProcedure, router, runAs, streamPosition } from '../trpc.ts';
import { command, query } from './openapi-meta.ts';
import * as o from './outputs.ts';

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'no such order' });

export const ordersRouter = router({
  /**
   * Prices the lines from the items' current prices, then appends the order, the stock taken from
   * every item and the wallet's debit in one transaction, each stream at the version it was read
   * at. A concurrent order on the same wallet or items is a conflict the runner retries (bounded)
   * before it answers CONFLICT; too little money or stock is PRECONDITION_FAILED
   * (`wallet.insufficient_funds`, `item.insufficient_stock`) and appends nothing.
   */
  place: adminProcedure
    .meta(command('/orders/place', 'Place an order: stock and money taken in one transaction'))
    .output(o.placeOrderOutput)
    .input(placeOrderInput)
    .mutation(async ({ ctx, input }) => {
      const result = await runAs(
        ctx,
        shopPlans.placeOrder({ orderId: randomUUID(), walletId: input.walletId, lines: input.lines }),
        input.commandId,
      );
      const orderId = orderIdOfStream(result.streamId);
      const placed = result.events.find((e): e is OrderEvent => e.type === OrderPlaced.type);
      // The answer is the order as placed: its row in the orders read model is that event's data
      // and time. A retried command id placed nothing now: the row (inline, committed with the
      // first run's events) has the first order.
      const order =
        placed && result.recordedAt
          ? { ...placed.data, placedAt: result.recordedAt }
          : await findOrderById(ctx.app.database.db, orderId);
      if (!order) throw new Error(`order ${orderId} was placed but is not in the orders read model`);
      return {
        orderId,
        walletId: order.walletId,
        total: order.total,
        lines: order.lines,
        placedAt: order.placedAt,
        ...streamPosition(result),
      };
    }),

  list: authedProcedure
    .meta(query('/orders/list', 'Orders, newest first'))
    .output(o.orderPage)
    .input(listOrdersInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('orders', input.minPosition);
      return listOrders(ctx.app.database.db, input);
    }),
  byId: authedProcedure
    .meta(query('/orders/by-id', 'One order'))
    .output(o.orderRow)
    .input(orderByIdInput)
    .query(async ({ ctx, input }) => {
      await ctx.app.waitForReadModel('orders', input.minPosition);
      const order = await findOrderById(ctx.app.database.db, input.orderId);
      if (!order) throw notFound();
      return order;
    }),
});
