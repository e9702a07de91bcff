/**
 * HTTP load from autocannon: `concurrency` keep-alive connections, each sending its next tRPC
 * mutation as soon as the previous answer arrives (closed loop, no pipelining), every request with
 * a body made for it (superjson's `{"json": input}`), so ids, slugs and wallets differ per call.
 * Latencies are taken from autocannon's per-response timings (sub-millisecond, 2xx only) rather
 * than its histogram, which counts whole milliseconds.
 */
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { percentile } from '../measure.ts';

export interface HttpLoad {
  /** The server, e.g. `http://127.0.0.1:4000`. */
  url: string;
  /** The tRPC procedure, e.g. `wallets.topUp`. */
  procedure: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string | undefined;
  concurrency: number;
  /** The procedure's input for the next request. */
  input: () => unknown;
}

export interface HttpLoadResult {
  /** Requests answered 2xx. */
  requests: number;
  seconds: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 2xx, connection errors and timeouts. */
  failed: number;
  /** Failures by status code (`error` for a request that got no answer), for the log. */
  failures: Record<string, number>;
}

export async function driveHttp(load: HttpLoad, seconds: number): Promise<HttpLoadResult> {
  const latencies: number[] = [];
  // Without a callback autocannon returns its run, an emitter that is also a promise of the result.
  const instance = autocannon({
    url: `${load.url}/trpc/${load.procedure}`,
    method: 'POST',
    connections: load.concurrency,
    pipelining: 1,
    duration: seconds,
    // A request the server has not answered in 30 s counts as failed (autocannon's default is 10 s).
    timeout: 30,
    headers: {
      'content-type': 'application/json',
      ...(load.token ? { authorization: `Bearer ${load.token}` } : {}),
    },
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ json: load.input() }) }) }],
  }) as unknown as EventEmitter & PromiseLike<autocannon.Result>;
  // autocannon 9 emits (client, statusCode, bytes, ms); @types/autocannon 7 leaves out the client.
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const failures: Record<string, number> = {};
  for (const [code, { count = 0 }] of Object.entries(result.statusCodeStats ?? {})) {
    if (!code.startsWith('2')) failures[code] = count;
  }
  if (result.errors > 0) failures.error = result.errors;
  return {
    requests: latencies.length,
    seconds: result.duration,
    opsPerSec: latencies.length / result.duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    failed: result.non2xx + result.errors,
    failures,
  };
}
