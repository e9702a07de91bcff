#!/usr/bin/env node
/**
 * Fails when a workspace imports a package it does not declare: every bare specifier in its
 * source, tests, scripts and config files must be a Node builtin, the workspace itself, or in its
 * package.json (`dependencies`, `devDependencies`, `peerDependencies`, `optionalDependencies`).
 * npm hoists everything to the root node_modules, so an undeclared import still resolves here and
 * breaks only elsewhere (a production install, a published package, a moved file); this is the
 * check that notices. Relative imports are not checked (tsc and the bundlers do that).
 *
 * `node scripts/check-imports.mjs [workspace-dir…]` (default: every workspace of the root
 * package.json). Each workspace's `lint` runs it on itself.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceFile = /\.(?:[cm]?[jt]s|tsx|jsx)$/;
const skippedDirs = new Set(['node_modules', 'dist', '.next', '.turbo', 'test-output', 'coverage', 'migrations']);
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** The workspace directories the root package.json names (`packages/*`, `bench`). */
function allWorkspaces() {
  const patterns = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces ?? [];
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [path.join(root, pattern)];
    const parent = path.join(root, pattern.slice(0, -2));
    return readdirSync(parent)
      .map((name) => path.join(parent, name))
      .filter((dir) => existsSync(path.join(dir, 'package.json')));
  });
}

function filesOf(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || skippedDirs.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesOf(full));
    else if (sourceFile.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full);
  }
  return files;
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

function check(workspace) {
  const manifest = JSON.parse(readFileSync(path.join(workspace, 'package.json'), 'utf8'));
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.devDependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  const problems = [];
  for (const file of filesOf(workspace)) {
    if (!statSync(file).isFile()) continue;
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (specifier.startsWith('.') || specifier.startsWith('/') || builtins.has(specifier)) continue;
      if (/^[a-z]+:/.test(specifier)) continue; // node:, data:, https: …
      const name = packageOf(specifier);
      if (!declared.has(name))
        problems.push(`${path.relative(root, file)}: imports ${specifier}, which ${manifest.name} does not declare`);
    }
  }
  return problems;
}

const workspaces = process.argv.length > 2 ? process.argv.slice(2).map((dir) => path.resolve(dir)) : allWorkspaces();
const problems = workspaces.flatMap(check);
if (problems.length > 0) {
  console.error(
    `Undeclared imports (add the package to package.json, or import it through a package that owns it):\n  ${problems.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(`imports declared: ${workspaces.map((dir) => path.relative(root, dir) || '.').join(', ')}`);
