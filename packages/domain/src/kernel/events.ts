import { z } from 'zod';

/** A domain event as deciders and projectors see it: a past-tense type and its data. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** An event as stored: the shape `decode` upcasts from. */
export interface EncodedEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
}

/**
 * What a personal field reads as once its person was forgotten: the data key that sealed it is
 * gone, so the store hands this out instead. Decoding accepts it for every personal field.
 */
export const ERASED = 'erased';

/** Personal data in an event: which fields, and whose (the subject whose key seals them). */
export interface PersonalData {
  subject: string;
  fields: readonly string[];
}

/** An event ready to store, with what the store must seal or erase on its way in. */
export interface EncodedEventToStore extends EncodedEvent {
  /** Fields the store encrypts under the subject's data key. */
  personal?: PersonalData;
  /** Appending it forgets this subject: its data key and its stream's snapshots go in the same transaction. */
  forgets?: string;
}

/**
 * One event type: its current schema and how to lift every older stored version to it.
 * Stored events are never rewritten; they are upcast each time they are read.
 */
export interface EventDefinition<Type extends string = string, Data = unknown> {
  type: Type;
  schemaVersion: number;
  schema: z.ZodType<Data>;
  /** `upcasters[n]` lifts data of version n to version n + 1. */
  upcasters: Readonly<Record<number, (data: unknown) => unknown>>;
  /** Fields never shown outside the server (password hashes): `redact` removes them. */
  secretFields: readonly string[];
  /**
   * Fields that are a person's data (names, emails, password hashes): stored encrypted under the
   * data key of `personalSubject` (default: the event's stream), so forgetting the person
   * (deleting the key) erases them from every event at once without rewriting the log.
   */
  personalFields: readonly string[];
  personalSubject?: ((data: Data, streamId: string) => string) | undefined;
  /** Appending this event forgets the person its stream is the subject of. */
  forgetsSubject: boolean;
  (data: Data): DomainEvent<Type, Data>;
}

/** Any event definition; the factory's parameter is contravariant, so `unknown` would reject them all. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type AnyEventDefinition = EventDefinition<string, any>;

export function defineEvent<Type extends string, Schema extends z.ZodType>(
  type: Type,
  schema: Schema,
  options: {
    schemaVersion?: number;
    upcasters?: Record<number, (data: unknown) => unknown>;
    secretFields?: readonly (keyof z.infer<Schema> & string)[];
    personalFields?: readonly (keyof z.infer<Schema> & string)[];
    personalSubject?: (data: z.infer<Schema>, streamId: string) => string;
    forgetsSubject?: boolean;
  } = {},
): EventDefinition<Type, z.infer<Schema>> {
  const create = (data: z.infer<Schema>): DomainEvent<Type, z.infer<Schema>> => ({ type, data });
  return Object.assign(create, {
    type,
    schemaVersion: options.schemaVersion ?? 1,
    schema: schema as unknown as z.ZodType<z.infer<Schema>>,
    upcasters: options.upcasters ?? {},
    secretFields: options.secretFields ?? [],
    personalFields: options.personalFields ?? [],
    personalSubject: options.personalSubject,
    forgetsSubject: options.forgetsSubject ?? false,
  });
}

/** The union of events a list of definitions produces. */
export type EventOf<Definitions extends readonly AnyEventDefinition[]> = {
  [K in keyof Definitions]: Definitions[K] extends EventDefinition<infer T, infer D> ? DomainEvent<T, D> : never;
}[number];

export interface EventCatalog<Event extends DomainEvent> {
  readonly types: readonly Event['type'][];
  /** The definitions, so catalogs of several contexts can be joined into one. */
  readonly definitions: readonly AnyEventDefinition[];
  has(type: string): boolean;
  /** Current schema version and validated data, ready to store in `streamId`. */
  encode(event: Event, streamId: string): EncodedEventToStore;
  /** Upcasts stored data to the current version and validates it. */
  decode(stored: EncodedEvent): Event;
  /** The data without its secret fields, fit for any response or log line. */
  redact(type: string, data: unknown): unknown;
}

export class UnknownEventError extends Error {
  constructor(readonly type: string) {
    super(`unknown event type ${type}`);
  }
}

export function eventCatalog<const Definitions extends readonly AnyEventDefinition[]>(
  definitions: Definitions,
): EventCatalog<EventOf<Definitions>> {
  type Event = EventOf<Definitions>;
  const byType = new Map<string, AnyEventDefinition>(definitions.map((d) => [d.type, d]));
  if (byType.size !== definitions.length) throw new Error('two event definitions share a type name');
  const definitionOf = (type: string) => {
    const definition = byType.get(type);
    if (!definition) throw new UnknownEventError(type);
    return definition;
  };
  // A forgotten person's fields read as ERASED, which their own schemas (an email's) would refuse.
  const decodeSchemas = new Map(
    definitions.filter((d) => d.personalFields.length > 0).map((d) => [d.type, acceptingErased(d)]),
  );
  return {
    types: definitions.map((d) => d.type) as Event['type'][],
    definitions,
    has: (type) => byType.has(type),
    encode(event, streamId) {
      const definition = definitionOf(event.type);
      const data = definition.schema.parse(event.data);
      const personalFields = definition.personalFields.filter(
        (field) => (data as Record<string, unknown>)[field] !== undefined,
      );
      return {
        type: event.type,
        schemaVersion: definition.schemaVersion,
        data,
        ...(personalFields.length > 0
          ? { personal: { subject: definition.personalSubject?.(data, streamId) ?? streamId, fields: personalFields } }
          : {}),
        ...(definition.forgetsSubject ? { forgets: streamId } : {}),
      };
    },
    decode(stored) {
      const definition = definitionOf(stored.type);
      let data = stored.data;
      for (let version = stored.schemaVersion; version < definition.schemaVersion; version++) {
        const upcast = definition.upcasters[version];
        if (!upcast) throw new Error(`${stored.type} has no upcaster from schema version ${version}`);
        data = upcast(data);
      }
      const schema = decodeSchemas.get(stored.type) ?? definition.schema;
      return { type: stored.type, data: schema.parse(data) } as Event;
    },
    redact(type, data) {
      const secrets = byType.get(type)?.secretFields ?? [];
      if (secrets.length === 0 || typeof data !== 'object' || data === null) return data;
      return Object.fromEntries(Object.entries(data).filter(([key]) => !secrets.includes(key)));
    },
  };
}

/** The definition's schema with every personal field also accepting {@link ERASED}. */
function acceptingErased(definition: AnyEventDefinition): z.ZodType {
  const { schema } = definition;
  if (!(schema instanceof z.ZodObject)) throw new Error(`${definition.type}: personal fields need an object schema`);
  const shape = schema.shape as Record<string, z.ZodType>;
  return schema.extend(
    Object.fromEntries(
      definition.personalFields.map((field) => {
        const fieldSchema = shape[field];
        if (!fieldSchema) throw new Error(`${definition.type} has no field ${field}`);
        return [field, z.union([z.literal(ERASED), fieldSchema])];
      }),
    ),
  );
}
