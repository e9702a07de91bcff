import { z } from 'zod';
import { existingStreamMutationOptions, idSchema, minPositionSchema, mutationOptions } from '../kernel/inputs.ts';
import { emailSchema, passwordSchema, roleSchema, userNameSchema, userStatusSchema } from './values.ts';

export const bootstrapAdminInput = z.object({
  oneTimePassword: z.string().min(1, { error: 'the one-time password is required' }).max(200),
  email: emailSchema,
  name: userNameSchema,
  password: passwordSchema,
});
export const loginInput = z.object({ email: z.string().max(254), password: z.string().max(256) });

export const createUserInput = z.object({
  email: emailSchema,
  name: userNameSchema,
  role: roleSchema,
  password: passwordSchema,
  ...mutationOptions,
});
const existingUser = { userId: idSchema, ...existingStreamMutationOptions };
export const renameUserInput = z.object({ ...existingUser, name: userNameSchema });
export const changeEmailInput = z.object({ ...existingUser, email: emailSchema });
export const changeRoleInput = z.object({ ...existingUser, role: roleSchema });
export const deactivateUserInput = z.object(existingUser);
export const reactivateUserInput = z.object(existingUser);
export const changePasswordInput = z.object({ ...existingUser, password: passwordSchema });

export const listUsersInput = z.object({
  search: z.string().max(200).optional(),
  role: roleSchema.optional(),
  status: userStatusSchema.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  minPosition: minPositionSchema,
});
export const userByIdInput = z.object({ userId: idSchema, minPosition: minPositionSchema });
export const userHistoryInput = z.object({ userId: idSchema });
export const userAsOfInput = z
  .object({ userId: idSchema, version: z.number().int().positive().optional(), at: z.coerce.date().optional() })
  .refine((input) => input.version === undefined || input.at === undefined, {
    error: 'give either version or at, not both',
    path: ['at'],
  });
