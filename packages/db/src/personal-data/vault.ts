import { createHmac, randomBytes } from 'node:crypto';
import { type EmailKeyOf, type EncodedEventToStore, ERASED, normaliseEmail } from '@strata/domain';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { StrataDb } from '../connection.ts';
import { runPrepared } from '../sql-rows.ts';
import type { StoredEvent } from '../store/types.ts';
import { MasterKeyError } from './master-key.ts';
import {
  derivedKey,
  isSealed,
  masterKeyCheck,
  openValue,
  type SealedValue,
  sealValue,
  unwrapKey,
  wrapKey,
} from './sealing.ts';

/**
 * How long a process trusts a data key it read: another process's `users.forget` reaches every
 * reader here within this time (this process's own at once).
 */
const keyCacheMs = 1000;

/**
 * Personal data at rest: seals events' personal fields on their way into the log, opens them for
 * every reader, and forgets a person by deleting their data key. One per database.
 */
export interface PersonalDataVault {
  /** The key an email's streams are named by: HMAC-SHA-256 of the normalised address. */
  emailKeyOf: EmailKeyOf;
  /**
   * The events with their personal fields sealed under their subjects' data keys, made when
   * missing — but not in a transaction, where an append must be the first write (the log's commit
   * order depends on it): there a missing key throws {@link MissingDataKeysError}; make the keys
   * with {@link PersonalDataVault.ensureKeys} outside it and try again.
   */
  seal<Event extends Sealable>(db: StrataDb, events: readonly Event[]): Promise<Event[]>;
  /**
   * Makes the subjects' data keys if missing. Not in a transaction that appends afterwards (the
   * append must be its first write); a one-time migration's transaction may.
   */
  ensureKeys(db: StrataDb, subjects: readonly string[]): Promise<void>;
  /** The events with every sealed field opened; a forgotten person's fields read {@link ERASED}. */
  open(db: StrataDb, events: StoredEvent[]): Promise<StoredEvent[]>;
  /**
   * Deletes the subject's data key and the snapshots of the stream it names (a forgotten person's
   * subject is their stream), in the caller's transaction.
   */
  forget(tx: StrataDb, subject: string): Promise<void>;
  /**
   * Refuses a master key other than the one the database was made with, and records it on first
   * use; `record: false` only checks, and passes a database that has no record (or table) yet.
   */
  verifyMasterKey(db: StrataDb, options?: { record: boolean }): Promise<void>;
}

/** An event on its way to the log; `personal` (from the catalog's `encode`) names what to seal. */
type Sealable = { data: unknown; personal?: Pick<EncodedEventToStore, 'personal'>['personal'] | undefined };

/** Sealing in a transaction needed data keys that do not exist yet: make them outside it, then retry. */
export class MissingDataKeysError extends Error {
  constructor(readonly subjects: readonly string[]) {
    super(`no data key yet for ${subjects.join(', ')}`);
  }
}

