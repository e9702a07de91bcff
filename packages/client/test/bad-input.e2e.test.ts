import { queryRows, sql } from '@strata/db';
import superjson from 'superjson';
import { beforeAll, expect, it } from 'vitest';
import type { StrataClient } from '../src/index.ts';
import { describeOnEachEngine, type TestApi, useTestApi } from './harness.ts';

/**
 * Input that used to reach the database and fail there (500, and sometimes an event on the way):
 * each must now be a 400 that names the field, and leave the log as it was. Sent as raw HTTP, not
 * through the SDK, so the status checked is the one on the wire and the types cannot object.
 */

/** The latest instant JavaScript can hold: 13 September 275760. */
const year275760 = new Date(8.64e15);
/** A cursor as the api encodes them, with parts no list ever handed out. */
const forgedCursor = (...parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

interface BadInput {
  name: string;
  procedure: string;
  kind: 'query' | 'mutation';
  /** Built when the case runs, from the rows the suite created first. */
  input: () => unknown;
  field: string;
  /** Sent without a session (public procedures). */
  anonymous?: boolean;
}

describeOnEachEngine('bad input over HTTP', (engine) => {
  let api: TestApi;
  let root: StrataClient;
  let token: string;
  let userId: string;
  let articleId: string;

  /** Everything an append leaves behind: events, streams and remembered command results. */
  async function logSize() {
    const [row] = await queryRows<{ events: number; streams: number; commands: number }>(
      api.app.database.db,
      sql`select (select count(*) from events)::int as events, (select count(*) from streams)::int as streams,
                   (select count(*) from command_results)::int as commands`,
    );
    return row;
  }

  /** One call as plain HTTP: its status and the field errors the api answered with. */
  async function send(call: BadInput) {
    const payload = JSON.stringify(superjson.serialize(call.input()));
    const headers: Record<string, string> = call.anonymous ? {} : { authorization: `Bearer ${token}` };
    const response =
      call.kind === 'query'
        ? await fetch(`${api.url}/trpc/${call.procedure}?input=${encodeURIComponent(payload)}`, { headers })
        : await fetch(`${api.url}/trpc/${call.procedure}`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: payload,
          });
    const body = (await response.json()) as {
      error?: { json?: { message?: string; data?: { fieldErrors?: Record<string, string[]> | null } } };
    };
    return { status: response.status, error: body.error?.json };
  }

  useTestApi(engine, {}, (suite) => ({ api, root, rootToken: token } = suite));
  beforeAll(async () => {
    ({ userId } = await root.users.create.mutate({
      email: 'target@example.com',
      name: 'Target',
      role: 'viewer',
      password: 'target-password-1',
    }));
    ({ articleId } = await root.articles.draft.mutate({ title: 'A title', body: 'A body.' }));
  });

  const cases: BadInput[] = [
    {
      name: 'an expectedVersion of 2^31 (versions are PostgreSQL integers)',
      procedure: 'users.rename',
      kind: 'mutation',
      input: () => ({ userId, name: 'Renamed', expectedVersion: 2 ** 31 }),
      field: 'expectedVersion',
    },
    {
      name: 'a version of 2^31 to travel to',
      procedure: 'users.asOf',
      kind: 'query',
      input: () => ({ userId, version: 2 ** 31 }),
      field: 'version',
    },
    {
      name: 'a NUL character in the email of a login',
      procedure: 'auth.login',
      kind: 'mutation',
      input: () => ({ email: 'target\u0000@example.com', password: 'target-password-1' }),
      field: 'email',
      anonymous: true,
    },
    {
      name: 'a NUL character in the email of a new user',
      procedure: 'users.create',
      kind: 'mutation',
      input: () => ({ email: 'new\u0000@example.com', name: 'New', role: 'viewer', password: 'new-password-1' }),
      field: 'email',
    },
    {
      name: 'a NUL character in a user search',
      procedure: 'users.list',
      kind: 'query',
      input: () => ({ search: 'tar\u0000get' }),
      field: 'search',
    },
    {
      name: 'a NUL character in a full-text search',
      procedure: 'articles.search',
      kind: 'query',
      input: () => ({ q: 'title\u0000' }),
      field: 'q',
    },
    {
      name: 'a NUL character in an item search',
      procedure: 'inventory.list',
      kind: 'query',
      input: () => ({ search: '\u0000' }),
      field: 'search',
    },
    {
      name: 'an unpaired surrogate in the title of a new article',
      procedure: 'articles.draft',
      kind: 'mutation',
      input: () => ({ title: 'Broken \uD800 title', body: 'A body.' }),
      field: 'title',
    },
    {
      name: 'an unpaired surrogate in an edited title',
      procedure: 'articles.edit',
      kind: 'mutation',
      input: () => ({ articleId, title: 'Broken \uDC00 title' }),
      field: 'title',
    },
    {
      name: 'an unpaired surrogate in a wallet owner id',
      procedure: 'wallets.open',
      kind: 'mutation',
      input: () => ({ ownerId: 'owner-\uD83D' }),
      field: 'ownerId',
    },
    {
      name: 'an unpaired surrogate in a command id',
      procedure: 'users.rename',
      kind: 'mutation',
      input: () => ({ userId, name: 'Renamed', commandId: 'rename-\uDC00-command' }),
      field: 'commandId',
    },
    {
      name: 'an unpaired surrogate in an event stream id filter',
      procedure: 'events.list',
      kind: 'query',
      input: () => ({ streamId: 'user-\uD800' }),
      field: 'streamId',
    },
    {
      name: 'a date in the year 275760 to browse events from',
      procedure: 'events.list',
      kind: 'query',
      input: () => ({ from: year275760 }),
      field: 'from',
    },
    {
      name: 'a date in the year 275760 to travel to',
      procedure: 'users.asOf',
      kind: 'query',
      input: () => ({ userId, at: year275760 }),
      field: 'at',
    },
    {
      name: 'a forged users cursor whose time is no time ("Invalid time value")',
      procedure: 'users.list',
      kind: 'query',
      input: () => ({ cursor: forgedCursor('not a time', 'x') }),
      field: 'cursor',
    },
    {
      name: 'a forged orders cursor past the last date JavaScript can hold',
      procedure: 'orders.list',
      kind: 'query',
      input: () => ({ cursor: forgedCursor(8.64e15 + 1, 'x') }),
      field: 'cursor',
    },
    {
      name: 'a forged articles cursor in the year 275760',
      procedure: 'articles.list',
      kind: 'query',
      input: () => ({ cursor: forgedCursor(8.64e15, 'x') }),
      field: 'cursor',
    },
    {
      name: 'a forged wallets cursor with a fractional time',
      procedure: 'wallets.list',
      kind: 'query',
      input: () => ({ cursor: forgedCursor(0.5, 'x') }),
      field: 'cursor',
    },
    {
      name: 'a forged sales cursor with revenue beyond a bigint',
      procedure: 'inventory.sales',
      kind: 'query',
      input: () => ({ cursor: forgedCursor(1e300, 'X') }),
      field: 'cursor',
    },
    {
      name: 'a forged items cursor holding a NUL character',
      procedure: 'inventory.list',
      kind: 'query',
      input: () => ({ cursor: forgedCursor('A\u0000') }),
      field: 'cursor',
    },
    {
      name: 'a cursor that is not a cursor at all',
      procedure: 'users.list',
      kind: 'query',
      input: () => ({ cursor: '%%% not base64 %%%' }),
      field: 'cursor',
    },
  ];

  for (const call of cases) {
    it(`answers 400 naming ${call.field} for ${call.name}, and appends nothing`, async () => {
      const before = await logSize();
      const { status, error } = await send(call);
      expect({ status, fieldErrors: error?.data?.fieldErrors }).toMatchObject({
        status: 400,
        fieldErrors: { [call.field]: [expect.any(String)] },
      });
      expect(await logSize()).toEqual(before);
    });
  }

  it('still answers the same calls with good input', async () => {
    const page = await root.users.list.query({ limit: 1 });
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = await root.users.list.query({ limit: 1, cursor: page.nextCursor ?? undefined });
    expect(next.items.map((u) => u.userId)).not.toEqual(page.items.map((u) => u.userId));
    const renamed = await root.users.rename.mutate({ userId, name: 'Renamed \u{1F600}', expectedVersion: 1 });
    expect(renamed.version).toBe(2);
    const asOf = await root.users.asOf.query({ userId, at: new Date() });
    expect(asOf).toMatchObject({ exists: true, version: 2 });
  });
});
