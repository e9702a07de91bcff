import Link from 'next/link';
import type { ReactNode } from 'react';
import { apiErrorData } from '../../../api/errors';
import type { WalletRow } from '../../../api/trpc';
import { formatCount, formatMoney } from '../../../ui/money';
import { ownerLabel } from '../shop';
import { linkClass, type PricedLine } from './order-lines';

/** The api's refusal in the form's words, with the numbers that matter. */
export function Refusal({
  error,
  lines,
  wallet,
  total,
  names,
}: {
  error: unknown;
  lines: PricedLine[];
  wallet: WalletRow | undefined;
  total: number;
  names: Map<string, string>;
}): ReactNode {
  const data = apiErrorData(error);
  const message = error instanceof Error ? error.message : '';
  switch (data?.domainCode) {
    case 'wallet.insufficient_funds': {
      const owner = wallet ? ownerLabel(wallet.ownerId, names) : 'The';
      return (
        <>
          <strong className="font-semibold">Order refused: not enough money.</strong>{' '}
          {wallet ? (
            <>
              {owner}’s wallet holds {formatMoney(wallet.balance)}, and this order costs {formatMoney(total)}
              {total > wallet.balance ? ` (${formatMoney(total - wallet.balance)} short)` : ''}.{' '}
            </>
          ) : (
            'The wallet’s balance is lower than the order’s total. '
          )}
          Nothing was charged.{' '}
          <Link href="/shop/wallets" className={linkClass}>
            Top up the wallet
          </Link>{' '}
          or order less.
        </>
      );
    }
    case 'item.insufficient_stock': {
      const named = /not enough (\S+) in stock/.exec(message)?.[1];
      const short = lines.filter(
        (line) => line.item && line.quantity !== null && (line.quantity > line.item.stock || line.sku === named),
      );
      return (
        <>
          <strong className="font-semibold">Order refused: not enough stock.</strong>{' '}
          {short.length > 0
            ? short
                .map((line) =>
                  line.item
                    ? `${line.sku} has ${formatCount(line.item.stock)} in stock; this order asks for ${formatCount(line.quantity ?? 0)}.`
                    : '',
                )
                .join(' ')
            : `${named ?? 'An item'} does not have enough in stock.`}{' '}
          Nothing was charged and no stock was taken. Lower the quantity, or{' '}
          <Link href="/shop/items" className={linkClass}>
            restock the item
          </Link>
          .
        </>
      );
    }
    case 'item.price_changed':
      return (
        <>
          <strong className="font-semibold">A price changed while the order was placed.</strong> Nothing was charged.
          Check the new total, then place the order again.
        </>
      );
    case 'item.not_found':
      return (
        <>
          <strong className="font-semibold">Order refused:</strong> {message.replace(/^no item/, 'there is no item')}.
          Check the SKUs.
        </>
      );
    case 'wallet.not_found':
      return (
        <>
          <strong className="font-semibold">Order refused:</strong> this wallet no longer exists. Choose another.
        </>
      );
    default:
      if (data?.code === 'CONFLICT') {
        return 'Other orders kept changing this wallet or these items at the same moment. Nothing was charged; place the order again.';
      }
      return null;
  }
}
