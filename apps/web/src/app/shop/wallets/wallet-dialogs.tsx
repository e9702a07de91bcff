'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { newCommandId } from '../../../api/command-id';
import { apiErrorData, fieldErrorsOf } from '../../../api/errors';
import { useTRPC, type WalletRow } from '../../../api/trpc';
import { SelectField, TextField } from '../../../ui/field';
import { FormDialog } from '../../../ui/form-dialog';
import { formatMoney, parseMoney } from '../../../ui/money';
import { useCloseAfterWrite } from '../../../ui/use-close-after-write';
import { ownerLabel, shopLimits, useOwnerNames } from '../shop';

const otherOwner = '__reference__';

export function OpenWalletDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const { users } = useOwnerNames();
  const [commandId] = useState(newCommandId);
  const [choice, setChoice] = useState('');
  const [reference, setReference] = useState('');
  const open = useMutation(trpc.wallets.open.mutationOptions());
  const errors = fieldErrorsOf(open.error);
  const ownerId = choice === otherOwner ? reference.trim() : choice;
  const ownerName = choice === otherOwner ? reference.trim() : (users.find((u) => u.userId === choice)?.name ?? '');

  return (
    <FormDialog
      title="Open a wallet"
      description="It starts empty; top it up once it is open."
      onClose={onClose}
      onSubmit={() =>
        open.mutate(
          { ownerId, commandId },
          { onSuccess: (result) => closeAfterWrite(result, `Opened a wallet for ${ownerName}`) },
        )
      }
      submitLabel={ownerName ? `Open wallet for ${ownerName}` : 'Open wallet'}
      busy={open.isPending}
      submitDisabled={!ownerId}
      error={open.error}
    >
      <SelectField
        label="Owner"
        required
        autoFocus
        value={choice}
        onChange={(e) => setChoice(e.target.value)}
        errors={choice === otherOwner ? undefined : errors.ownerId}
        options={[
          { value: '', label: 'Choose an owner…' },
          ...users.map((user) => ({ value: user.userId, label: `${user.name} (${user.email})` })),
          { value: otherOwner, label: 'Someone else: a customer reference' },
        ]}
      />
      {choice === otherOwner ? (
        <TextField
          label="Customer reference"
          required
          maxLength={200}
          autoComplete="off"
          placeholder="e.g. CUST-1042"
          hint="Any id from your own systems, up to 200 characters."
          errors={errors.ownerId}
          value={reference}
          onChange={(e) => setReference(e.target.value)}
        />
      ) : null}
    </FormDialog>
  );
}

/** The amount is typed in major units ("25.50") and sent as integer minor units (2550). */
export function TopUpDialog({ wallet, onClose }: { wallet: WalletRow; onClose: () => void }) {
  const trpc = useTRPC();
  const closeAfterWrite = useCloseAfterWrite(onClose);
  const { names } = useOwnerNames();
  const [commandId] = useState(newCommandId);
  const [amount, setAmount] = useState('');
  const [touched, setTouched] = useState(false);
  const topUp = useMutation(trpc.wallets.topUp.mutationOptions());
  const parsed = parseMoney(amount, { min: 1, max: shopLimits.maxTopUp });
  const apiErrors = fieldErrorsOf(topUp.error);
  const overLimit = apiErrorData(topUp.error)?.domainCode === 'wallet.balance_limit';
  const amountErrors =
    touched && !parsed.ok
      ? [parsed.error]
      : overLimit
        ? ['This would take the balance over its limit. Top up less.']
        : apiErrors.amount;
  const owner = ownerLabel(wallet.ownerId, names);

  const submit = () => {
    setTouched(true);
    if (!parsed.ok) return;
    topUp.mutate(
      { walletId: wallet.walletId, amount: parsed.minor, commandId },
      { onSuccess: (result) => closeAfterWrite(result, `Added ${formatMoney(parsed.minor)} to ${owner}’s wallet`) },
    );
  };

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
        errors={amountErrors}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        onBlur={() => amount && setTouched(true)}
      />
    </FormDialog>
  );
}
