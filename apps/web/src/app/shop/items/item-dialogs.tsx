'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { newCommandId } from '../../../api/command-id';
import { apiErrorData, fieldErrorsOf } from '../../../api/errors';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type ItemRow, useTRPC } from '../../../api/trpc';
import { TextField } from '../../../ui/field';
import { FormDialog } from '../../../ui/form-dialog';
import { formatCount, formatMoney, minorToInput, parseMoney, parseQuantity } from '../../../ui/money';
import { useCloseAfterWrite } from '../../../ui/use-close-after-write';
import { shopLimits, skuPattern } from '../shop';

export function AddItemDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const [commandId] = useState(newCommandId);
  const [form, setForm] = useState({ sku: '', name: '', price: '', quantity: '0' });
  const [touched, setTouched] = useState(false);
  const add = useMutation(trpc.inventory.addItem.mutationOptions());
  const price = parseMoney(form.price, { max: shopLimits.maxPrice });
  const quantity = parseQuantity(form.quantity, { min: 0, max: shopLimits.maxStock });
  const skuOk = skuPattern.test(form.sku.trim());
  const apiErrors = fieldErrorsOf(add.error);
  const taken = apiErrorData(add.error)?.domainCode === 'item.already_exists';
  const errors = {
    sku:
      touched && !skuOk
        ? ['1–64 letters, digits or hyphens, starting with a letter or digit.']
        : taken
          ? ['An item with this SKU already exists.']
          : apiErrors.sku,
    name: apiErrors.name,
    price: touched && !price.ok ? [price.error] : apiErrors.price,
    quantity: touched && !quantity.ok ? [quantity.error] : apiErrors.quantity,
  };

  const submit = () => {
    setTouched(true);
    if (!skuOk || !price.ok || !quantity.ok) return;
    add.mutate(
      { sku: form.sku, name: form.name, price: price.minor, quantity: quantity.value, commandId },
      { onSuccess: (result) => closeAfterWrite(result, `Added ${result.sku}`) },
    );
  };

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
        errors={errors.sku}
        value={form.sku}
        onChange={(e) => setForm({ ...form, sku: e.target.value })}
      />
      <TextField
        label="Name"
        required
        maxLength={200}
        autoComplete="off"
        errors={errors.name}
        value={form.name}
        onChange={(e) => setForm({ ...form, name: e.target.value })}
      />
      <div className="grid grid-cols-2 gap-3">
        <TextField
          label="Price"
          required
          inputMode="decimal"
          autoComplete="off"
          placeholder="12.50"
          errors={errors.price}
          value={form.price}
          onChange={(e) => setForm({ ...form, price: e.target.value })}
        />
        <TextField
          label="Stock"
          required
          inputMode="numeric"
          autoComplete="off"
          errors={errors.quantity}
          value={form.quantity}
          onChange={(e) => setForm({ ...form, quantity: e.target.value })}
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
  const [quantity, setQuantity] = useState('');
  const [touched, setTouched] = useState(false);
  const restock = useMutation(trpc.inventory.restock.mutationOptions());
  const parsed = parseQuantity(quantity, { min: 1, max: shopLimits.maxStock - item.stock });
  const overLimit = apiErrorData(restock.error)?.domainCode === 'item.stock_limit';
  const errors =
    touched && !parsed.ok
      ? [parsed.error]
      : overLimit
        ? [`Stock is at most ${formatCount(shopLimits.maxStock)}.`]
        : fieldErrorsOf(restock.error).quantity;

  const submit = () => {
    setTouched(true);
    if (!parsed.ok) return;
    restock.mutate(
      { sku: item.sku, quantity: parsed.value, commandId },
      {
        onSuccess: (result) =>
          closeAfterWrite(result, `Restocked ${item.sku}: ${formatCount(item.stock + parsed.value)} in stock`),
      },
    );
  };

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
        errors={errors}
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
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
  const [price, setPrice] = useState(minorToInput(item.price));
  const [touched, setTouched] = useState(false);
  const [reloading, setReloading] = useState(false);
  const change = useMutation(trpc.inventory.changePrice.mutationOptions());
  const parsed = parseMoney(price, { max: shopLimits.maxPrice });
  const errors = touched && !parsed.ok ? [parsed.error] : fieldErrorsOf(change.error).price;
  const unchanged = parsed.ok && parsed.minor === base.price;

  const reload = async () => {
    setReloading(true);
    try {
      const fresh = await queryClient.fetchQuery({
        ...trpc.inventory.bySku.queryOptions({ sku: item.sku, minPosition }),
        staleTime: 0,
      });
      setBase(fresh);
      setPrice(minorToInput(fresh.price));
      change.reset();
      void queryClient.invalidateQueries(trpc.inventory.list.pathFilter());
    } finally {
      setReloading(false);
    }
  };

  const submit = () => {
    setTouched(true);
    if (!parsed.ok || unchanged) return;
    change.mutate(
      { sku: base.sku, price: parsed.minor, expectedVersion: base.version },
      { onSuccess: (result) => closeAfterWrite(result, `${base.sku} now costs ${formatMoney(parsed.minor)}`) },
    );
  };

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
        errors={errors}
        value={price}
        onChange={(e) => setPrice(e.target.value)}
      />
    </FormDialog>
  );
}
