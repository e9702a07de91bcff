import { z } from 'zod';
import { jsonProblem } from './json-value.ts';

/** `any`: no check; `none`: the stream must not exist yet; a number: the exact current version. */
export const expectedVersionSchema = z.union([z.literal('any'), z.literal('none'), z.number().int().nonnegative()]);
export type ExpectedVersion = z.infer<typeof expectedVersionSchema>;

const plainJson = z.unknown().superRefine((value, ctx) => {
  const problem = jsonProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `not JSON: ${problem}` });
});

/** Who and what caused an event. Free-form beyond these fields. */
export const eventMetadataSchema = z
  .object({
    actorId: z.string().nullable().optional(),
    commandId: z.string().optional(),
    correlationId: z.string().optional(),
    causationId: z.string().optional(),
    requestId: z.string().optional(),
  })
  .catchall(plainJson);
export type EventMetadata = z.infer<typeof eventMetadataSchema>;

// PostgreSQL text cannot hold a NUL character.
const noNul = (name: string) =>
  z.string().refine((s) => !s.includes('\u0000'), { error: `${name} contains a NUL character` });

export const newEventSchema = z.object({
  eventId: z.uuid().optional(),
  type: z.string().min(1).max(200),
  schemaVersion: z.number().int().positive().default(1),
  data: plainJson.refine((value) => value !== undefined, { error: 'data is required' }),
  metadata: eventMetadataSchema.default({}),
  personal: z
    .object({ subject: noNul('a subject').min(1).max(500), fields: z.array(z.string().min(1)).min(1) })
    .optional(),
});
/** An event to append. `data` must be JSON; it is validated at run time. */
export interface NewEvent {
  eventId?: string | undefined;
  type: string;
  schemaVersion?: number | undefined;
  data: unknown;
  metadata?: EventMetadata | undefined;
  /** Fields of `data` that are a person's (the catalog's `encode` says which): stored sealed under the subject's data key. */
  personal?: { subject: string; fields: readonly string[] } | undefined;
}

export const streamAppendSchema = z.object({
  streamId: noNul('a stream id').min(1).max(500),
  streamType: noNul('a stream type').min(1).max(200),
  expectedVersion: expectedVersionSchema,
  events: z.array(newEventSchema).min(1, { error: 'an append needs at least one event' }),
});
export interface StreamAppend {
  streamId: string;
  streamType: string;
  expectedVersion: ExpectedVersion;
  events: NewEvent[];
}

export const appendRequestSchema = z
  .object({
    commandId: z.string().min(1).max(200).optional(),
    streams: z.array(streamAppendSchema).min(1, { error: 'an append needs at least one stream' }),
  })
  .refine((r) => new Set(r.streams.map((s) => s.streamId)).size === r.streams.length, {
    error: 'a stream may appear only once in one append',
    path: ['streams'],
  });
export interface AppendRequest {
  commandId?: string | undefined;
  streams: StreamAppend[];
}

export interface StreamAppendResult {
  streamId: string;
  /** The stream's version after the append. */
  version: number;
  firstPosition: number;
  lastPosition: number;
}

export interface AppendResult {
  streams: StreamAppendResult[];
  /** The global position of the last event written. */
  position: number;
  transactionId: string;
  /** When the events were recorded (the transaction's start time, as `recorded_at`). */
  recordedAt: string;
  /** True when the command id had already committed: nothing was written this time. */
  duplicate: boolean;
}

export interface StoredEvent {
  position: number;
  transactionId: string;
  streamId: string;
  streamType: string;
  version: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
  recordedAt: Date;
}

/**
 * Where a reader stands in commit order. Positions alone are not enough: a transaction may take a
 * position and commit after a later one, so readers order by (transactionId, position).
 */
export interface Checkpoint {
  transactionId: string;
  position: number;
}

export const startOfLog: Checkpoint = { transactionId: '0', position: 0 };
