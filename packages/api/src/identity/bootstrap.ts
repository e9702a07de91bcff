import { randomBytes, randomUUID } from 'node:crypto';
import { WrongExpectedVersionError } from '@strata/db';
import {
  adminRegistryDecider,
  adminRegistryStream,
  bootstrapDecider,
  bootstrapStream,
  identityPlans,
  streamCommand,
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

export type StartupBootstrap =
  | { kind: 'admin-exists' }
  | { kind: 'issued'; password: string; expiresAt: string }
  /** Another process (or an earlier start) issued one that is still valid; only its log shows it. */
  | { kind: 'still-valid'; expiresAt: string };

/**
 * While no admin exists, makes sure exactly one one-time password is valid, however many processes
 * start at once: a process issues one only when none is valid (or when `replace` asks for a new
 * one), appending at the bootstrap stream's version as read, so of processes racing on the same
 * version one wins and the others see its password as still valid.
 */
export async function ensureBootstrapPassword(
  app: App,
  options: { replace?: boolean } = {},
): Promise<StartupBootstrap> {
  for (let attempt = 0; ; attempt++) {
    const [admins, bootstrap] = await Promise.all([
      app.commands.load(adminRegistryDecider, adminRegistryStream),
      app.commands.load(bootstrapDecider, bootstrapStream),
    ]);
    if (admins.state.activeAdmins.length > 0) return { kind: 'admin-exists' };
    const current = bootstrap.state.current;
    if (current && Date.parse(current.expiresAt) > Date.now() && !options.replace) {
      return { kind: 'still-valid', expiresAt: current.expiresAt };
    }
    const password = randomBytes(9).toString('base64url');
    const now = new Date().toISOString();
    const command = { type: 'IssueBootstrapPassword' as const, passwordHash: await hashPassword(password), now };
    try {
      await app.commands.run(
        { primary: streamCommand(bootstrapDecider, bootstrapStream, command, bootstrap.version) },
        { metadata: { actorId: 'system' } },
      );
      const issued = (await app.commands.load(bootstrapDecider, bootstrapStream)).state.current;
      return { kind: 'issued', password, expiresAt: issued?.expiresAt ?? now };
    } catch (error) {
      // Someone issued one first: theirs is the valid one (unless we were asked to replace it).
      if (!(error instanceof WrongExpectedVersionError) || attempt >= 5) throw error;
      options = { ...options, replace: false };
    }
  }
}

/** Issues a fresh one-time password while no admin exists (replacing any other); null once one does. */
export async function issueBootstrapPassword(app: App): Promise<string | null> {
  const result = await ensureBootstrapPassword(app, { replace: true });
  return result.kind === 'issued' ? result.password : null;
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
      identityPlans.createUser(
        {
          userId: randomUUID(),
          email: demo.email,
          name: demo.name,
          role: demo.role,
          passwordHash: await hashPassword(demo.password),
        },
        app.database.personalData.emailKeyOf,
      ),
      { metadata: { actorId: 'system' } },
    );
    created.push(demo);
  }
  return created;
}
