import type { Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { OrderEvent } from './events.ts';
import { isWholeAmount, orderTotal, type PricedOrderLine, shopLimits } from './values.ts';

export type OrderState =
  | { status: 'none' }
  | { status: 'placed'; orderId: string; walletId: string; lines: PricedOrderLine[]; total: number };

/** Built by `shopPlans.placeOrder`, which prices the lines from the items' current state. */
export type OrderCommand = {
  type: 'PlaceOrder';
  orderId: string;
  walletId: string;
  lines: PricedOrderLine[];
  total: number;
};

function checkLines(lines: readonly PricedOrderLine[], total: number) {
  if (lines.length === 0) throw new DomainError('order.no_lines', 'an order needs at least one line');
  if (lines.length > shopLimits.maxOrderLines) {
    throw new DomainError('order.too_many_lines', `an order has at most ${shopLimits.maxOrderLines} lines`, {
      lines: lines.length,
    });
  }
  const skus = new Set<string>();
  for (const line of lines) {
    if (skus.has(line.sku)) {
      throw new DomainError('order.duplicate_sku', 'each sku may appear once in an order', { sku: line.sku });
    }
    skus.add(line.sku);
    if (!isWholeAmount(line.quantity, 1, shopLimits.maxLineQuantity)) {
      throw new DomainError('order.invalid_quantity', `a line orders 1 to ${shopLimits.maxLineQuantity} of a sku`, {
        sku: line.sku,
        quantity: line.quantity,
      });
    }
  }
  if (orderTotal(lines) !== total) {
    throw new DomainError('order.total_mismatch', 'the total is not the sum of the lines', {
      total,
      expected: orderTotal(lines),
    });
  }
}

/** An order is placed once; stock and money are the items' and the wallet's rules. */
export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  streamType: 'order',
  initialState: () => ({ status: 'none' }),

  evolve(_state, event) {
    switch (event.type) {
      case 'OrderPlaced':
        return { status: 'placed', ...event.data };
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'PlaceOrder': {
        if (state.status !== 'none') throw new DomainError('order.already_exists', 'this order was already placed');
        checkLines(command.lines, command.total);
        const { type: _, ...data } = command;
        return [{ type: 'OrderPlaced', data }];
      }
    }
  },
};
