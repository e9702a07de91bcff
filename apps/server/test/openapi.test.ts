import { readFileSync } from 'node:fs';
import { appRouter, createApp, issueBootstrapPassword } from '@strata/api';
import { createTestDatabase, type TestDatabase, testEngines } from '@strata/db/testing';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFile, documentText, refreshCommand, typesFile, typesText } from '../scripts/openapi-artifacts.ts';
import { createLogger } from '../src/logger.ts';
import { generateDocument, openApiDocument } from '../src/openapi/document.ts';
import { type ApiServer, startApiServer } from '../src/server.ts';
import type { paths } from './openapi/strata-api.ts';

describe('the OpenAPI document', () => {
  it('is what the router yields, the same on every run, and committed as it is', () => {
    expect(JSON.stringify(generateDocument())).toBe(JSON.stringify(generateDocument()));
    const fresh = documentText();
    const committed = readFileSync(documentFile, 'utf8');
    if (fresh !== committed) {
      throw new Error(
        `apps/server/openapi.json is stale (the router changed): run \`${refreshCommand}\` and commit it`,
      );
    }
  });

  it('comes with the TypeScript types openapi-typescript makes of it', async () => {
    const fresh = await typesText(readFileSync(documentFile, 'utf8'));
    if (fresh !== readFileSync(typesFile, 'utf8')) {
      throw new Error(`apps/server/test/openapi/strata-api.ts is stale: run \`${refreshCommand}\` and commit it`);
    }
  });

  it('covers every query and mutation; subscriptions stay on tRPC', () => {
    const uncovered: string[] = [];
    const subscriptions: string[] = [];
    for (const [path, procedure] of Object.entries(appRouter._def.procedures)) {
      const def = (procedure as unknown as { _def: { type: string; meta?: { openapi?: unknown } } })._def;
      if (def.type === 'subscription') subscriptions.push(path);
      else if (!def.meta?.openapi) uncovered.push(path);
    }
    expect(uncovered).toEqual([]);
    expect(subscriptions).toEqual(['events.live']);
    const operations = Object.values(openApiDocument().paths ?? {}).flatMap((item) => Object.keys(item ?? {}));
    expect(operations.length).toBe(Object.keys(appRouter._def.procedures).length - subscriptions.length);
  });
});

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`plain JSON over /api on ${engine.name}`, () => {
    let test: TestDatabase;
    let server: ApiServer;
    let oneTimePassword: string;
    beforeAll(async () => {
      test = await createTestDatabase(engine.name);
      const app = createApp({ database: test.database, logger: createLogger('silent') });
      oneTimePassword = (await issueBootstrapPassword(app)) ?? '';
      server = await startApiServer({ app, port: 0, processMetrics: false });
    });
    afterAll(async () => {
      await server?.close();
      await test?.drop();
    });

    it('runs a scenario with a client generated from the document: sign in, create a user, read its history', async () => {
      // openapi-fetch typed by the types openapi-typescript generated from apps/server/openapi.json.
      const api = createClient<paths>({ baseUrl: `${server.url}/api` });
      const admin = { email: 'root@example.com', name: 'Root', password: 'root-password-1' };
      const bootstrap = await api.POST('/auth/bootstrap-admin', { body: { ...admin, oneTimePassword } });
      expect(bootstrap.response.status).toBe(200);
      expect(bootstrap.data?.user.role).toBe('admin');

      const signIn = await api.POST('/auth/login', { body: { email: admin.email, password: admin.password } });
      expect(signIn.response.status).toBe(200);
      const token = signIn.data?.token ?? '';
      expect(Date.parse(signIn.data?.expiresAt ?? '')).toBeGreaterThan(Date.now());
      const headers = { authorization: `Bearer ${token}` };

      const created = await api.POST('/users/create', {
        headers,
        body: { email: 'ada@example.com', name: 'Ada', role: 'viewer', password: 'ada-password-1' },
      });
      expect(created.response.status).toBe(200);
      const userId = created.data?.userId ?? '';
      expect(created.data?.version).toBe(1);

      const history = await api.GET('/users/history', { headers, params: { query: { userId } } });
      expect(history.response.status).toBe(200);
      expect(history.data?.map((event) => event.type)).toEqual(['UserCreated']);
      const [event] = history.data ?? [];
      expect(event?.actorName).toBe('Root');
      expect(new Date(event?.recordedAt ?? '').toISOString()).toBe(event?.recordedAt);
      expect(JSON.stringify(event?.data)).not.toContain('passwordHash');

      const user = await api.GET('/users/by-id', {
        headers,
        params: { query: { userId, minPosition: created.data?.position } },
      });
      expect(user.data).toMatchObject({ userId, email: 'ada@example.com', name: 'Ada', role: 'viewer', version: 1 });

      const page = await api.GET('/users/list', { headers, params: { query: { limit: 1, role: 'viewer' } } });
      expect(page.data?.items.map((u) => u.email)).toEqual(['ada@example.com']);
    });

    it('maps errors as tRPC does: field messages, status codes, nothing of SQL or stacks', async () => {
      const api = createClient<paths>({ baseUrl: `${server.url}/api` });
      const anonymous = await api.GET('/users/list', { params: { query: {} } });
      expect(anonymous.response.status).toBe(401);
      expect(anonymous.error).toMatchObject({ code: 'UNAUTHORIZED', message: 'sign in first' });

      const { data } = await api.POST('/auth/login', {
        body: { email: 'root@example.com', password: 'root-password-1' },
      });
      const headers = { authorization: `Bearer ${data?.token}` };
      const invalid = await api.POST('/users/create', {
        headers,
        body: { email: 'not an email', name: '', role: 'viewer', password: 'short' },
      });
      expect(invalid.response.status).toBe(400);
      const body = invalid.error as unknown as { code: string; data: { fieldErrors: Record<string, string[]> } };
      expect(body.code).toBe('BAD_REQUEST');
      expect(Object.keys(body.data.fieldErrors).sort()).toEqual(['email', 'name', 'password']);

      const taken = await api.POST('/users/create', {
        headers,
        body: { email: 'ROOT@example.com', name: 'Twin', role: 'viewer', password: 'twin-password-1' },
      });
      expect(taken.response.status).toBe(412);
      expect(taken.error).toMatchObject({ code: 'PRECONDITION_FAILED', data: { domainCode: 'user.email_taken' } });

      const missing = await api.GET('/users/by-id', {
        headers,
        params: { query: { userId: '00000000-0000-4000-8000-000000000000' } },
      });
      expect(missing.response.status).toBe(404);

      const badQuery = await fetch(`${server.url}/api/users/list?limit=abc`, { headers });
      expect(badQuery.status).toBe(400);
      const unknown = await fetch(`${server.url}/api/no/such/thing`, { headers });
      expect(unknown.status).toBe(404);
      for (const text of [JSON.stringify(invalid.error), JSON.stringify(taken.error), await badQuery.text()]) {
        expect(text).not.toMatch(/select |insert |stack|\.ts:/i);
      }
    });

    it('serves the document and a reference page that needs nothing from elsewhere', async () => {
      const document = await fetch(`${server.url}/openapi.json`);
      expect(document.status).toBe(200);
      expect(await document.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument())));

      const docs = await fetch(`${server.url}/docs`);
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = docs.headers.get('content-security-policy') ?? '';
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      const html = await docs.text();
      expect(html).toContain(`<script nonce="${nonce}">`);
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
      // Every other route keeps the api's own policy.
      expect((await fetch(`${server.url}/healthz`)).headers.get('content-security-policy')).toMatch(
        /^default-src 'none'/,
      );
    });
  });
}
