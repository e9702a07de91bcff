import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ApiServer, type App, createApp, createLogger, issueBootstrapPassword, startApiServer } from '@strata/api';
import { createClient } from '@strata/client';
import { createTestDatabase, type TestDatabase } from '@strata/db/testing';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The admin UI in a real browser: Debian's Chromium driven by playwright-core, against the real
 * web app (`next build` + `next start`) and the real api on a throwaway PGlite database.
 */
const chromiumPath = '/usr/bin/chromium';
const env = process.env;
const hasChromium = existsSync(chromiumPath);
if (!hasChromium && env.CI) {
  throw new Error(`The browser tests need Chromium at ${chromiumPath} in CI: apt-get install -y chromium`);
}
if (!hasChromium) {
  console.warn(`Browser tests skipped: no Chromium at ${chromiumPath}. Install it with: apt-get install -y chromium`);
}

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(webDir, '../..');
const screenshots = path.join(webDir, 'test-output');
const nextBin = path.join(repoRoot, 'node_modules/next/dist/bin/next');

const admin = { name: 'Root Admin', email: 'root@example.com', password: 'root-password-1' };
const dana = { name: 'Dana Scully', email: 'dana@example.com', password: 'dana-password-1' };

/** The newest modification time under these paths (files or folders). */
function newestChange(paths: string[]): number {
  let newest = 0;
  const visit = (entry: string) => {
    if (!existsSync(entry)) return;
    const stat = statSync(entry);
    if (stat.isDirectory()) for (const name of readdirSync(entry)) visit(path.join(entry, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const entry of paths) visit(entry);
  return newest;
}

/** Builds the web app into its normal .next folder, unless a build newer than every source exists. */
function buildWebApp() {
  const buildId = path.join(webDir, '.next/BUILD_ID');
  const sources = [
    path.join(webDir, 'src'),
    path.join(webDir, 'next.config.ts'),
    path.join(webDir, 'postcss.config.mjs'),
    path.join(webDir, 'package.json'),
    path.join(repoRoot, 'packages/client/src'),
  ];
  if (existsSync(buildId) && statSync(buildId).mtimeMs > newestChange(sources)) return 'reused';
  const build = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: webDir,
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  return 'built';
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function waitForHttp(url: string, output: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output()}`);
}

/** Waits for an element to show (the browser renders data after the api answers). */
const shown = (locator: Locator, timeout = 10_000) => locator.first().waitFor({ state: 'visible', timeout });

describe.skipIf(!hasChromium)('the admin UI in a real browser', { timeout: 60_000 }, () => {
  let database: TestDatabase;
  let app: App;
  let worker: ReturnType<App['createWorker']> | undefined;
  let api: ApiServer | undefined;
  let oneTimePassword: string;
  let web: ChildProcess | undefined;
  let webOutput = '';
  let webUrl: string;
  let browser: Browser;
  let page: Page;
  const timings: Record<string, number> = {};

  /**
   * Screenshots of the page as it is now, at 1280 and at 390 px wide: the whole page, or for a
   * dialog the screen. Passing confirmations ("Created …") are left out.
   */
  async function snap(name: string, { fullPage = true } = {}) {
    const options = { fullPage, style: '[data-toast] { display: none !important; }' };
    await page.screenshot({ ...options, path: path.join(screenshots, `${name}-1280.png`) });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(150);
    await page.screenshot({ ...options, path: path.join(screenshots, `${name}-390.png`) });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(100);
  }

  async function signIn(email: string, password: string) {
    await page.goto(`${webUrl}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${webUrl}/users`);
    await shown(page.getByRole('heading', { name: 'Users' }));
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${webUrl}/sign-in`);
  }

  async function apiAs(email: string, password: string) {
    const url = api?.url ?? '';
    const { token } = await createClient({ url }).auth.login.mutate({ email, password });
    return createClient({ url, token });
  }

  beforeAll(async () => {
    const started = performance.now();
    mkdirSync(screenshots, { recursive: true });
    timings.build = performance.now();
    const build = buildWebApp();
    timings.build = Math.round(performance.now() - timings.build);
    console.info(`web app ${build} in ${timings.build} ms`);

    const webPort = await freePort();
    webUrl = `http://127.0.0.1:${webPort}`;
    database = await createTestDatabase('pglite');
    app = createApp({ database: database.database, logger: createLogger('silent') });
    worker = app.createWorker();
    await worker.start();
    oneTimePassword = (await issueBootstrapPassword(app)) ?? '';
    api = await startApiServer({ app, port: 0, corsOrigins: [webUrl] });

    // Its own process group, so stopping it stops everything it started.
    web = spawn(process.execPath, [nextBin, 'start', '--port', String(webPort), '--hostname', '127.0.0.1'], {
      cwd: webDir,
      env: { ...env, API_URL: api.url, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    web.stdout?.on('data', (chunk) => {
      webOutput += chunk;
    });
    web.stderr?.on('data', (chunk) => {
      webOutput += chunk;
    });
    await waitForHttp(`${webUrl}/sign-in`, () => webOutput);

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    page = await context.newPage();
    page.on('pageerror', (error) => {
      webOutput += `\n[browser] ${error.message}`;
    });
    timings.setup = Math.round(performance.now() - started);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (web?.pid && web.exitCode === null) {
      const exited = new Promise((resolve) => web?.once('exit', resolve));
      process.kill(-web.pid, 'SIGTERM');
      const timer = setTimeout(() => web?.pid && process.kill(-web.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await api?.close();
    await worker?.stop();
    await database?.drop();
    console.info(`browser test timings (ms): ${JSON.stringify(timings)}`);
  }, 30_000);

  it('first run: asks for the one-time password, then creates the first admin', async () => {
    await page.goto(webUrl);
    await page.waitForURL(`${webUrl}/setup`);
    await shown(page.getByRole('heading', { name: 'Welcome to Strata' }));
    await snap('first-run');

    await page.getByLabel('One-time password').fill('not-the-password');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await shown(page.getByText('This one-time password is wrong'));
    await snap('first-run-wrong-password');

    await page.getByLabel('One-time password').fill(oneTimePassword);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.waitForURL(`${webUrl}/users`);
    await shown(page.getByRole('link', { name: admin.name }));
  });

  it('keeps the session over a reload, signs out and signs in again', async () => {
    await page.reload();
    await shown(page.getByRole('link', { name: admin.name }));
    await signOut();
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shown(page.getByText('Wrong email or password'));
    await snap('sign-in');
    await signIn(admin.email, admin.password);
  });

  it('creates a user, then changes their role', async () => {
    await page.getByLabel('Search').fill('nobody-like-this');
    await shown(page.getByText('No users match these filters'));
    await snap('users-no-match');
    await page.getByRole('button', { name: 'Clear filters' }).click();

    await page.getByRole('button', { name: 'New user' }).click();
    const create = page.getByRole('dialog', { name: 'New user' });
    await create.getByLabel('Name').fill(dana.name);
    await create.getByLabel('Email').fill(dana.email);
    await create.getByLabel('Role').selectOption('admin');
    await create.getByLabel('Password').fill(dana.password);
    await snap('user-create', { fullPage: false });
    await create.getByRole('button', { name: 'Create user' }).click();
    const row = page.getByRole('row', { name: new RegExp(dana.name) });
    await shown(row);
    expect(await row.textContent()).toContain('admin');

    await page.getByRole('button', { name: `Edit ${dana.name}` }).click();
    const edit = page.getByRole('dialog', { name: `Edit ${dana.name}` });
    await edit.getByLabel('Role').selectOption('viewer');
    await snap('user-edit', { fullPage: false });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'hidden' });
    await expect.poll(() => row.textContent()).toContain('viewer');
    await snap('users');
  });

  it('says plainly when someone else changed the user first, and reloads it', async () => {
    await page.getByRole('button', { name: `Edit ${dana.name}` }).click();
    const edit = page.getByRole('dialog', { name: `Edit ${dana.name}` });
    await edit.getByLabel('Name').fill('Dana K. Scully');
    // Meanwhile, another admin renames her.
    const other = await apiAs(admin.email, admin.password);
    const dana$ = (await other.users.list.query({ search: dana.email })).items[0]!;
    await other.users.rename.mutate({ userId: dana$.userId, name: 'Agent Scully', expectedVersion: dana$.version });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await shown(edit.getByText('Someone else changed this user'));
    await snap('user-conflict', { fullPage: false });
    await edit.getByRole('button', { name: 'Reload user' }).click();
    await shown(page.getByRole('dialog', { name: 'Edit Agent Scully' }));
    expect(await page.getByRole('dialog', { name: 'Edit Agent Scully' }).getByLabel('Name').inputValue()).toBe(
      'Agent Scully',
    );
    await page.keyboard.press('Escape');
    await shown(page.getByRole('link', { name: 'Agent Scully' }));
  });

  it('shows the creation and the role change in the event log, live, with payload and metadata', async () => {
    await page.getByRole('link', { name: 'Events' }).click();
    await page.waitForURL(`${webUrl}/events`);
    const created = page.getByRole('button', { name: /UserCreated on user-/ });
    const roleChanged = page.getByRole('button', { name: /UserRoleChanged on user-/ });
    await shown(roleChanged);
    expect(await created.count()).toBe(2);
    await shown(page.getByText('Live: new events appear'));
    await snap('events');

    // Live: an event appended elsewhere shows up without a reload; paused, it waits.
    const other = await apiAs(admin.email, admin.password);
    const fox = await other.users.create.mutate({
      email: 'fox@example.com',
      name: 'Fox Mulder',
      role: 'viewer',
      password: 'fox-password-1',
    });
    await shown(page.getByRole('button', { name: new RegExp(`UserCreated on ${fox.streamId}$`) }));
    await page.getByRole('button', { name: 'Pause' }).click();
    await shown(page.getByText('Paused: new events wait'));
    const renamed = await other.users.rename.mutate({ userId: fox.userId, name: 'Fox W. Mulder' });
    const renamedRow = page.getByRole('button', { name: `Event ${renamed.position}: UserRenamed on ${fox.streamId}` });
    await page.waitForTimeout(2500);
    expect(await renamedRow.count()).toBe(0);
    await page.getByRole('button', { name: 'Resume' }).click();
    await shown(renamedRow);

    await roleChanged.first().click();
    const detail = page.getByRole('dialog', { name: 'UserRoleChanged' });
    await shown(detail.getByText('Payload'));
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain('"role": "viewer"');
    expect(text).toContain('"actorId"');
    expect(text).toContain(admin.name);
    await snap('event-detail', { fullPage: false });
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
  });

  it("shows the user's history, and time travel shows the earlier role", async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: 'Agent Scully' }).click();
    await shown(page.getByRole('heading', { name: 'Agent Scully' }));
    const history = page.getByRole('list', { name: 'History' });
    await shown(history.getByText('Role changed'));
    const historyText = (await history.textContent()) ?? '';
    expect(historyText).toContain('Created');
    expect(historyText).toMatch(/role:\s*admin\s*→\s*viewer/);
    expect(historyText).toContain(`by ${admin.name}`);

    const slider = page.getByRole('slider', { name: 'Version' });
    await slider.focus();
    await page.keyboard.press('Home');
    await shown(page.getByRole('columnheader', { name: 'Then (v1)' }));
    const roleRow = page.getByRole('row', { name: /^role/i });
    await shown(roleRow.getByText('changed'));
    const roleText = (await roleRow.textContent()) ?? '';
    expect(roleText).toMatch(/admin.*viewer/);
    await snap('user-detail');

    // A moment in the future is the user as they are now.
    const later = new Date(Date.now() + 60_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    await page
      .getByLabel('Or a moment')
      .fill(
        `${later.getFullYear()}-${pad(later.getMonth() + 1)}-${pad(later.getDate())}T${pad(later.getHours())}:${pad(later.getMinutes())}:00`,
      );
    await shown(page.getByText('looks the same as now'));
  });

  it('lets a viewer see everything but change nothing', async () => {
    await signOut();
    await signIn(dana.email, dana.password);
    await shown(page.getByText('read-only'));
    await shown(page.getByRole('link', { name: admin.name }));
    const mutating = page.getByRole('button', {
      name: /^(New user|Edit |Change password|Deactivate |Reactivate |Save|Create)/,
    });
    expect(await mutating.count()).toBe(0);
    await snap('users-viewer');

    await page.getByRole('link', { name: 'Agent Scully' }).click();
    await shown(page.getByRole('list', { name: 'History' }).getByText('Role changed'));
    expect(await mutating.count()).toBe(0);
    await snap('user-detail-viewer');

    await page.getByRole('link', { name: 'Events' }).click();
    await shown(page.getByRole('button', { name: /UserRoleChanged on user-/ }));
    expect(await mutating.count()).toBe(0);
  });

  it('says so when the api cannot be reached', async () => {
    await api?.close();
    api = undefined;
    await page.goto(`${webUrl}/users`);
    await shown(page.getByText('cannot be reached'), 20_000);
    await snap('api-unreachable');
  });
});
