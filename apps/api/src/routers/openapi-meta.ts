import type { OpenApiMeta } from 'trpc-to-openapi';

type Path = `/${string}`;
interface Options {
  /** Callable without a bearer token (default: a token is needed). */
  public?: boolean;
  description?: string;
}

const tagOf = (path: Path) => path.split('/')[1] ?? 'api';

function meta(method: 'GET' | 'POST', path: Path, summary: string, options: Options): OpenApiMeta {
  return {
    openapi: {
      method,
      path,
      summary,
      description: options.description,
      tags: [tagOf(path)],
      protect: !options.public,
    },
  };
}

/** A mutation under /api: `POST <path>` with its input as the JSON body. */
export const command = (path: Path, summary: string, options: Options = {}) => meta('POST', path, summary, options);

/** A query under /api: `GET <path>` with its input as query parameters. */
export const query = (path: Path, summary: string, options: Options = {}) => meta('GET', path, summary, options);

/** A query whose input does not fit query parameters (nested or many): `POST <path>` with a JSON body. */
export const queryWithBody = (path: Path, summary: string, options: Options = {}) =>
  meta('POST', path, summary, options);
