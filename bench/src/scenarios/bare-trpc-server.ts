/**
 * The floor of the http scenario, run as a process of its own like the api: a bare tRPC v11
 * standalone server (the api's @trpc/server and superjson) whose one mutation does one INSERT
 * through postgres.js (a pool of 10, as the api's). No session, no schema library, no log line:
 * what any tRPC mutation that writes a row costs on this machine.
 *
 *   DATABASE_URL=… node --import tsx bench/src/scenarios/bare-trpc-server.ts --port <n>
 *
 * `POST /trpc/insert` with `{"json":{"title":…,"body":…}}` adds a row; `GET /trpc/health` answers
 * once it can. SIGTERM closes the server and the pool.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { initTRPC } from '@trpc/server';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import postgres from 'postgres';
import superjson from 'superjson';

interface RowInput {
  title: string;
  body: string;
}

function rowInput(value: unknown): RowInput {
  const { title, body } = (value ?? {}) as Partial<RowInput>;
  if (typeof title !== 'string' || typeof body !== 'string') throw new Error('title and body must be strings');
  return { title, body };
}

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
const url = process.env.DATABASE_URL;
if (!url || !values.port) {
  process.stderr.write('usage: DATABASE_URL=… node --import tsx bare-trpc-server.ts --port <n> [--host <addr>]\n');
  process.exit(2);
}

const sql = postgres(url, { max: 10, onnotice: () => {} });
await sql`create table if not exists bare_trpc_rows (
  id uuid primary key, title text not null, body text not null, created_at timestamptz not null default now()
)`;

const t = initTRPC.create({ transformer: superjson });
const floorRouter = t.router({
  health: t.procedure.query(() => ({ ok: true })),
  insert: t.procedure.input(rowInput).mutation(async ({ input }) => {
    const id = randomUUID();
    await sql`insert into bare_trpc_rows (id, title, body) values (${id}, ${input.title}, ${input.body})`;
    return { id };
  }),
});

const server = createHTTPServer({ router: floorRouter, basePath: '/trpc/' });
server.listen(Number(values.port), values.host ?? '127.0.0.1');

const stop = () => {
  server.closeAllConnections();
  server.close(() => void sql.end({ timeout: 2 }).finally(() => process.exit(0)));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
