'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useFieldArray } from 'react-hook-form';
import { newCommandId } from '../../../api/command-id';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type PlacedOrder, useTRPC, type WalletRow } from '../../../api/trpc';
import { Button } from '../../../ui/button';
import { cn } from '../../../ui/cn';
import { SelectField } from '../../../ui/field';
import { messagesOf, showServerErrors, useSchemaForm } from '../../../ui/form/use-schema-form';
import { FormError } from '../../../ui/form-error';
import { formatCount, formatMoney } from '../../../ui/money';
import { Card, CardHeader, LoadingState, Notice } from '../../../ui/states';
import { ownerLabel, shopLimits, useOwnerNames } from '../shop';
import { OrderLineFields } from './order-line-fields';
import { lineColumns, linkClass, newLine, orderFormSchema } from './order-lines';
import { Refusal } from './order-refusal';
import { OrderSummary } from './order-summary';
import { useOrderPricing } from './use-order-pricing';

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
  const form = useSchemaForm(orderFormSchema, { walletId: '', lines: [newLine()] });
  const lineFields = useFieldArray({ control: form.control, name: 'lines' });
  const walletId = form.watch('walletId');
  const lines = form.watch('lines');
  /** One command id per submitted order: a new one once it is placed or the form changes. */
  const [commandId, setCommandId] = useState(newCommandId);
  const [placed, setPlaced] = useState<{ order: PlacedOrder; wallet: WalletRow | undefined } | null>(null);
  const place = useMutation(trpc.orders.place.mutationOptions());

  const priced = useOrderPricing(lines, items.data, minPosition);
  const wallet = wallets.data?.items.find((w) => w.walletId === walletId);
  const complete = priced.filter((line) => line.item && line.quantity !== null);
  const total = complete.reduce((sum, line) => sum + (line.item?.price ?? 0) * (line.quantity ?? 0), 0);
  const ready = Boolean(wallet) && complete.length === priced.length && priced.length > 0;

  // Any change makes it another order: a new command id, and the last answer goes.
  const resetPlace = place.reset;
  const changed = () => {
    setCommandId(newCommandId());
    setPlaced(null);
    resetPlace();
  };
  useEffect(() => {
    const typing = form.watch((_, { type }) => {
      if (type !== 'change') return;
      setCommandId(newCommandId());
      setPlaced(null);
      resetPlace();
    });
    return () => typing.unsubscribe();
  }, [form, resetPlace]);

  const submit = form.handleSubmit((values) => {
    if (!ready || !wallet) return;
    place.mutate(
      { ...values, commandId },
      {
        onSuccess: (order) => {
          recordWrite(order);
          form.reset({ walletId: values.walletId, lines: [newLine()] });
          setPlaced({ order, wallet });
          setCommandId(newCommandId());
        },
        onError: (error) => {
          showServerErrors(form, error);
          // The refusal is explained from fresh numbers: balances and stock as they are now.
          void queryClient.invalidateQueries(trpc.wallets.pathFilter());
          void queryClient.invalidateQueries(trpc.inventory.pathFilter());
        },
      },
    );
  });

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
          errors={messagesOf(form.formState.errors, 'walletId')}
          options={[
            { value: '', label: 'Choose a wallet…' },
            ...(wallets.data?.items ?? []).map((w) => ({
              value: w.walletId,
              label: `${ownerLabel(w.ownerId, names)} — balance ${formatMoney(w.balance)}`,
            })),
          ]}
          {...form.register('walletId')}
        />

        <fieldset>
          <legend className="text-sm font-medium text-zinc-800">Lines</legend>
          <div
            aria-hidden="true"
            className={cn(
              'mt-2 grid gap-x-2 border-b border-zinc-200 pb-1.5 text-xs font-medium tracking-wide text-zinc-600 uppercase',
              lineColumns,
            )}
          >
            <span>SKU</span>
            <span>Qty</span>
            <span className="text-right">Subtotal</span>
          </div>
          <ol className="divide-y divide-zinc-100">
            {lineFields.fields.map((field, index) => (
              <OrderLineFields
                key={field.id}
                index={index}
                line={priced[index] ?? { sku: '', quantity: null, item: null, unknown: false }}
                form={form}
                onRemove={
                  lineFields.fields.length > 1
                    ? () => {
                        lineFields.remove(index);
                        changed();
                      }
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
              disabled={lineFields.fields.length >= shopLimits.maxOrderLines}
              onClick={() => {
                lineFields.append(newLine(), { shouldFocus: false });
                changed();
              }}
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
