import { z } from 'zod';
import { text } from '../kernel/text.ts';

export const roleSchema = z.enum(['admin', 'viewer'], { error: 'role must be admin or viewer' });
export type Role = z.infer<typeof roleSchema>;

export const userStatusSchema = z.enum(['active', 'deactivated']);
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
