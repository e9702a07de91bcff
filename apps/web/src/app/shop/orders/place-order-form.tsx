'use client';

import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { newCommandId } from '../../../api/command-id';
import { apiErrorData, fieldErrorsOf } from '../../../api/errors';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type ItemRow, type PlacedOrder, useTRPC, type WalletRow } from '../../../api/trpc';
import { Button } from '../../../ui/button';
import { SelectField, TextField } from '../../../ui/field';
import { FormError } from '../../../ui/form-error';
import { formatCount, formatMoney, parseQuantity } from '../../../ui/money';
import { Card, CardHeader, LoadingState, Notice } from '../../../ui/states';
import { useDebounced } from '../../../ui/use-debounced';
import { normaliseSku, ownerLabel, shopLimits, skuPattern, useOwnerNames } from '../shop';

interface LineInput {
  key: number;
  sku: string;
  quantity: string;
}

interface PricedLine {
  key: number;
  sku: string;
  quantity: number | null;
  item: ItemRow | null;
  /** The SKU is complete and the api has no such item. */
  unknown: boolean;
}

const linkClass = 'font-medium underline underline-offset-2';
/** SKU, quantity, subtotal, remove: the same columns for the heading and every line. */
const lineColumns = 'grid-cols-[minmax(0,1fr)_4.5rem_5.5rem_2.5rem]';
let nextLineKey = 1;
const newLine = (): LineInput => ({ key: nextLineKey++, sku: '', quantity: '1' });

/**
 * Choose a wallet, add lines of SKU and quantity, see the total from current prices, place it.
 * The api prices the order again and checks money and stock in one transaction; a refusal says
 * which and by how much, in words.
 */
