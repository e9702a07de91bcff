import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Bad input: the CLI prints the message on one line and exits with status 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
export const commonOptions = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/**
 * Strict parsing: an unknown flag, a missing value or a positional the command does not take is
 * a {@link UsageError} with node's own one-line explanation.
 */
export function parseCommand<const T extends Options>(args: string[], options: T, positionals = 0) {
  const config = {
    args,
    options: { ...commonOptions, ...options },
    allowPositionals: true as const,
    strict: true as const,
  };
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    // node's own words, on one line, without its advice on positionals (no command takes dashes).
    const message = (error as Error).message.replaceAll('\n', ' ');
    throw new UsageError(message.replace(/\. To specify a positional argument .*/, '.'));
  }
  if (parsed.positionals.length > positionals && !(parsed.values as { help?: boolean }).help) {
    throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
  }
  return parsed;
}

/** A position in the log: a whole number ≥ 0 that JavaScript holds exactly. */
export function parsePosition(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new UsageError(`${flag} must be a position (a whole number ≥ 0), got "${value}"`);
  }
  return n;
}
