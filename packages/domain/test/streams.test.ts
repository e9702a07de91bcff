import { describe, expect, it } from 'vitest';
import {
  articleIdOfStream,
  articleStream,
  itemStream,
  orderIdOfStream,
  orderStream,
  sessionIdOfStream,
  sessionStream,
  skuOfStream,
  userIdOfStream,
  userStream,
  walletIdOfStream,
  walletStream,
} from '../src/index.ts';

describe('stream ids', () => {
  it('reads back the id each stream name was made from', () => {
    const id = '0b7e6c1e-4c8e-4b0e-9a8e-2f6d1c3b5a79';
    expect(userIdOfStream(userStream(id))).toBe(id);
    expect(sessionIdOfStream(sessionStream(id))).toBe(id);
    expect(articleIdOfStream(articleStream(id))).toBe(id);
    expect(walletIdOfStream(walletStream(id))).toBe(id);
    expect(orderIdOfStream(orderStream(id))).toBe(id);
    expect(skuOfStream(itemStream('SKU-1'))).toBe('SKU-1');
  });

  it('returns a name without the prefix whole, and strips the prefix once', () => {
    expect(userIdOfStream('wallet-1')).toBe('wallet-1');
    expect(userIdOfStream('user-user-1')).toBe('user-1');
  });
});
