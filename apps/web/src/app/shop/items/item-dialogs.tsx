'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { newCommandId } from '../../../api/command-id';
import { apiErrorData, fieldErrorsOf } from '../../../api/errors';
import { useReadYourWrites } from '../../../api/read-your-writes';
import { type ItemRow, useTRPC } from '../../../api/trpc';
import { Button } from '../../../ui/button';
import { Dialog, DialogActions } from '../../../ui/dialog';
import { TextField } from '../../../ui/field';
import { FormError } from '../../../ui/form-error';
import { formatCount, formatMoney, minorToInput, parseMoney, parseQuantity } from '../../../ui/money';
import { useToast } from '../../../ui/toast';
import { shopLimits, skuPattern } from '../shop';

export function AddItemDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const { recordWrite } = useReadYourWrites();
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

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!skuOk || !price.ok || !quantity.ok) return;
    add.mutate(
      { sku: form.sku, name: form.name, price: price.minor, quantity: quantity.value, commandId },
      {
        onSuccess: (result) => {
          recordWrite(result);
          toast(`Added ${result.sku}`);
          onClose();
        },
      },
    );
  };

  return (
    <Dialog title="Add an item" description="A product in the warehouse, with its price and stock." onClose={onClose}>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
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
        {taken ? null : <FormError error={add.error} />}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={add.isPending}>
            Add item
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** Adds stock; additions never conflict with each other, so no expected version is sent. */
export function RestockDialog({ item, onClose }: { item: ItemRow; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const { recordWrite } = useReadYourWrites();
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

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!parsed.ok) return;
    restock.mutate(
      { sku: item.sku, quantity: parsed.value, commandId },
      {
        onSuccess: (result) => {
          recordWrite(result);
          toast(`Restocked ${item.sku}: ${formatCount(item.stock + parsed.value)} in stock`);
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      title={`Restock ${item.name}`}
      description={`${item.sku} · ${formatCount(item.stock)} in stock now`}
      onClose={onClose}
    >
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
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
        {overLimit ? null : <FormError error={restock.error} />}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={restock.isPending}>
            Restock
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** A new price, based on the version the dialog opened with: a price changed meanwhile is a conflict. */
export function PriceDialog({ item, onClose }: { item: ItemRow; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { recordWrite, minPosition } = useReadYourWrites();
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

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!parsed.ok || unchanged) return;
    change.mutate(
      { sku: base.sku, price: parsed.minor, expectedVersion: base.version },
      {
        onSuccess: (result) => {
          recordWrite(result);
          toast(`${base.sku} now costs ${formatMoney(parsed.minor)}`);
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      title={`Change the price of ${base.name}`}
      description={`${base.sku} · ${formatMoney(base.price)} now · version ${base.version}`}
      onClose={onClose}
    >
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
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
        <FormError error={change.error} subject="item" onReload={() => void reload()} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={change.isPending || reloading} disabled={unchanged}>
            Change price
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
