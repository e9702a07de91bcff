#!/usr/bin/env node
// After `next build`: the standalone server (.next/standalone/apps/web/server.js) serves the
// browser's static files from beside itself, and Next leaves copying them there to the deploy.
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const standaloneWeb = path.join(webDir, '.next/standalone/apps/web');
if (!existsSync(path.join(standaloneWeb, 'server.js'))) {
  process.stderr.write(`No standalone server in ${standaloneWeb}: is output: 'standalone' set in next.config.ts?\n`);
  process.exit(1);
}
for (const folder of ['.next/static', 'public']) {
  const from = path.join(webDir, folder);
  const to = path.join(standaloneWeb, folder);
  rmSync(to, { recursive: true, force: true });
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
