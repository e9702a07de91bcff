import type { App } from '@strata/api';
import { type Database, observeStore, projectionStatuses, queryRows, sql } from '@strata/db';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The api's Prometheus metrics, on a registry of its own (tests run many apps in one process).
 * Counters and histograms are fed as things happen; projection standings and the database's
 * connections are read when Prometheus scrapes. Store numbers (appends, group-commit batches) come
 * from the store's observer and are the process's: one api per process in production.
 */
export function createApiMetrics(app: App, options: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'strata_' });

  const calls = new Counter({
    name: 'strata_calls_total',
    help: 'tRPC calls (commands are type="mutation") by procedure, type and outcome (ok or the error code)',
    labelNames: ['procedure', 'type', 'outcome'] as const,
    registers: [registry],
  });
  const callSeconds = new Histogram({
    name: 'strata_call_duration_seconds',
    help: 'How long a tRPC call took in the api, by procedure, type and outcome',
    labelNames: ['procedure', 'type', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const appends = new Counter({
    name: 'strata_appends_total',
    help: 'Append requests answered by the store, by outcome (appended, duplicate, conflict)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const events = new Counter({
    name: 'strata_events_appended_total',
    help: 'Events appended (an append inside a transaction that later rolls back is counted too)',
    registers: [registry],
  });
  const batchRequests = new Histogram({
    name: 'strata_group_commit_batch_requests',
    help: 'Append requests per group-commit batch (one statement and one commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [registry],
  });
  const batchEvents = new Histogram({
    name: 'strata_group_commit_batch_events',
    help: 'Events per group-commit batch',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096],
    registers: [registry],
  });
  const stopObserving = observeStore({
    appended({ outcome, events: count }) {
      appends.inc({ outcome });
      if (count > 0) events.inc(count);
    },
    batchCommitted({ requests, events: count }) {
      batchRequests.observe(requests);
      batchEvents.observe(count);
    },
  });

  const projectionLabels = ['projection', 'kind', 'mode'] as const;
  const position = new Gauge({
    name: 'strata_projection_position',
    help: 'Position of the last event each projection or reactor has applied',
    labelNames: projectionLabels,
    registers: [registry],
  });
  const lagEvents = new Gauge({
    name: 'strata_projection_lag_events',
    help: 'Events committed that the projection has not applied yet',
    labelNames: projectionLabels,
    registers: [registry],
  });
  const lagSeconds = new Gauge({
    name: 'strata_projection_lag_seconds',
    help: 'Age of the oldest event the projection has not applied yet',
    labelNames: projectionLabels,
    registers: [registry],
  });
  const worker = new Gauge({
    name: 'strata_projection_worker',
    help: 'Always 1: which worker holds each async projection (worker_id is empty when none) and its state',
    labelNames: ['projection', 'worker_id', 'state'] as const,
    registers: [registry],
  });
  const head = new Gauge({
    name: 'strata_head_position',
    help: 'Position of the newest committed event',
    registers: [registry],
  });
  const poolMax = new Gauge({
    name: 'strata_db_pool_max_connections',
    help: "Connections this process's query pool may open (PGlite: 1, in process)",
    registers: [registry],
  });
  const connections = new Gauge({
    name: 'strata_db_connections',
    help: "Connections to Strata's database from every process, by state (pg_stat_activity; PostgreSQL only)",
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const up = new Gauge({
    name: 'strata_database_up',
    help: '1 when the last scrape could read projection standings from the database, 0 otherwise',
    registers: [registry],
  });
  poolMax.set(poolSizeOf(app.database));

  /** Reads what is only known by asking the database; a database that is down only sets `up` to 0. */
  async function refresh() {
    for (const gauge of [position, lagEvents, lagSeconds, worker, connections]) gauge.reset();
    try {
      const statuses = await projectionStatuses(app.database, app.projections, app.reactors);
      for (const status of statuses) {
        const labels = { projection: status.name, kind: status.kind, mode: status.mode };
        position.set(labels, status.position);
        lagEvents.set(labels, status.lag);
        lagSeconds.set(labels, status.lagSeconds);
        worker.set({ projection: status.name, worker_id: status.workerId ?? '', state: status.state }, 1);
        head.set(status.headPosition);
      }
      if (app.database.engine === 'postgres') {
        const rows = await queryRows<{ state: string | null; count: string | number }>(
          app.database.db,
          sql`select coalesce(state, 'unknown') as state, count(*) as count from pg_stat_activity
               where datname = current_database() group by 1`,
        );
        for (const row of rows) connections.set({ state: row.state ?? 'unknown' }, Number(row.count));
      }
      up.set(1);
    } catch (error) {
      up.set(0);
      app.logger.warn({ err: error }, 'metrics: the database could not be read');
    }
  }

  return {
    registry,
    contentType: registry.contentType,
    /** One finished tRPC call. */
    recordCall(call: { procedure: string; type: string; outcome: string; seconds: number }) {
      const labels = { procedure: call.procedure, type: call.type, outcome: call.outcome };
      calls.inc(labels);
      callSeconds.observe(labels, call.seconds);
    },
    /** The Prometheus text exposition, with the database's numbers read now. */
    async scrape(): Promise<string> {
      await refresh();
      return registry.metrics();
    },
    /** Stops listening to the store (the server calls it when it closes). */
    close() {
      stopObserving();
      registry.clear();
    },
  };
}
export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/**
 * postgres.js tells nothing about its pool but the size it was opened with; PGlite is one
 * connection in this process.
 */
function poolSizeOf(database: Database): number {
  if (database.engine === 'pglite') return 1;
  const client = (database.db as unknown as { $client?: { options?: { max?: number } } }).$client;
  return client?.options?.max ?? 0;
}
