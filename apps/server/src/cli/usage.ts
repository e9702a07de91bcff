/** The help of every command, printed by `--help`. */

const target = `Database:
  DATABASE_URL        a postgres:// URL; unset means embedded PGlite
  --data-dir <dir>    the PGlite folder (default: DATA_DIR or ./.data, as the api). PGlite allows one
                      process per folder: stop the api before using this command on its folder.`;

export const help = {
  strata: `strata: operate a Strata installation

Usage: strata <command> [options]

Commands:
  serve                         run the api (http, with projection workers); what npm start runs
  worker                        run projection workers only (PostgreSQL)
  migrate                       apply pending migrations, then exit
  projections status            position, lag, worker and rebuild progress of every projection
  projections rebuild <name>    replay a projection from the log into fresh tables
  events tail                   print events as they are committed (resumable with --after)
  events export                 every event after a position as NDJSON, then exit
  admin create                  create an admin account

Every command takes --help, and --data-dir <dir> (or DATABASE_URL) to choose the database.
Bad input exits with status 2, a failure with status 1.

In this repository: npx strata <command>, or npm run strata -w @strata/server -- <command>.
`,
  serve: `Usage: strata serve [options]

Runs the api: migrations, then http and the projection workers (unless --no-worker).

Options:
  --port <n>          port to listen on (default: API_PORT, PORT or 4000)
  --host <addr>       address to bind (default: API_HOST or 127.0.0.1)
  --init-admin        issue a new one-time password even if one is still valid (only while no admin exists)
  --demo              create demo users alice (admin) and bob (viewer) and print their passwords
  --no-worker         no projection workers in this process (PostgreSQL only; run \`strata worker\`)
  --help              show this help

${target}

Environment: API_PORT, WEB_ORIGIN, PUBLIC_URL, LOG_LEVEL, SNAPSHOT_EVERY, SESSION_TTL_HOURS,
             WORKER_BATCH_SIZE
`,
  worker: `Usage: strata worker [options]

Runs the asynchronous projections and reactors, without http. Each projection runs in one worker
at a time; start several for a standby. Stop with Ctrl+C or SIGTERM.

${target}

Environment: LOG_LEVEL, WORKER_BATCH_SIZE
`,
  migrate: `Usage: strata migrate [options]

Applies pending migrations and exits (under a lock, so replicas starting meanwhile wait): a
deploy can migrate before it starts new replicas.

${target}
`,
  projections: `Usage: strata projections <command>

Commands:
  status                  every projection and reactor: mode, state, position, lag, worker, rebuild
  rebuild <name>          replay one projection into fresh tables and swap them in

See strata projections <command> --help.
`,
  'projections status': `Usage: strata projections status [--json]

Prints every projection and reactor: mode (inline projections are written with each command;
async ones by a worker), state, the position it has applied, lag (events committed after it and
the age of the oldest of them), the worker holding it, and the last rebuild's progress.

Options:
  --json              one JSON document instead of the table

${target}
`,
  'projections rebuild': `Usage: strata projections rebuild <name>

Replays every event into fresh copies of the projection's tables while the live ones keep serving,
then swaps them in one transaction. Shows a progress bar (a percentage line when the output is not a
terminal). Reactors are not rebuilt: they act once per event. \`strata projections status\` lists
the names.

${target}
`,
  events: `Usage: strata events <command>

Commands:
  tail                    print events as they are committed, until Ctrl+C
  export                  print every event after a position as NDJSON, then exit

See strata events <command> --help.
`,
  'events tail': `Usage: strata events tail [--after <position>] [--type <type>] [--stream <id>] [--json]

Prints each event as it is committed, in commit order, until Ctrl+C (or SIGTERM): a readable line
(secret fields such as password hashes left out), or with --json one JSON object per line as
\`events export\` writes them. Each event shows its position; on stopping, the last one is printed
to stderr. Start again with --after <that position> to continue exactly where it stopped: nothing
missed, nothing twice.

Options:
  --after <position>  start after the event at this position (0: from the beginning); default: now
  --type <type>       only events of this type (e.g. UserCreated)
  --stream <id>       only events of this stream (e.g. user-<uuid>)
  --stream-type <t>   only events of streams of this type (e.g. user)
  --json              NDJSON instead of readable lines

${target}
`,
  'events export': `Usage: strata events export [--after <position>] [--type <type>] [--stream <id>]

Writes every event committed after the event at <position> (default 0: all of them) to stdout, one
JSON object per line, in commit order, then exits; read in pages, so any size of log works. Events
are as stored, secret fields (password hashes) included: keep the file as you keep backups. The
last position is printed to stderr: export again with --after <it> for the events since.

Options:
  --after <position>  start after the event at this position (default 0)
  --type <type>       only events of this type
  --stream <id>       only events of this stream
  --stream-type <t>   only events of streams of this type

${target}
`,
  admin: `Usage: strata admin <command>

Commands:
  create                  create an admin account (for a server whose start-up log nobody reads)

See strata admin create --help.
`,
  'admin create': `Usage: strata admin create --email <email> --name <name> [--password-stdin]

Creates an admin account the way the api does (the same command, so the email must be free). The
password is read from stdin with --password-stdin (the first line, at least 10 characters);
otherwise one is generated and printed once.

Options:
  --email <email>     the admin's email (required)
  --name <name>       the admin's name (required)
  --password-stdin    read the password from stdin, e.g. printf %s "$PW" | strata admin create ...

${target}
`,
} as const;

export type HelpTopic = keyof typeof help;
