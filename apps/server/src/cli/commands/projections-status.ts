import { readModels } from '@strata/api';
import { type ProjectionStatus, projectionStatuses } from '@strata/db';
import { domainEvents } from '@strata/domain';
import { parseCommand } from '../args.ts';
import { count } from '../output.ts';
import { formatTable } from '../table.ts';
import { targetOf, withDatabase } from '../target.ts';

function rebuildCell(rebuild: ProjectionStatus['rebuild']): string {
  if (!rebuild) return '-';
  const percent = rebuild.eventsTotal > 0 ? Math.floor((rebuild.eventsDone / rebuild.eventsTotal) * 100) : 100;
  if (rebuild.status === 'running') {
    return `running ${percent}% (${count(rebuild.eventsDone)}/${count(rebuild.eventsTotal)})`;
  }
  const when = (rebuild.finishedAt ?? rebuild.startedAt).toISOString().replace(/\.\d+Z$/, 'Z');
  return rebuild.status === 'done' ? `done ${when}` : `failed ${when}: ${rebuild.error ?? ''}`;
}

/** `strata projections status`: one row per projection and reactor, or `--json`. */
export async function projectionsStatusCommand(args: string[]): Promise<void> {
  const { values } = parseCommand(args, { json: { type: 'boolean' } });
  const { projections, reactors } = readModels(domainEvents);
  const statuses = await withDatabase(targetOf(values), { existing: true }, (database) =>
    projectionStatuses(database, projections, reactors),
  );
  if (values.json) {
    process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
    return;
  }
  const rows = statuses.map((s) => [
    s.name,
    s.kind === 'reactor' ? 'reactor' : s.mode,
    s.state,
    String(s.position),
    count(s.lag),
    s.lagSeconds.toFixed(1),
    s.workerId ?? '-',
    rebuildCell(s.rebuild),
  ]);
  const head = statuses[0]?.headPosition ?? 0;
  process.stdout.write(
    `${formatTable(['NAME', 'MODE', 'STATE', 'POSITION', 'LAG', 'LAG S', 'WORKER', 'REBUILD'], rows)}\n\nhead of the log: position ${head}\n`,
  );
  const failed = statuses.filter((s) => s.lastError);
  for (const s of failed) process.stdout.write(`${s.name} failed: ${s.lastError}\n`);
}
