'use client';

import type { UseFormReturn } from 'react-hook-form';
import type { ItemRow } from '../../../api/trpc';
import { cn } from '../../../ui/cn';
import { TextField } from '../../../ui/field';
import { messagesOf } from '../../../ui/form/use-schema-form';
import { formatCount, formatMoney } from '../../../ui/money';
import { lineColumns, type OrderFormInput, type PricedLine } from './order-lines';

/** One line of the order: SKU and quantity as typed, its subtotal, what the item is and has in stock. */
export function OrderLineFields({
  index,
  line,
  form,
  onRemove,
}: {
  index: number;
  line: PricedLine;
  form: UseFormReturn<OrderFormInput, unknown, unknown>;
  onRemove: (() => void) | undefined;
}) {
  const n = index + 1;
  const { errors } = form.formState;
  const skuErrors = line.unknown ? [`There is no item ${line.sku}.`] : messagesOf(errors, `lines.${index}.sku`);
  const item = line.item;
  const short = item && line.quantity !== null && line.quantity > item.stock;

  return (
    <li className={cn('grid items-start gap-x-2 gap-y-1 py-2', lineColumns)}>
      <TextField
        label={`SKU, line ${n}`}
        hideLabel
        list="order-sku-options"
        autoComplete="off"
        spellCheck={false}
        placeholder="MUG-BLUE"
        className="uppercase placeholder:normal-case"
        errors={skuErrors}
        {...form.register(`lines.${index}.sku`)}
      />
      <TextField
        label={`Quantity, line ${n}`}
        hideLabel
        inputMode="numeric"
        autoComplete="off"
        errors={messagesOf(errors, `lines.${index}.quantity`)}
        {...form.register(`lines.${index}.quantity`)}
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
      <span className={cn(short && 'font-medium text-amber-900')}>
        {item.stock === 0 ? 'out of stock' : `${formatCount(item.stock)} in stock`}
      </span>
    </>
  );
}
