import { idInStream } from '../kernel/streams.ts';
import { normaliseSku } from './values.ts';

export const walletStream = (walletId: string) => `wallet-${walletId}`;
export const itemStream = (sku: string) => `item-${normaliseSku(sku)}`;
export const orderStream = (orderId: string) => `order-${orderId}`;

export const walletIdOfStream = (streamId: string) => idInStream('wallet-', streamId);
export const skuOfStream = (streamId: string) => idInStream('item-', streamId);
export const orderIdOfStream = (streamId: string) => idInStream('order-', streamId);
