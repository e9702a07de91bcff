'use client';

import { addItemInput, initialStockSchema, priceSchema, restockQuantitySchema } from '@strata/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { z } from 'zod';
import { newCommandId } from '../../../api/command-id';
import { apiErrorData } from '../../../api/errors';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type ItemRow, useTRPC } from '../../../api/trpc';
import { TextField } from '../../../ui/field';
import { moneyInput, quantityInput } from '../../../ui/form/amount-schemas';
import { messagesOf, showServerErrors, useSchemaForm } from '../../../ui/form/use-schema-form';
import { FormDialog } from '../../../ui/form-dialog';
import { formatCount, formatMoney, minorToInput, parseMoney, parseQuantity } from '../../../ui/money';
import { useCloseAfterWrite } from '../../../ui/use-close-after-write';
import { shopLimits } from '../shop';

/** The domain's sku and name as typed; price and stock in the user's units, then the domain's. */
const addItemForm = addItemInput.pick({ sku: true, name: true }).extend({
  price: moneyInput(priceSchema, { max: shopLimits.maxPrice }),
  quantity: quantityInput(initialStockSchema, { min: 0, max: shopLimits.maxStock }),
});
const priceForm = z.object({ price: moneyInput(priceSchema, { max: shopLimits.maxPrice }) });

export function AddItemDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const [commandId] = useState(newCommandId);
  const form = useSchemaForm(addItemForm, { sku: '', name: '', price: '', quantity: '0' });
  const { errors } = form.formState;
  const add = useMutation(trpc.inventory.addItem.mutationOptions());
  const taken = apiErrorData(add.error)?.domainCode === 'item.already_exists';

  const submit = form.handleSubmit((values) =>
    add.mutate(
      { ...values, commandId },
      {
        onSuccess: (result) => closeAfterWrite(result, `Added ${result.sku}`),
        onError: (error) => {
          if (apiErrorData(error)?.domainCode === 'item.already_exists')
            form.setError(
              'sku',
              { type: 'server', message: 'An item with this SKU already exists.' },
              { shouldFocus: true },
            );
          else showServerErrors(form, error);
        },
      },
    ),
  );

  return (
    <FormDialog
      title="Add an item"
      description="A product in the warehouse, with its price and stock."
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Add item"
      busy={add.isPending}
      // The SKU field already says that it is taken.
      error={taken ? null : add.error}
      noValidate
    >
      <TextField
        label="SKU"
        required
        autoFocus
        autoComplete="off"
        placeholder="MUG-BLUE"
        hint="Letters, digits and hyphens; stored in upper case. It never changes."
        errors={messagesOf(errors, 'sku')}
        {...form.register('sku')}
      />
      <TextField
        label="Name"
        required
        maxLength={200}
        autoComplete="off"
        errors={messagesOf(errors, 'name')}
        {...form.register('name')}
      />
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label="Price"
          required
          inputMode="decimal"
          autoComplete="off"
          placeholder="12.50"
          errors={messagesOf(errors, 'price')}
          {...form.register('price')}
        />
        <TextField
          label="Stock"
          required
          inputMode="numeric"
          autoComplete="off"
          errors={messagesOf(errors, 'quantity')}
          {...form.register('quantity')}
        />
      </div>
    </FormDialog>
  );
}

/** Adds stock; additions never conflict with each other, so no expected version is sent. */
export function RestockDialog({ item, onClose }: { item: ItemRow; onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const [commandId] = useState(newCommandId);
  const limits = { min: 1, max: shopLimits.maxStock - item.stock };
  const restockForm = useMemo(
    () =>
      z.object({ quantity: quantityInput(restockQuantitySchema, { min: 1, max: shopLimits.maxStock - item.stock }) }),
    [item.stock],
  );
  const form = useSchemaForm(restockForm, { quantity: '' });
  const restock = useMutation(trpc.inventory.restock.mutationOptions());
  const parsed = parseQuantity(form.watch('quantity') ?? '', limits);
  const overLimit = apiErrorData(restock.error)?.domainCode === 'item.stock_limit';

  const submit = form.handleSubmit(({ quantity }) =>
    restock.mutate(
      { sku: item.sku, quantity, commandId },
      {
        onSuccess: (result) =>
          closeAfterWrite(result, `Restocked ${item.sku}: ${formatCount(item.stock + quantity)} in stock`),
        onError: (error) => {
          if (apiErrorData(error)?.domainCode === 'item.stock_limit')
            form.setError('quantity', {
              type: 'server',
              message: `Stock is at most ${formatCount(shopLimits.maxStock)}.`,
            });
          else showServerErrors(form, error);
        },
      },
    ),
  );

  return (
    <FormDialog
      title={`Restock ${item.name}`}
      description={`${item.sku} · ${formatCount(item.stock)} in stock now`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Restock"
      busy={restock.isPending}
      // The quantity field already says what the limit is.
      error={overLimit ? null : restock.error}
      noValidate
    >
      <TextField
        label="Quantity to add"
        required
        autoFocus
        inputMode="numeric"
        autoComplete="off"
        hint={parsed.ok ? `Stock after: ${formatCount(item.stock + parsed.value)}` : 'A whole number, at least 1.'}
        errors={messagesOf(form.formState.errors, 'quantity')}
        {...form.register('quantity')}
      />
    </FormDialog>
  );
}

/** A new price, based on the version the dialog opened with: a price changed meanwhile is a conflict. */
export function PriceDialog({ item, onClose }: { item: ItemRow; onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const queryClient = useQueryClient();
  const { minPosition } = useReadYourWrites();
  const [base, setBase] = useState(item);
  const form = useSchemaForm(priceForm, { price: minorToInput(item.price) });
  const [reloading, setReloading] = useState(false);
  const change = useMutation(trpc.inventory.changePrice.mutationOptions());
  const parsed = parseMoney(form.watch('price') ?? '', { max: shopLimits.maxPrice });
  const unchanged = parsed.ok && parsed.minor === base.price;

  const reload = async () => {
    setReloading(true);
    try {
      const fresh = await queryClient.fetchQuery({
        ...trpc.inventory.bySku.queryOptions({ sku: item.sku, minPosition }),
        staleTime: 0,
      });
      setBase(fresh);
      form.reset({ price: minorToInput(fresh.price) });
      change.reset();
      void queryClient.invalidateQueries(trpc.inventory.list.pathFilter());
    } finally {
      setReloading(false);
    }
  };

  const submit = form.handleSubmit(({ price }) => {
    if (price === base.price) return;
    change.mutate(
      { sku: base.sku, price, expectedVersion: base.version },
      {
        onSuccess: (result) => closeAfterWrite(result, `${base.sku} now costs ${formatMoney(price)}`),
        onError: (error) => showServerErrors(form, error),
      },
    );
  });

  return (
    <FormDialog
      title={`Change the price of ${base.name}`}
      description={`${base.sku} · ${formatMoney(base.price)} now · version ${base.version}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Change price"
      busy={change.isPending || reloading}
      submitDisabled={unchanged}
      error={change.error}
      subject="item"
      onReload={() => void reload()}
      noValidate
    >
      <TextField
        label="New price"
        required
        autoFocus
        inputMode="decimal"
        autoComplete="off"
        hint="Orders placed from now on pay this price."
        errors={messagesOf(form.formState.errors, 'price')}
        {...form.register('price')}
      />
    </FormDialog>
  );
}
