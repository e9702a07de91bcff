import { z } from 'zod';

export const roleSchema = z.enum(['admin', 'viewer'], { error: 'role must be admin or viewer' });
export type Role = z.infer<typeof roleSchema>;

export const userStatusSchema = z.enum(['active', 'deactivated']);
export type UserStatus = z.infer<typeof userStatusSchema>;

/** Stored as typed; compared lower-cased (see `normaliseEmail`). */
export const emailSchema = z.email({ error: 'must be a valid email address' }).max(254);
export const userNameSchema = z
  .string()
  .trim()
  .min(1, { error: 'name is required' })
  .max(200, { error: 'name is at most 200 characters' });
export const passwordSchema = z
  .string()
  .min(10, { error: 'password must be at least 10 characters' })
  .max(256, { error: 'password is at most 256 characters' });

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
