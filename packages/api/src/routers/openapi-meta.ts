import type { OpenApiMeta } from 'trpc-to-openapi';

type Path = `/${string}`;
interface Options {
  /** Callable without a bearer token (default: a token is needed). */
  public?: boolean;
  description?: string;
}

const tagOf = (path: Path) => path.split('/')[1] ?? 'api';

/**
 * The errors an operation may answer, as the one error mapper (errors.ts) makes them; the body of
 * each is `{ message, code, data }` (see the document's `error.*` schemas).
 */
function errorResponses(kind: 'command' | 'query', options: Options): Record<number, string> {
  const responses: Record<number, string> = { 400: 'Invalid input: `data.fieldErrors` names the fields' };
  if (!options.public) responses[401] = 'No valid bearer token';
  if (!options.public && kind === 'command') responses[403] = 'Only admins can change things';
  responses[404] = 'Not found';
  if (kind === 'query') responses[408] = 'The read model did not reach `minPosition` in time; retry';
  if (kind === 'command') {
    responses[409] = 'Someone changed it first (`data.conflict`): reload and retry';
    responses[412] = 'A rule refused it (`data.domainCode`, `data.domainDetails`)';
  }
  if (options.public && kind === 'command') responses[429] = 'Too many attempts from this address; wait';
  responses[500] = 'Internal error (details only in the server log)';
  responses[503] = 'The database is unavailable: the same call may succeed shortly (`data.retryable`)';
  return responses;
}

function meta(method: 'GET' | 'POST', kind: 'command' | 'query', path: Path, summary: string, options: Options) {
  const openapi: OpenApiMeta['openapi'] = {
    method,
    path,
    summary,
    description: options.description,
    tags: [tagOf(path)],
    protect: !options.public,
    errorResponses: errorResponses(kind, options),
  };
  return { openapi } satisfies OpenApiMeta;
}

/** A mutation under /api: `POST <path>` with its input as the JSON body. */
export const command = (path: Path, summary: string, options: Options = {}) =>
  meta('POST', 'command', path, summary, options);

/** A query under /api: `GET <path>` with its input as query parameters. */
export const query = (path: Path, summary: string, options: Options = {}) =>
  meta('GET', 'query', path, summary, options);