export function createPersonalDataVault(masterKey: Buffer): PersonalDataVault {
  const emailHashKey = derivedKey(masterKey, 'email keys');
  const cache = new Map<string, { key: Buffer | undefined; at: number }>();

  const cached = (subject: string) => {
    const entry = cache.get(subject);
    return entry && Date.now() - entry.at < keyCacheMs ? entry : undefined;
  };
  async function keysFor(db: StrataDb, subjects: readonly string[], create: boolean): Promise<Map<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const subject of new Set(subjects)) {
      const entry = cached(subject);
      if (entry?.key) keys.set(subject, entry.key);
      else if (!entry || create) missing.push(subject);
    }
    if (missing.length === 0) return keys;
    type KeyRow = { subject: string; wrapped_key: string };
    let rows = create
      ? await runPrepared<KeyRow>(db, createOrReadKeys, [
          missing,
          missing.map((subject) => wrapKey(masterKey, randomBytes(32), subject)),
        ])
      : await runPrepared<KeyRow>(db, readKeys, [missing]);
    // A key another process made while this statement ran is in neither half of its answer.
    if (create && rows.length < missing.length) rows = await runPrepared<KeyRow>(db, readKeys, [missing]);
    // What a transaction sees may roll back with it (a key it made, a key it deleted): not cached.
    const cacheable = !(db instanceof PgTransaction);
    const at = Date.now();
    if (cacheable) for (const subject of missing) cache.set(subject, { key: undefined, at });
    for (const row of rows) {
      const key = unwrapKey(masterKey, row.wrapped_key, row.subject);
      keys.set(row.subject, key);
      if (cacheable) cache.set(row.subject, { key, at });
    }
    return keys;
  }

  return {
    emailKeyOf: (email) => createHmac('sha256', emailHashKey).update(normaliseEmail(email)).digest('hex'),

    async ensureKeys(db, subjects) {
      await keysFor(db, subjects, true);
    },

    async seal(db, events) {
      const personal = events.filter((e) => e.personal);
      if (personal.length === 0) return [...events];
      const subjects = personal.map((e) => e.personal!.subject);
      const inTransaction = db instanceof PgTransaction;
      const keys = await keysFor(db, subjects, !inTransaction);
      const missing = [...new Set(subjects.filter((subject) => !keys.has(subject)))];
      if (missing.length > 0) throw new MissingDataKeysError(missing);
      return events.map((event) => {
        if (!event.personal) return event;
        const { subject, fields } = event.personal;
        const key = keys.get(subject);
        if (!key) throw new MissingDataKeysError([subject]);
        const data = { ...(event.data as Record<string, unknown>) };
        for (const field of fields) data[field] = sealValue(key, subject, data[field]);
        return { ...event, data };
      });
    },

    async open(db, events) {
      const subjects = new Set<string>();
      for (const event of events) for (const value of sealedIn(event.data)) subjects.add(value.subject);
      if (subjects.size === 0) return events;
      const keys = await keysFor(db, [...subjects], false);
      return events.map((event) => {
        if (sealedIn(event.data).length === 0) return event;
        const data = Object.fromEntries(
          Object.entries(event.data as Record<string, unknown>).map(([field, value]) => {
            if (!isSealed(value)) return [field, value];
            const key = keys.get(value.subject);
            return [field, key ? openValue(key, value) : ERASED];
          }),
        );
        return { ...event, data };
      });
    },

    async forget(tx, subject) {
      await runPrepared(tx, forgetSubject, [subject]);
      // Erased for this process at once, before the commit even: a read racing the commit must not
      // keep the key. Should the transaction roll back, the person reads erased here for a second.
      cache.set(subject, { key: undefined, at: Date.now() });
    },

    async verifyMasterKey(db, options = { record: true }) {
      const check = masterKeyCheck(masterKey);
      const [row] = options.record
        ? await runPrepared<{ value: string }>(db, recordMasterKeyCheck, [check])
        : (await runPrepared<{ present: boolean }>(db, settingsTablePresent, []))[0]?.present
          ? await runPrepared<{ value: string }>(db, readMasterKeyCheck, [])
          : [];
      if (row?.value && row.value !== check) {
        throw new MasterKeyError(
          'the master key is not the one this database was made with: every person’s data key is wrapped by that one. Start with the original STRATA_MASTER_KEY (or, on PGlite, the data folder’s master.key).',
        );
      }
    },
  };
}

const createOrReadKeys = `with made as (
  insert into personal_data_keys (subject, wrapped_key)
  select * from unnest($1::text[], $2::text[]) on conflict (subject) do nothing
  returning subject, wrapped_key)
select subject, wrapped_key from made
union all
select subject, wrapped_key from personal_data_keys where subject = any($1::text[])`;

const readKeys = 'select subject, wrapped_key from personal_data_keys where subject = any($1::text[])';

const forgetSubject = `with gone as (delete from personal_data_keys where subject = $1)
delete from snapshots where stream_id = $1`;

// The first process to start records its key's check; every later one reads the recorded check.
const recordMasterKeyCheck = `with made as (
  insert into strata_settings (name, value) values ('master_key_check', $1)
  on conflict (name) do nothing returning value)
select value from strata_settings where name = 'master_key_check'
union all select value from made`;

// Before migrations the table may not exist yet (a new database, or one older than it).
const settingsTablePresent = "select to_regclass('strata_settings') is not null as present";
const readMasterKeyCheck = "select value from strata_settings where name = 'master_key_check'";

function sealedIn(data: unknown): SealedValue[] {
  if (typeof data !== 'object' || data === null) return [];
  return Object.values(data).filter(isSealed);
}
