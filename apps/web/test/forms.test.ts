import { zodResolver } from '@hookform/resolvers/zod';
import { TRPCClientError } from '@strata/client';
import { createUserInput, topUpAmountSchema } from '@strata/domain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { moneyInput } from '../src/ui/form/amount-schemas';
import { messagesOf, showServerErrors } from '../src/ui/form/use-schema-form';

/**
 * The forms' checks without a browser: the domain's schema gives the messages the api would give,
 * amounts are read in major units first, and the api's field errors land under the form's fields.
 */
const resolve = async (schema: z.ZodType<unknown, Record<string, unknown>>, values: Record<string, unknown>) =>
  zodResolver(schema as never)(values as never, undefined, { fields: {}, shouldUseNativeValidation: false } as never);

describe('forms on the domain schemas', () => {
  it('says what the api says, field by field', async () => {
    const schema = createUserInput.pick({ name: true, email: true, role: true, password: true });
    const { errors } = await resolve(schema, { name: ' ', email: 'not-an-email', role: 'viewer', password: 'short' });
    const refused = createUserInput.safeParse({ name: ' ', email: 'not-an-email', role: 'viewer', password: 'short' });
    expect(refused.success).toBe(false);
    for (const issue of refused.error?.issues ?? [])
      expect(messagesOf(errors, issue.path.join('.'))).toEqual([issue.message]);
    expect(messagesOf(errors, 'role')).toBeUndefined();
  });

  it('reads amounts in major units, then judges them by the domain schema', async () => {
    const schema = z.object({ amount: moneyInput(topUpAmountSchema, { min: 1, max: 1_000_000_00 }) });
    expect(await resolve(schema, { amount: '50.5' })).toMatchObject({ values: { amount: 5050 } });
    const { errors } = await resolve(schema, { amount: '12.345' });
    expect(messagesOf(errors, 'amount')?.[0]).toContain('at most two decimals');
  });

  it("puts the api's field errors under the form's fields, and leaves the others to the form's notice", () => {
    const error = new TRPCClientError('bad input', {
      result: {
        error: {
          message: 'bad input',
          code: -32600,
          data: { code: 'BAD_REQUEST', fieldErrors: { 'lines.0.sku': ['sku must be 1-64'], '(input)': ['odd'] } },
        },
      },
    } as never);
    const set: Record<string, string> = {};
    const form = {
      getValues: () => ({ lines: [{ sku: '', quantity: '1' }] }),
      setError: (name: string, { message }: { message?: string }) => {
        set[name] = message ?? '';
      },
    };
    expect(showServerErrors(form as never, error)).toBe(true);
    expect(set).toEqual({ 'lines.0.sku': 'sku must be 1-64' });
    expect(showServerErrors(form as never, new Error('offline'))).toBe(false);
  });
});
