import type { Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { WalletEvent } from './events.ts';
import { isWholeAmount, shopLimits } from './values.ts';

export type WalletState = { status: 'none' } | { status: 'open'; walletId: string; ownerId: string; balance: number };

export type WalletCommand =
  | { type: 'OpenWallet'; walletId: string; ownerId: string }
  | { type: 'TopUp'; amount: number }
  | { type: 'DebitWallet'; orderId: string; amount: number };

type OpenWallet = Extract<WalletState, { status: 'open' }>;

function existing(state: WalletState): OpenWallet {
  if (state.status === 'none') throw new DomainError('wallet.not_found', 'no such wallet');
  return state;
}

/** A balance in minor units that never goes below zero. */
export const walletDecider: Decider<WalletCommand, WalletEvent, WalletState> = {
  streamType: 'wallet',
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    if (event.type === 'WalletOpened') return { status: 'open', ...event.data, balance: 0 };
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'WalletToppedUp':
      case 'WalletDebited':
        return { ...state, balance: event.data.balance };
    }
  },

  decide(command, state) {
    if (command.type === 'OpenWallet') {
      if (state.status !== 'none') throw new DomainError('wallet.already_exists', 'this wallet already exists');
      return [{ type: 'WalletOpened', data: { walletId: command.walletId, ownerId: command.ownerId } }];
    }
    const wallet = existing(state);
    switch (command.type) {
      case 'TopUp': {
        // The input schema checks this too; the decider holds for callers that skip it.
        if (!isWholeAmount(command.amount, 1, shopLimits.maxTopUp)) {
          throw new DomainError('wallet.invalid_amount', `a top-up is 1 to ${shopLimits.maxTopUp} minor units`, {
            amount: command.amount,
          });
        }
        const balance = wallet.balance + command.amount;
        if (balance > shopLimits.maxBalance) {
          throw new DomainError('wallet.balance_limit', `a balance is at most ${shopLimits.maxBalance} minor units`, {
            balance: wallet.balance,
            limit: shopLimits.maxBalance,
          });
        }
        return [{ type: 'WalletToppedUp', data: { amount: command.amount, balance } }];
      }
      case 'DebitWallet': {
        // Zero is allowed: an order of free items still records that it was paid.
        if (!isWholeAmount(command.amount, 0, Number.MAX_SAFE_INTEGER)) {
          throw new DomainError('wallet.invalid_amount', 'a debit is a whole, non-negative number of minor units', {
            amount: command.amount,
          });
        }
        if (command.amount > wallet.balance) {
          throw new DomainError('wallet.insufficient_funds', 'the wallet balance is too low for this order', {
            walletId: wallet.walletId,
            balance: wallet.balance,
            required: command.amount,
          });
        }
        const balance = wallet.balance - command.amount;
        return [{ type: 'WalletDebited', data: { orderId: command.orderId, amount: command.amount, balance } }];
      }
    }
  },
};
