import { shopEvents, type WalletEvent, type WalletRow, walletEventDefinitions, walletsProjector } from '@strata/domain';
import { walletsTable } from '../../schema/shop.ts';
import { defineRowProjection } from '../row-projection.ts';

/**
 * Wallet balances. Inline: a top-up or an order answers with a position, and the balance a client
 * reads next must already show it — a balance that lags is the kind people act on twice.
 */
export const walletsProjection = defineRowProjection<WalletRow>({
  name: 'wallets',
  eventTypes: walletEventDefinitions.map((d) => d.type),
  tableName: 'wallets',
  table: (suffix) => walletsTable(`wallets${suffix}`),
  key: 'walletId',
  changes: (event, context) =>
    walletsProjector(shopEvents.decode(event) as WalletEvent, context).map((change) =>
      change.kind === 'insert' ? change : { kind: 'update', key: change.walletId, set: change.set },
    ),
});
