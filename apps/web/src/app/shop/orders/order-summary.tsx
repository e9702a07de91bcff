import type { WalletRow } from '../../../api/trpc';
import { cn } from '../../../ui/cn';
import { formatMoney } from '../../../ui/money';

/** The total at current prices, and the wallet's balance before and after. */
export function OrderSummary({
  total,
  wallet,
  complete,
}: {
  total: number;
  wallet: WalletRow | undefined;
  complete: boolean;
}) {
  const after = wallet ? wallet.balance - total : null;
  return (
    <dl className="grid grid-cols-[1fr_auto] gap-x-6 gap-y-1 rounded-md bg-zinc-50 px-4 py-3 text-sm">
      <dt className="text-zinc-700">Total{complete ? '' : ' so far'}</dt>
      <dd className="text-right text-base font-semibold text-zinc-900 tabular-nums" data-testid="order-total">
        {formatMoney(total)}
      </dd>
      {wallet ? (
        <>
          <dt className="text-zinc-700">Wallet balance</dt>
          <dd className="text-right text-zinc-800 tabular-nums">{formatMoney(wallet.balance)}</dd>
          <dt className="text-zinc-700">Balance after</dt>
          <dd
            className={cn(
              'text-right tabular-nums',
              after !== null && after < 0 ? 'font-medium text-red-800' : 'text-zinc-800',
            )}
          >
            {after !== null && after < 0 ? `${formatMoney(-after)} short` : formatMoney(after ?? 0)}
          </dd>
        </>
      ) : null}
    </dl>
  );
}
