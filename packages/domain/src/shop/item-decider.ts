import type { Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { ItemEvent } from './events.ts';
import { isWholeAmount, shopLimits } from './values.ts';

export type ItemState =
  | { status: 'none' }
  | { status: 'listed'; sku: string; name: string; price: number; stock: number };

export type ItemCommand =
  | { type: 'AddItem'; sku: string; name: string; price: number; quantity: number }
  | { type: 'Restock'; quantity: number }
  | { type: 'ChangePrice'; price: number }
  /** `unitPrice` is the price the order was computed with; a different current price refuses. */
  | { type: 'TakeStock'; orderId: string; quantity: number; unitPrice: number };

type ListedItem = Extract<ItemState, { status: 'listed' }>;

function existing(state: ItemState): ListedItem {
  if (state.status === 'none') throw new DomainError('item.not_found', 'no such item');
  return state;
}

function checkPrice(price: number) {
  if (!isWholeAmount(price, 0, shopLimits.maxPrice)) {
    throw new DomainError('item.invalid_price', `a price is 0 to ${shopLimits.maxPrice} minor units`, { price });
  }
}

function checkStockLimit(item: ListedItem, stock: number) {
  if (stock > shopLimits.maxStock) {
    throw new DomainError('item.stock_limit', `stock is at most ${shopLimits.maxStock}`, {
      sku: item.sku,
      available: item.stock,
      limit: shopLimits.maxStock,
    });
  }
}

/** A warehouse item: its price and a stock that never goes below zero. */
export const itemDecider: Decider<ItemCommand, ItemEvent, ItemState> = {
  streamType: 'item',
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    if (event.type === 'ItemAdded') {
      const { quantity, ...item } = event.data;
      return { status: 'listed', ...item, stock: quantity };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'ItemRestocked':
      case 'StockTaken':
        return { ...state, stock: event.data.stock };
      case 'ItemPriceChanged':
        return { ...state, price: event.data.price };
    }
  },

  decide(command, state) {
    if (command.type === 'AddItem') {
      if (state.status !== 'none') {
        throw new DomainError('item.already_exists', 'an item with this sku already exists', { sku: command.sku });
      }
      checkPrice(command.price);
      if (!isWholeAmount(command.quantity, 0, shopLimits.maxStock)) {
        throw new DomainError('item.invalid_quantity', `the initial stock is 0 to ${shopLimits.maxStock}`, {
          quantity: command.quantity,
        });
      }
      const { type: _, ...data } = command;
      return [{ type: 'ItemAdded', data }];
    }
    const item = existing(state);
    switch (command.type) {
      case 'Restock': {
        if (!isWholeAmount(command.quantity, 1, shopLimits.maxStock)) {
          throw new DomainError('item.invalid_quantity', 'a restock adds a whole, positive quantity', {
            quantity: command.quantity,
          });
        }
        const stock = item.stock + command.quantity;
        checkStockLimit(item, stock);
        return [{ type: 'ItemRestocked', data: { quantity: command.quantity, stock } }];
      }
      case 'ChangePrice':
        checkPrice(command.price);
        return item.price === command.price
          ? []
          : [{ type: 'ItemPriceChanged', data: { price: command.price, previousPrice: item.price } }];
      case 'TakeStock': {
        if (!isWholeAmount(command.quantity, 1, shopLimits.maxStock)) {
          throw new DomainError('item.invalid_quantity', 'an order takes a whole, positive quantity', {
            quantity: command.quantity,
          });
        }
        if (command.unitPrice !== item.price) {
          throw new DomainError('item.price_changed', 'the price changed while the order was placed; try again', {
            sku: item.sku,
            price: item.price,
            quoted: command.unitPrice,
          });
        }
        if (command.quantity > item.stock) {
          throw new DomainError('item.insufficient_stock', `not enough ${item.sku} in stock`, {
            sku: item.sku,
            available: item.stock,
            requested: command.quantity,
          });
        }
        const stock = item.stock - command.quantity;
        return [
          {
            type: 'StockTaken',
            data: { orderId: command.orderId, quantity: command.quantity, unitPrice: item.price, stock },
          },
        ];
      }
    }
  },
};
