import { z } from 'zod';
import {
  cursorSchema,
  dateSchema,
  existingStreamMutationOptions,
  idSchema,
  limitSchema,
  minPositionSchema,
  mutationOptions,
  searchSchema,
  versionSchema,
} from '../kernel/inputs.ts';
import { text } from '../kernel/text.ts';
import { emailSchema, passwordSchema, roleSchema, userNameSchema, userStatusSchema } from './values.ts';

export const bootstrapAdminInput = z.object({
  oneTimePassword: text({ max: 200, label: 'oneTimePassword' }).min(1, { error: 'the one-time password is required' }),
  email: emailSchema,
  name: userNameSchema,
  password: passwordSchema,
});
// Any text is let through to be judged as wrong credentials, but only text the log can hold.
export const loginInput = z.object({
  email: text({ max: 254, label: 'email' }),
  password: text({ max: 256, label: 'password' }),
});

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
export const forgetUserInput = z.object(existingUser);
export const changePasswordInput = z.object({ ...existingUser, password: passwordSchema });

export const listUsersInput = z.object({
  search: searchSchema.optional(),
  role: roleSchema.optional(),
  status: userStatusSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema(25),
  minPosition: minPositionSchema,
});
export const userByIdInput = z.object({ userId: idSchema, minPosition: minPositionSchema });
export const userHistoryInput = z.object({ userId: idSchema });
export const userAsOfInput = z
  .object({ userId: idSchema, version: versionSchema.optional(), at: dateSchema.optional() })
  .refine((input) => input.version === undefined || input.at === undefined, {
    error: 'give either version or at, not both',
    path: ['at'],
  });
