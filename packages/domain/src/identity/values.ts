import { z } from 'zod';
import { text } from '../kernel/text.ts';

export const roleSchema = z.enum(['admin', 'viewer'], { error: 'role must be admin or viewer' });
export type Role = z.infer<typeof roleSchema>;

/** `forgotten`: the person's data was erased (`users.forget`); the user stays in the log as a name-less id. */
export const userStatusSchema = z.enum(['active', 'deactivated', 'forgotten']);
export type UserStatus = z.infer<typeof userStatusSchema>;

/** Stored as typed; compared lower-cased (see `normaliseEmail`). */
export const emailSchema = text({ max: 254, label: 'email' }).pipe(z.email({ error: 'must be a valid email address' }));
export const userNameSchema = text({ max: 200, trim: true, label: 'name' }).min(1, { error: 'name is required' });
export const passwordSchema = text({ max: 256, label: 'password' }).min(10, {
  error: 'password must be at least 10 characters',
});

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
