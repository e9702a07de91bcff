import {
  type AnyEventDefinition,
  domainEvents,
  EmailClaimed,
  EmailReleased,
  emailClaimDecider,
  emailClaimStream,
  LoginFailed,
  loginAttemptsDecider,
  loginAttemptsStream,
  normaliseEmail,
} from '@strata/domain';
import type { Database, StrataDb } from '../connection.ts';
import { runPrepared } from '../sql-rows.ts';
import { isSealed } from './sealing.ts';

/** The `strata_settings` row that says the one-time step ran (its value: what it did, as JSON). */
export const legacyPersonalDataSetting = 'legacy_personal_data_sealed';

/** What one run did; all zero when there was nothing left to do. */
export interface LegacyPersonalDataReport {
  /** False when an earlier run (or another process) had done it: nothing was looked at. */
  ran: boolean;
  sealedEvents: number;
  renamedStreams: number;
  droppedSnapshots: number;
  rewrittenCommandResults: number;
}

/** The email streams whose ids held the address before issue 16, and how they are named now. */
const emailStreamKinds = [
  { prefix: 'user-email-', streamType: emailClaimDecider.streamType, rename: emailClaimStream },
  { prefix: 'login-', streamType: loginAttemptsDecider.streamType, rename: loginAttemptsStream },
];
const keyedId = /^(?:user-email|login)-[0-9a-f]{64}$/;

const pageSize = 500;

/**
 * The one-time step that brings a database made before issue 16 (crypto-shredding) in line with
 * it; `openDatabase` runs it after the SQL migrations, and it does nothing once done. Events
 * written before then hold personal data in plaintext: in their data (names, emails, password
 * hashes) and in the ids of an email's streams (`user-email-<email>`, `login-<email>`). In one
 * transaction, with the log's append-only trigger lifted for it alone (the log is otherwise never
 * rewritten; this is the one exception, and it changes no event's meaning):
 *
 * 1. renames those streams to their keyed-hash ids (`emailKeyOf`) in `events`, `streams` and the
 *    JSON of `command_results`, and drops their snapshots;
 * 2. seals every plaintext personal field (the catalog's `personalFields`) under its subject's data
 *    key, as an append would now; a `LoginFailed` without `userId` gets the user who held the email
 *    then (from the claims in the log), or else who held it last, so forgetting that person erases
 *    it too; with no such user it stays the attempts stream's own;
 * 3. drops the snapshots of every stream it sealed (they hold the same data in plaintext);
 * 4. records itself as done in `strata_settings`.
 *
 * Processes starting together: the first to insert the settings row does it; the others wait on
 * that row until it commits, then find it done. Running it again (say, the row deleted) finds
 * nothing left: sealed fields and keyed ids are passed over.
 */
export async function migrateLegacyPersonalData(database: Database): Promise<LegacyPersonalDataReport> {
  const { db } = database;
  const report: LegacyPersonalDataReport = {
    ran: false,
    sealedEvents: 0,
    renamedStreams: 0,
    droppedSnapshots: 0,
    rewrittenCommandResults: 0,
  };
  const done = await runPrepared(db, 'select 1 from strata_settings where name = $1', [legacyPersonalDataSetting]);
  if (done.length > 0) return report;

  return await db.transaction(async (tx) => {
    const claimed = await runPrepared(
      tx,
      `insert into strata_settings (name, value) values ($1, 'running') on conflict (name) do nothing returning name`,
      [legacyPersonalDataSetting],
    );
    if (claimed.length === 0) return report;
    report.ran = true;
    // For this transaction only: every other writer waits for it (ALTER TABLE locks `events`).
    await runPrepared(tx, 'alter table events disable trigger events_append_only', []);

    const renames = await renameEmailStreams(tx, database);
    report.renamedStreams = renames.size;
    report.rewrittenCommandResults = await rewriteCommandResults(tx, renames);
    const sealedStreams = await sealPersonalFields(tx, database, report);
    const dropped = await runPrepared<{ stream_id: string }>(
      tx,
      'delete from snapshots where stream_id = any($1::text[]) returning stream_id',
      [[...renames.keys(), ...renames.values(), ...sealedStreams]],
    );
    report.droppedSnapshots = dropped.length;

    await runPrepared(tx, 'alter table events enable trigger events_append_only', []);
    await runPrepared(tx, 'update strata_settings set value = $2 where name = $1', [
      legacyPersonalDataSetting,
      JSON.stringify({ ...report, at: new Date().toISOString() }),
    ]);
    return report;
  });
}

/** Renames every email stream whose id holds the address; answers old id → new id. */
async function renameEmailStreams(tx: StrataDb, database: Database): Promise<Map<string, string>> {
  const renames = new Map<string, string>();
  for (const kind of emailStreamKinds) {
    const rows = await runPrepared<{ stream_id: string }>(
      tx,
      'select stream_id from streams where stream_type = $1 and starts_with(stream_id, $2) order by stream_id',
      [kind.streamType, kind.prefix],
    );
    for (const { stream_id: oldId } of rows) {
      if (keyedId.test(oldId)) continue;
      const email = oldId.slice(kind.prefix.length);
      renames.set(oldId, kind.rename(database.personalData.emailKeyOf(email)));
    }
  }
  if (renames.size === 0) return renames;
  const newIds = [...renames.values()];
  // Two spellings of one address, or a stream already under the new id, would merge two streams'
  // versions into one: refuse (nothing is written, the transaction rolls back) rather than guess.
  const clashes = await runPrepared<{ stream_id: string }>(
    tx,
    'select stream_id from streams where stream_id = any($1::text[])',
    [newIds],
  );
  if (clashes.length > 0 || new Set(newIds).size !== newIds.length) {
    throw new Error(
      `sealing legacy personal data: ${clashes.length > 0 ? 'a stream exists under the keyed id of an email stream' : 'two email streams name the same address'}; nothing was changed`,
    );
  }
  const pairs = [[...renames.keys()], newIds];
  await runPrepared(
    tx,
    `update events e set stream_id = m.new_id
       from unnest($1::text[], $2::text[]) as m(old_id, new_id) where e.stream_id = m.old_id`,
    pairs,
  );
  await runPrepared(
    tx,
    `update streams s set stream_id = m.new_id
       from unnest($1::text[], $2::text[]) as m(old_id, new_id) where s.stream_id = m.old_id`,
    pairs,
  );
  return renames;
}

