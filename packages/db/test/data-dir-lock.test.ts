import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../src/data-dir-lock.ts';

describe('PGlite data folder lock', () => {
  const folders: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-lock-'));
    folders.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is held once: a second open, here or in another live process, is refused naming the holder', async () => {
    const dir = folder();
    const release = lockDataDir(dir);
    expect(JSON.parse(readFileSync(join(dir, 'strata.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    release();
    expect(existsSync(join(dir, 'strata.lock'))).toBe(false);

    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'strata.lock'), JSON.stringify({ pid: other.pid, host: hostname() }));
      expect(() => lockDataDir(dir)).toThrow(
        `the PGlite data folder ${dir} is in use by process ${other.pid}: PGlite allows one process per data folder`,
      );
    } finally {
      const gone = new Promise((resolve) => other.once('exit', resolve));
      other.kill('SIGKILL');
      await gone;
    }
    // Its process is gone (killed, crashed): the lock is taken over.
    lockDataDir(dir)();

    // Exited but not yet reaped by its parent (a zombie: \`sleep\` never waits for its child): gone too.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & exec sleep 30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 600));
      const zombie = Number(execFileSync('pgrep', ['-P', String(parent.pid)], { encoding: 'utf8' }).trim());
      expect(readFileSync(`/proc/${zombie}/stat`, 'utf8')).toMatch(/\) Z /);
      writeFileSync(join(dir, 'strata.lock'), JSON.stringify({ pid: zombie, host: hostname() }));
      lockDataDir(dir)();
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
