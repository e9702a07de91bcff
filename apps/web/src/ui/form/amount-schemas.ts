import { z } from 'zod';
import { parseMoney, parseQuantity } from '../money';

/**
 * An amount typed in major units ("12.50") as the domain's schema of minor units takes it: first
 * read in the user's units (messages in them: "at most two decimals"), then judged by `domain`,
 * the same schema the api judges the number with.
 */
export function moneyInput(domain: z.ZodType<number, number>, limits: { min?: number; max: number }) {
  return z
    .string()
    .transform((typed, context) => {
      const parsed = parseMoney(typed, limits);
      if (parsed.ok) return parsed.minor;
      context.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    })
    .pipe(domain);
}

/** A whole number typed into a quantity field, then judged by the domain's schema. */
export function quantityInput(domain: z.ZodType<number, number>, limits: { min: number; max: number }) {
  return z
    .string()
    .transform((typed, context) => {
      const parsed = parseQuantity(typed, limits);
      if (parsed.ok) return parsed.value;
      context.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    })
    .pipe(domain);
}