/** Command results (answered again to a retried command) name the streams written: the new ids. */
async function rewriteCommandResults(tx: StrataDb, renames: ReadonlyMap<string, string>): Promise<number> {
  if (renames.size === 0) return 0;
  const rows = await runPrepared<{ command_id: string; result: string }>(
    tx,
    `select command_id, result::text as result from command_results
      where result::text like '%"user-email-%' or result::text like '%"login-%'`,
    [],
  );
  const changed: { id: string; result: string }[] = [];
  for (const row of rows) {
    const result = renamedIn(JSON.parse(row.result), renames);
    const text = JSON.stringify(result);
    if (text !== JSON.stringify(JSON.parse(row.result))) changed.push({ id: row.command_id, result: text });
  }
  if (changed.length > 0) {
    await runPrepared(
      tx,
      `update command_results c set result = v.result::jsonb
         from unnest($1::text[], $2::text[]) as v(id, result) where c.command_id = v.id`,
      [changed.map((c) => c.id), changed.map((c) => c.result)],
    );
  }
  return changed.length;
}

function renamedIn(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return renames.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => renamedIn(v, renames));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamedIn(v, renames)]));
  }
  return value;
}

type EventRow = { position: string | number; stream_id: string; type: string; data: unknown };

/** Seals every plaintext personal field, a page of events at a time; answers the streams it sealed in. */
async function sealPersonalFields(
  tx: StrataDb,
  database: Database,
  report: LegacyPersonalDataReport,
): Promise<Set<string>> {
  const definitions = new Map<string, AnyEventDefinition>(
    domainEvents.definitions.filter((d) => d.personalFields.length > 0).map((d) => [d.type, d]),
  );
  const holders = await emailHolders(tx);
  const sealedStreams = new Set<string>();
  let after = 0;
  for (;;) {
    const rows = await runPrepared<EventRow>(
      tx,
      `select position, stream_id, type, data from events
        where type = any($1::text[]) and position > $2 order by position limit $3`,
      [[...definitions.keys()], after, pageSize],
    );
    if (rows.length === 0) break;
    after = Number(rows.at(-1)!.position);

    const toSeal: {
      position: number;
      streamId: string;
      data: unknown;
      personal: { subject: string; fields: string[] };
    }[] = [];
    for (const row of rows) {
      const definition = definitions.get(row.type)!;
      let data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Record<string, unknown>;
      const fields = definition.personalFields.filter((f) => data[f] !== undefined && !isSealed(data[f]));
      if (fields.length === 0) continue;
      const position = Number(row.position);
      if (row.type === LoginFailed.type && typeof data.userId !== 'string' && typeof data.email === 'string') {
        const userId = holders.holderAt(data.email, position);
        if (userId) data = { ...data, userId };
      }
      const subject = definition.personalSubject?.(data as never, row.stream_id) ?? row.stream_id;
      toSeal.push({ position, streamId: row.stream_id, data, personal: { subject, fields } });
    }
    if (toSeal.length === 0) continue;
    // This transaction writes nothing else to the log, so it may make the keys itself.
    await database.personalData.ensureKeys(
      tx,
      toSeal.map((e) => e.personal.subject),
    );
    const sealed = await database.personalData.seal(tx, toSeal);
    await runPrepared(
      tx,
      `update events e set data = v.data::jsonb
         from unnest($1::bigint[], $2::text[]) as v(position, data) where e.position = v.position`,
      [sealed.map((e) => e.position), sealed.map((e) => JSON.stringify(e.data))],
    );
    for (const event of toSeal) sealedStreams.add(event.streamId);
    // Whose the sealed fields are: their streams' snapshots go too (a user's holds the same data).
    for (const event of toSeal)
      if (event.personal.subject !== event.streamId) sealedStreams.add(event.personal.subject);
    report.sealedEvents += toSeal.length;
  }
  return sealedStreams;
}

/**
 * Who held an email when, from the plaintext claims in the log: `holderAt` answers the user who
 * held it at a position, or else the last one who ever claimed it.
 */
async function emailHolders(tx: StrataDb) {
  const rows = await runPrepared<{ position: string | number; type: string; user_id: string; email: string }>(
    tx,
    `select position, type, data->>'userId' as user_id, data->>'email' as email from events
      where type = any($1::text[]) and jsonb_typeof(data->'email') = 'string' order by position`,
    [[EmailClaimed.type, EmailReleased.type]],
  );
  const history = new Map<string, { position: number; userId: string; claimed: boolean }[]>();
  for (const row of rows) {
    const email = normaliseEmail(row.email);
    const entries = history.get(email) ?? [];
    entries.push({ position: Number(row.position), userId: row.user_id, claimed: row.type === EmailClaimed.type });
    history.set(email, entries);
  }
  return {
    holderAt(email: string, position: number): string | undefined {
      const entries = history.get(normaliseEmail(email)) ?? [];
      let holder: string | undefined;
      for (const entry of entries) {
        if (entry.position > position) break;
        holder = entry.claimed ? entry.userId : undefined;
      }
      return holder ?? entries.findLast((e) => e.claimed)?.userId;
    },
  };
}
