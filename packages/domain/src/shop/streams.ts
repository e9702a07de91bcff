import { normaliseSku } from './values.ts';

export const walletStream = (walletId: string) => `wallet-${walletId}`;
export const itemStream = (sku: string) => `item-${normaliseSku(sku)}`;
export const orderStream = (orderId: string) => `order-${orderId}`;

export const walletIdOfStream = (streamId: string) => streamId.replace(/^wallet-/, '');
export const skuOfStream = (streamId: string) => streamId.replace(/^item-/, '');
export const orderIdOfStream = (streamId: string) => streamId.replace(/^order-/, '');
