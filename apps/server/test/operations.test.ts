import { createApp, issueBootstrapPassword } from '@strata/api';
import type { Engine } from '@strata/db';
import { createTestDatabase, type TestDatabase, testEngines } from '@strata/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { type ApiServer, startApiServer } from '../src/server.ts';

/** A sample line of the Prometheus text format: `name{label="value",…} number`. */
const sampleLine =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?([0-9.e+-]+|NaN|\+Inf|-Inf)$/;

/** Every line is a comment (HELP/TYPE) or a sample; returns the samples as `series → value`. */
function parsePrometheusText(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    expect(line, 'a Prometheus sample line').toMatch(sampleLine);
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

const sampleOf = (samples: Map<string, number>, series: string) => {
  const value = samples.get(series);
  if (value === undefined) throw new Error(`no series ${series} in the metrics`);
  return value;
};

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`health and metrics on ${engine.name}`, () => {
    let test: TestDatabase | undefined;
    let server: ApiServer | undefined;
    afterEach(async () => {
      await server?.close();
      // A test may have closed the database already: closing twice is harmless, dropping is not optional.
      await test?.drop().catch(() => {});
      server = undefined;
      test = undefined;
    });

    async function start(name: Engine, options: { migrate?: boolean } = {}) {
      test = await createTestDatabase(name, options);
      const app = createApp({ database: test.database, logger: createLogger('silent') });
      server = await startApiServer({ app, port: 0 });
      return { app, server, database: test.database };
    }

    it('answers healthz always, readyz 200 while the database answers and 503 once it is gone', async () => {
      const { server, database } = await start(engine.name);
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });

      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { status: string; migrations: { pending: string[]; applied: number } };
      expect(body.status).toBe('ready');
      expect(body.migrations.pending).toEqual([]);
      expect(body.migrations.applied).toBeGreaterThan(0);

      await database.close();
      const gone = await fetch(`${server.url}/readyz`);
      expect(gone.status).toBe(503);
      expect(gone.headers.get('retry-after')).toBe('2');
      expect(await gone.json()).toEqual({ status: 'unavailable', reason: 'the database cannot be reached' });
      // The process is alive all the same.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      // Metrics still answer, saying the database could not be read.
      const metrics = parsePrometheusText(await (await fetch(`${server.url}/metrics`)).text());
      expect(sampleOf(metrics, 'strata_database_up')).toBe(0);
    });

    it('answers readyz 503 naming the migrations a database has not applied', async () => {
      const { server } = await start(engine.name, { migrate: false });
      const response = await fetch(`${server.url}/readyz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { reason: string; migrations: { pending: string[]; applied: number } };
      expect(body.reason).toMatch(/migrations are pending/);
      expect(body.migrations.applied).toBe(0);
      expect(body.migrations.pending[0]).toBe('0000_event_store');
    });

    it('exports calls, appends, batches, projections and the pool in the Prometheus text format', async () => {
      const { app, server } = await start(engine.name);
      const oneTimePassword = await issueBootstrapPassword(app);
      const bootstrap = await fetch(`${server.url}/api/auth/bootstrap-admin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'root@example.com', name: 'Root', password: 'root-password-1', oneTimePassword }),
      });
      expect(bootstrap.status).toBe(200);
      const refused = await fetch(`${server.url}/api/users/list`);
      expect(refused.status).toBe(401);

      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const metrics = parsePrometheusText(await response.text());

      const bootstrapCall = 'procedure="auth.bootstrapAdmin",type="mutation",outcome="ok"';
      expect(sampleOf(metrics, `strata_calls_total{${bootstrapCall}}`)).toBe(1);
      expect(sampleOf(metrics, `strata_call_duration_seconds_count{${bootstrapCall}}`)).toBe(1);
      expect(sampleOf(metrics, `strata_call_duration_seconds_bucket{le="+Inf",${bootstrapCall}}`)).toBe(1);
      expect(sampleOf(metrics, 'strata_calls_total{procedure="users.list",type="query",outcome="UNAUTHORIZED"}')).toBe(
        1,
      );
      // Store numbers are the process's (other tests' apps share it): at least this test's appends.
      expect(sampleOf(metrics, 'strata_appends_total{outcome="appended"}')).toBeGreaterThanOrEqual(2);
      expect(sampleOf(metrics, 'strata_events_appended_total')).toBeGreaterThanOrEqual(2);
      expect(metrics.has('strata_group_commit_batch_requests_bucket{le="1"}')).toBe(true);
      expect(metrics.has('strata_group_commit_batch_events_count')).toBe(true);
      expect(sampleOf(metrics, 'strata_head_position')).toBeGreaterThanOrEqual(2);
      expect(sampleOf(metrics, 'strata_projection_position{projection="users",kind="projection",mode="inline"}')).toBe(
        sampleOf(metrics, 'strata_head_position'),
      );
      // No worker runs here: the async projections stand behind, held by nobody.
      const statsLag = sampleOf(
        metrics,
        'strata_projection_lag_events{projection="event_stats",kind="projection",mode="async"}',
      );
      expect(statsLag).toBeGreaterThanOrEqual(2);
      expect(
        sampleOf(metrics, 'strata_projection_lag_seconds{projection="event_stats",kind="projection",mode="async"}'),
      ).toBeGreaterThanOrEqual(0);
      expect(sampleOf(metrics, 'strata_projection_worker{projection="event_stats",worker_id="",state="stopped"}')).toBe(
        1,
      );
      expect(
        metrics.has('strata_projection_position{projection="role-change-notifications",kind="reactor",mode="async"}'),
      ).toBe(true);
      expect(sampleOf(metrics, 'strata_db_pool_max_connections')).toBe(engine.name === 'pglite' ? 1 : 40);
      if (engine.name === 'postgres') {
        const connections = [...metrics].filter(([series]) => series.startsWith('strata_db_connections{'));
        expect(connections.length).toBeGreaterThan(0);
      }
      expect(sampleOf(metrics, 'strata_database_up')).toBe(1);
      expect(metrics.has('strata_process_resident_memory_bytes')).toBe(true);
    });

    it('shows which worker holds a projection once one runs', async () => {
      const { app, server } = await start(engine.name);
      const worker = app.createWorker({ pollIntervalMs: 20, lockRetryMs: 50 });
      await worker.start();
      try {
        let text = '';
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline) {
          text = await (await fetch(`${server.url}/metrics`)).text();
          if (text.includes(`strata_projection_worker{projection="event_stats",worker_id="${worker.workerId}"`)) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(text).toContain(`strata_projection_worker{projection="event_stats",worker_id="${worker.workerId}"`);
      } finally {
        await worker.stop();
      }
    });
  });
}