export function PlaceOrderForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { recordWrite, minPosition } = useReadYourWrites();
  const { names } = useOwnerNames();
  const wallets = useQuery(trpc.wallets.list.queryOptions({ limit: 100, minPosition }));
  const items = useQuery(trpc.inventory.list.queryOptions({ limit: 100, minPosition }));
  const [walletId, setWalletId] = useState('');
  const [lines, setLines] = useState<LineInput[]>(() => [newLine()]);
  const [touched, setTouched] = useState(false);
  /** One command id per submitted order: a new one once it is placed or the form changes. */
  const [commandId, setCommandId] = useState(newCommandId);
  const [placed, setPlaced] = useState<{ order: PlacedOrder; wallet: WalletRow | undefined } | null>(null);
  const place = useMutation(trpc.orders.place.mutationOptions());

  const known = useMemo(() => new Map(items.data?.items.map((item) => [item.sku, item]) ?? []), [items.data]);
  const listIsComplete = items.data ? items.data.nextCursor === null : false;
  // SKUs beyond the first hundred items are looked up one by one, once typing pauses.
  const typedSkus = useDebounced(
    lines.map((line) => normaliseSku(line.sku)).filter((sku) => skuPattern.test(sku) && !known.has(sku)),
    300,
  );
  const lookups = useQueries({
    queries: (listIsComplete ? [] : typedSkus).map((sku) => ({
      ...trpc.inventory.bySku.queryOptions({ sku, minPosition }),
      retry: false,
    })),
  });
  const looked = new Map<string, ItemRow | null>();
  (listIsComplete ? [] : typedSkus).forEach((sku, i) => {
    const lookup = lookups[i];
    if (lookup?.data) looked.set(sku, lookup.data);
    else if (lookup?.isError) looked.set(sku, null);
  });

  const priced: PricedLine[] = lines.map((line) => {
    const sku = normaliseSku(line.sku);
    const quantity = parseQuantity(line.quantity, { min: 1, max: shopLimits.maxLineQuantity });
    const item = known.get(sku) ?? looked.get(sku) ?? null;
    const unknown = skuPattern.test(sku) && !item && (listIsComplete || looked.get(sku) === null);
    return { key: line.key, sku, quantity: quantity.ok ? quantity.value : null, item, unknown };
  });
  const wallet = wallets.data?.items.find((w) => w.walletId === walletId);
  const complete = priced.filter((line) => line.item && line.quantity !== null);
  const total = complete.reduce((sum, line) => sum + (line.item?.price ?? 0) * (line.quantity ?? 0), 0);
  const ready = Boolean(wallet) && complete.length === priced.length && priced.length > 0;

  const change = (update: () => void) => {
    update();
    setCommandId(newCommandId());
    setPlaced(null);
    if (place.isError) place.reset();
  };
  const setLine = (key: number, patch: Partial<LineInput>) =>
    change(() => setLines((current) => current.map((line) => (line.key === key ? { ...line, ...patch } : line))));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!ready || !wallet) return;
    place.mutate(
      {
        walletId,
        lines: priced.map((line) => ({ sku: line.sku, quantity: line.quantity ?? 0 })),
        commandId,
      },
      {
        onSuccess: (order) => {
          recordWrite(order);
          setPlaced({ order, wallet });
          setLines([newLine()]);
          setTouched(false);
          setCommandId(newCommandId());
        },
        onError: () => {
          // The refusal is explained from fresh numbers: balances and stock as they are now.
          void queryClient.invalidateQueries(trpc.wallets.pathFilter());
          void queryClient.invalidateQueries(trpc.inventory.pathFilter());
        },
      },
    );
  };

  if (wallets.isPending || items.isPending) {
    return (
      <Card>
        <LoadingState label="Loading wallets and items…" />
      </Card>
    );
  }
  const noWallets = (wallets.data?.items.length ?? 0) === 0;
  const noItems = (items.data?.items.length ?? 0) === 0;
  if (noWallets || noItems) {
    return (
      <Card>
        <CardHeader title="Place an order" />
        <div className="p-4 sm:px-5">
          <Notice tone="info" title="Almost ready to take orders">
            An order is paid from a wallet and takes stock from items.{' '}
            {noWallets ? (
              <>
                <Link href="/shop/wallets" className={linkClass}>
                  Open a wallet
                </Link>{' '}
                and top it up
              </>
            ) : null}
            {noWallets && noItems ? ', and ' : null}
            {noItems ? (
              <Link href="/shop/items" className={linkClass}>
                {noWallets ? 'add an item' : 'Add an item'}
              </Link>
            ) : null}
            , then come back here.
          </Notice>
        </div>
      </Card>
    );
  }

  const fieldErrors = fieldErrorsOf(place.error);

  return (
    <Card>
      <CardHeader
        title="Place an order"
        description="Paid from the wallet at today’s prices. If the money or the stock is short, nothing changes."
      />
      <form onSubmit={submit} noValidate aria-label="Place an order" className="flex flex-col gap-5 p-4 sm:px-5">
        <SelectField
          label="Wallet"
          required
          value={walletId}
          errors={touched && !wallet ? ['Choose the wallet that pays.'] : fieldErrors.walletId}
          onChange={(e) => change(() => setWalletId(e.target.value))}
          options={[
            { value: '', label: 'Choose a wallet…' },
            ...(wallets.data?.items ?? []).map((w) => ({
              value: w.walletId,
              label: `${ownerLabel(w.ownerId, names)} — balance ${formatMoney(w.balance)}`,
            })),
          ]}
        />

        <fieldset>
          <legend className="text-sm font-medium text-zinc-800">Lines</legend>
          <div
            aria-hidden="true"
            className={`mt-2 grid ${lineColumns} gap-x-2 border-b border-zinc-200 pb-1.5 text-xs font-medium tracking-wide text-zinc-600 uppercase`}
          >
            <span>SKU</span>
            <span>Qty</span>
            <span className="text-right">Subtotal</span>
          </div>
          <ol className="divide-y divide-zinc-100">
            {priced.map((line, index) => (
              <OrderLineFields
                key={line.key}
                index={index}
                line={line}
                input={lines[index] as LineInput}
                touched={touched}
                apiErrors={{ sku: fieldErrors[`lines.${index}.sku`], quantity: fieldErrors[`lines.${index}.quantity`] }}
                onChange={(patch) => setLine(line.key, patch)}
                onRemove={
                  lines.length > 1
                    ? () => change(() => setLines((current) => current.filter((l) => l.key !== line.key)))
                    : undefined
                }
              />
            ))}
          </ol>
          <datalist id="order-sku-options">
            {items.data?.items.map((item) => (
              <option key={item.sku} value={item.sku}>
                {`${item.name} · ${formatMoney(item.price)} · ${formatCount(item.stock)} in stock`}
              </option>
            ))}
          </datalist>
          <div className="mt-2">
            <Button
              size="sm"
              disabled={lines.length >= shopLimits.maxOrderLines}
              onClick={() => change(() => setLines((current) => [...current, newLine()]))}
            >
              Add line
            </Button>
          </div>
        </fieldset>

        <OrderSummary total={total} wallet={wallet} complete={complete.length === priced.length} />

        {place.isError ? (
          <FormError
            error={place.error}
            describe={(error) => <Refusal error={error} lines={priced} wallet={wallet} total={total} names={names} />}
          />
        ) : placed ? (
          <Notice tone="success" title="Order placed">
            {formatMoney(placed.order.total)} paid from{' '}
            {placed.wallet
              ? `${ownerLabel(placed.wallet.ownerId, names)}’s wallet, which now holds ${formatMoney(placed.wallet.balance - placed.order.total)}`
              : 'the wallet'}
            . {placed.order.lines.map((l) => `${formatCount(l.quantity)} × ${l.sku}`).join(', ')}.
          </Notice>
        ) : null}

        <div className="flex flex-wrap items-center justify-end gap-3">
          <Button type="submit" variant="primary" busy={place.isPending}>
            Place order{complete.length > 0 ? ` · ${formatMoney(total)}` : ''}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function OrderLineFields({
  index,
  line,
  input,
  touched,
  apiErrors,
  onChange,
  onRemove,
}: {
  index: number;
  line: PricedLine;
  input: LineInput;
  touched: boolean;
  apiErrors: { sku?: string[] | undefined; quantity?: string[] | undefined };
  onChange: (patch: Partial<LineInput>) => void;
  onRemove: (() => void) | undefined;
}) {
  const n = index + 1;
  const skuErrors =
    touched && !line.sku
      ? ['Enter a SKU.']
      : line.unknown
        ? [`There is no item ${line.sku}.`]
        : input.sku && !skuPattern.test(line.sku) && touched
          ? ['Letters, digits and hyphens only.']
          : apiErrors.sku;
  const quantityCheck = parseQuantity(input.quantity, { min: 1, max: shopLimits.maxLineQuantity });
  const quantityErrors =
    (touched || input.quantity !== '') && !quantityCheck.ok ? [quantityCheck.error] : apiErrors.quantity;
  const item = line.item;
  const short = item && line.quantity !== null && line.quantity > item.stock;

  return (
    <li className={`grid ${lineColumns} items-start gap-x-2 gap-y-1 py-2`}>
      <TextField
        label={`SKU, line ${n}`}
        hideLabel
        list="order-sku-options"
        autoComplete="off"
        spellCheck={false}
        placeholder="MUG-BLUE"
        className="uppercase placeholder:normal-case"
        errors={skuErrors}
        value={input.sku}
        onChange={(e) => onChange({ sku: e.target.value })}
      />
      <TextField
        label={`Quantity, line ${n}`}
        hideLabel
        inputMode="numeric"
        autoComplete="off"
        errors={quantityErrors}
        value={input.quantity}
        onChange={(e) => onChange({ quantity: e.target.value })}
      />
      <div className="pt-2.5 text-right text-sm">
        {item && line.quantity !== null ? (
          <span className="font-medium text-zinc-900 tabular-nums">{formatMoney(item.price * line.quantity)}</span>
        ) : (
          <span className="text-zinc-500">—</span>
        )}
      </div>
      <div>
        {onRemove ? (
          <button
            type="button"
            onClick={onRemove}
            aria-label={`Remove line ${n}`}
            className="grid size-10 place-items-center rounded-md text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900"
          >
            <svg viewBox="0 0 20 20" className="size-4" aria-hidden="true">
              <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
          </button>
        ) : null}
      </div>
      {item ? (
        <p className="col-span-4 -mt-0.5 text-xs text-zinc-600">
          <ItemFacts item={item} short={Boolean(short)} />
        </p>
      ) : null}
    </li>
  );
}

function ItemFacts({ item, short }: { item: ItemRow; short: boolean }) {
  return (
    <>
      {item.name} · {formatMoney(item.price)} each ·{' '}
      <span className={short ? 'font-medium text-amber-900' : ''}>
        {item.stock === 0 ? 'out of stock' : `${formatCount(item.stock)} in stock`}
      </span>
    </>
  );
}

function OrderSummary({
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
            className={`text-right tabular-nums ${after !== null && after < 0 ? 'font-medium text-red-800' : 'text-zinc-800'}`}
          >
            {after !== null && after < 0 ? `${formatMoney(-after)} short` : formatMoney(after ?? 0)}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** The api's refusal in the form's words, with the numbers that matter. */
function Refusal({
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
