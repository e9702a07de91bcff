import { randomBytes, randomUUID } from 'node:crypto';
import { createApp, hashPassword, loadAccountByEmail } from '@strata/api';
import { createUserInput, identityPlans } from '@strata/domain';
import { createLogger } from '../../logger.ts';
import { parseCommand, UsageError } from '../args.ts';
import { targetOf, withDatabase } from '../target.ts';

/** The first line of stdin, without its line break. */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd();
}

/**
 * `strata admin create`: the api's create-user command with the admin role (the email's claim and
 * the admin registry in the same transaction), for a server where nobody reads the start-up log.
 */
export async function adminCreateCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(args, {
    email: { type: 'string' },
    name: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  if (values.email === undefined) throw new UsageError('--email is required');
  if (values.name === undefined) throw new UsageError('--name is required');
  const generated = values['password-stdin'] ? undefined : randomBytes(18).toString('base64url');
  const password = generated ?? (await readPasswordFromStdin());
  const parsed = createUserInput.safeParse({ email: values.email, name: values.name, role: 'admin', password });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'input');
    const flag = field === 'password' ? 'the password on stdin' : `--${field}`;
    throw new UsageError(`${flag}: ${issue?.message ?? 'invalid'}`);
  }
  const input = parsed.data;
  const userId = randomUUID();
  await withDatabase(targetOf(values), {}, async (database) => {
    const app = createApp({ database, logger: createLogger(process.env.LOG_LEVEL ?? 'warn') });
    if (await loadAccountByEmail(app, input.email)) {
      throw new Error(`an account with the email ${input.email} exists already`);
    }
    await app.commands.run(
      identityPlans.createUser(
        {
          userId,
          email: input.email,
          name: input.name,
          role: 'admin',
          passwordHash: await hashPassword(input.password),
        },
        app.database.personalData.emailKeyOf,
      ),
      { metadata: { actorId: 'system', via: 'strata admin create' } },
    );
  });
  process.stdout.write(`created admin ${input.email} (user ${userId})\n`);
  if (generated) {
    process.stdout.write(`password (shown once; change it after signing in): ${generated}\n`);
  }
}
