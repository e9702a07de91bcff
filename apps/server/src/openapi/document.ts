import { appRouter } from '@strata/api';
import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';

/** Where the procedures answer as plain JSON: `POST /api/users/create`, `GET /api/users/by-id`. */
export const openApiBasePath = '/api';

let cached: OpenAPIObject | undefined;

/** What the one error formatter (trpc.ts) adds to every error, over /api as over tRPC. */
const errorData = z.object({
  code: z.string().meta({ description: 'The error code, e.g. BAD_REQUEST, CONFLICT, PRECONDITION_FAILED' }),
  httpStatus: z.int(),
  retryable: z.boolean().meta({ description: 'The same call may succeed if sent again shortly (503)' }),
  path: z.string().optional(),
  fieldErrors: z
    .record(z.string(), z.array(z.string()))
    .nullable()
    .meta({ description: "Messages per input field, e.g. { 'lines.0.sku': ['…'] } (BAD_REQUEST)" }),
  domainCode: z.string().nullable().meta({ description: "The domain rule's stable code, e.g. user.email_taken" }),
  domainDetails: z.record(z.string(), z.unknown()).nullable(),
  conflict: z
    .object({ streamId: z.string(), expected: z.unknown(), actual: z.int() })
    .nullable()
    .meta({ description: 'Who changed the stream first (CONFLICT)' }),
});

/** The generator describes `{ message, code, issues }`; the api's errors also carry `data`. */
function withErrorData(document: OpenAPIObject): OpenAPIObject {
  const data = z.toJSONSchema(errorData, { target: 'draft-2020-12' });
  delete data.$schema;
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if (!name.startsWith('error.') || !('properties' in schema) || !schema.properties) continue;
    schema.properties.data = data as never;
  }
  return document;
}

/**
 * The OpenAPI 3.1 document of every query and mutation, generated from the router's zod schemas
 * and `meta.openapi` (subscriptions have no place in OpenAPI: `events.live` is SSE over tRPC).
 * The same router always yields the same document; `npm run openapi -w @strata/server` writes it to
 * apps/server/openapi.json.
 */
export function openApiDocument(): OpenAPIObject {
  cached ??= generateDocument();
  return cached;
}

/** A fresh document (no cache): what `openApiDocument` answers. */
export function generateDocument(): OpenAPIObject {
  return withErrorData(
    generateOpenApiDocument(appRouter, {
      title: 'Strata API',
      description:
        'The Strata admin platform as plain JSON over HTTP. Send `Authorization: Bearer <token>` with the token ' +
        '`POST /api/auth/login` answers. Errors answer `{ message, code, data: { fieldErrors, domainCode, ... } }` ' +
        'with the HTTP status of their code.',
      version: '1.0.0',
      openApiVersion: '3.1.0',
      baseUrl: openApiBasePath,
    }),
  );
}
