import { z } from 'zod';

/** Every mutation may carry a client-chosen command id; a retry with it appends nothing. */
export const commandIdSchema = z
  .string()
  .min(8, { error: 'commandId must be at least 8 characters' })
  .max(100, { error: 'commandId is at most 100 characters' });
export const expectedVersionSchema = z.number().int().nonnegative();
/** Read-your-writes: wait until the read model has passed this position. */
export const minPositionSchema = z.number().int().nonnegative().optional();

export const mutationOptions = {
  commandId: commandIdSchema.optional(),
};
export const existingStreamMutationOptions = {
  commandId: commandIdSchema.optional(),
  expectedVersion: expectedVersionSchema.optional(),
};

export const idSchema = z.uuid({ error: 'must be a UUID' });
