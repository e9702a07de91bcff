import { randomBytes, randomUUID } from 'node:crypto';
import {
  adminRegistryDecider,
  adminRegistryStream,
  bootstrapDecider,
  bootstrapStream,
  identityPlans,
} from '@strata/domain';
import type { App } from '../app.ts';
import { loadAccountByEmail } from './accounts.ts';
import { hashPassword } from './passwords.ts';

export async function readBootstrapState(app: App) {
  const [admins, bootstrap] = await Promise.all([
    app.commands.load(adminRegistryDecider, adminRegistryStream),
    app.commands.load(bootstrapDecider, bootstrapStream),
  ]);
  return { adminCount: admins.state.activeAdmins.length, bootstrap: bootstrap.state };
}

/**
 * While no admin exists, issues a fresh one-time password (stored only as a hash, valid once,
 * for 15 minutes) and returns it for the operator's terminal. Returns null once an admin exists.
 */
export async function issueBootstrapPassword(app: App): Promise<string | null> {
  const { adminCount } = await readBootstrapState(app);
  if (adminCount > 0) return null;
  const password = randomBytes(9).toString('base64url');
  await app.commands.run(identityPlans.issueBootstrapPassword(await hashPassword(password), new Date().toISOString()), {
    metadata: { actorId: 'system' },
  });
  return password;
}

export const demoUsers = [
  { email: 'alice@example.com', name: 'Alice Admin', role: 'admin' as const, password: 'alice-demo-password' },
  { email: 'bob@example.com', name: 'Bob Viewer', role: 'viewer' as const, password: 'bob-demo-password' },
];

/** Creates alice (admin) and bob (viewer) unless their emails are taken; returns who was created. */
export async function createDemoUsers(app: App): Promise<typeof demoUsers> {
  const created: typeof demoUsers = [];
  for (const demo of demoUsers) {
    if (await loadAccountByEmail(app, demo.email)) continue;
    await app.commands.run(
      identityPlans.createUser({
        userId: randomUUID(),
        email: demo.email,
        name: demo.name,
        role: demo.role,
        passwordHash: await hashPassword(demo.password),
      }),
      { metadata: { actorId: 'system' } },
    );
    created.push(demo);
  }
  return created;
}
