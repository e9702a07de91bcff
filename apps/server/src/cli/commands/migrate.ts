import { parseCommand } from '../args.ts';
import { describeTarget, targetOf, withDatabase } from '../target.ts';

/** `strata migrate`: opening the database applies pending migrations (under a lock); then exit. */
export async function migrateCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(args, {});
  const target = targetOf(values);
  await withDatabase(target, {}, async () => undefined);
  process.stdout.write(`migrations applied: ${describeTarget(target)} is up to date\n`);
}
