'use client';

import { topUpAmountSchema, walletOwnerSchema } from '@strata/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { newCommandId } from '../../../api/command-id';
import { apiErrorData } from '../../../api/errors';
import { useTRPC, type WalletRow } from '../../../api/trpc';
import { SelectField, TextField } from '../../../ui/field';
import { moneyInput } from '../../../ui/form/amount-schemas';
import { messagesOf, showServerErrors, useSchemaForm } from '../../../ui/form/use-schema-form';
import { FormDialog } from '../../../ui/form-dialog';
import { formatMoney, parseMoney } from '../../../ui/money';
import { useCloseAfterWrite } from '../../../ui/use-close-after-write';
import { ownerLabel, shopLimits, useOwnerNames } from '../shop';

const otherOwner = '__reference__';
const ownerOf = ({ choice, reference }: { choice: string; reference: string }) =>
  choice === otherOwner ? reference : choice;

/** A user chosen from the list, or a customer reference typed in: either is the domain's owner id. */
const openWalletForm = z
  .object({ choice: z.string(), reference: z.string() })
  .superRefine((values, context) => {
    const owner = walletOwnerSchema.safeParse(ownerOf(values));
    for (const issue of owner.success ? [] : owner.error.issues)
      context.addIssue({
        code: 'custom',
        message: issue.message,
        path: [values.choice === otherOwner ? 'reference' : 'choice'],
      });
  })
  .transform((values) => ({ ownerId: ownerOf(values).trim() }));

export function OpenWalletDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const { users } = useOwnerNames();
  const [commandId] = useState(newCommandId);
  const form = useSchemaForm(openWalletForm, { choice: '', reference: '' });
  const { errors } = form.formState;
  const open = useMutation(trpc.wallets.open.mutationOptions());
  const choice = form.watch('choice') ?? '';
  const ownerId = ownerOf({ choice, reference: form.watch('reference') ?? '' }).trim();
  const ownerName = choice === otherOwner ? ownerId : (users.find((u) => u.userId === choice)?.name ?? '');

  return (
    <FormDialog
      title="Open a wallet"
      description="It starts empty; top it up once it is open."
      onClose={onClose}
      onSubmit={form.handleSubmit((values) =>
        open.mutate(
          { ...values, commandId },
          {
            onSuccess: (result) => closeAfterWrite(result, `Opened a wallet for ${ownerName}`),
            onError: (error) =>
              showServerErrors(form, error, (path) =>
                path === 'ownerId' ? (choice === otherOwner ? 'reference' : 'choice') : path,
              ),
          },
        ),
      )}
      submitLabel={ownerName ? `Open wallet for ${ownerName}` : 'Open wallet'}
      busy={open.isPending}
      submitDisabled={!ownerId}
      error={open.error}
    >
      <SelectField
        label="Owner"
        required
        autoFocus
        errors={messagesOf(errors, 'choice')}
        options={[
          { value: '', label: 'Choose an owner…' },
          ...users.map((user) => ({ value: user.userId, label: `${user.name} (${user.email})` })),
          { value: otherOwner, label: 'Someone else: a customer reference' },
        ]}
        {...form.register('choice')}
      />
      {choice === otherOwner ? (
        <TextField
          label="Customer reference"
          required
          maxLength={200}
          autoComplete="off"
          placeholder="e.g. CUST-1042"
          hint="Any id from your own systems, up to 200 characters."
          errors={messagesOf(errors, 'reference')}
          {...form.register('reference')}
        />
      ) : null}
    </FormDialog>
  );
}

const topUpLimits = { min: 1, max: shopLimits.maxTopUp };
const topUpForm = z.object({ amount: moneyInput(topUpAmountSchema, topUpLimits) });

/** The amount is typed in major units ("25.50") and sent as integer minor units (2550). */
export function TopUpDialog({ wallet, onClose }: { wallet: WalletRow; onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const { names } = useOwnerNames();
  const [commandId] = useState(newCommandId);
  const form = useSchemaForm(topUpForm, { amount: '' });
  const topUp = useMutation(trpc.wallets.topUp.mutationOptions());
  const parsed = parseMoney(form.watch('amount') ?? '', topUpLimits);
  const overLimit = apiErrorData(topUp.error)?.domainCode === 'wallet.balance_limit';
  const owner = ownerLabel(wallet.ownerId, names);

  const submit = form.handleSubmit(({ amount }) =>
    topUp.mutate(
      { walletId: wallet.walletId, amount, commandId },
      {
        onSuccess: (result) => closeAfterWrite(result, `Added ${formatMoney(amount)} to ${owner}’s wallet`),
        onError: (error) => {
          if (apiErrorData(error)?.domainCode === 'wallet.balance_limit')
            form.setError(
              'amount',
              { type: 'server', message: 'This would take the balance over its limit. Top up less.' },
              { shouldFocus: true },
            );
          else showServerErrors(form, error);
        },
      },
    ),
  );

  return (
    <FormDialog
      title={`Top up ${owner}’s wallet`}
      description={`Balance now: ${formatMoney(wallet.balance)}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Top up"
      busy={topUp.isPending}
      // The amount field already says why the limit refused it.
      error={overLimit ? null : topUp.error}
      noValidate
    >
      <TextField
        label="Amount"
        required
        autoFocus
        inputMode="decimal"
        autoComplete="off"
        placeholder="25.00"
        hint={
          parsed.ok
            ? `Balance after: ${formatMoney(wallet.balance + parsed.minor)}`
            : `Up to ${formatMoney(shopLimits.maxTopUp)}, with at most two decimals.`
        }
        errors={messagesOf(form.formState.errors, 'amount')}
        {...form.register('amount')}
      />
    </FormDialog>
  );
}
