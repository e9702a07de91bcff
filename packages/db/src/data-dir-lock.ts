import { closeSync, openSync, readFileSync, realpathSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * PGlite runs PostgreSQL inside one process and takes no lock on its folder: a second process
 * opening the same folder would write beside the first and corrupt it. Strata keeps a lock file
 * there instead, naming the process that holds it.
 */
export class DataDirInUseError extends Error {
  readonly code = 'strata.data_dir_in_use';
  constructor(
    readonly dataDir: string,
    readonly pid: number | null,
  ) {
    super(
      `the PGlite data folder ${dataDir} is in use by ${pid ? `process ${pid}` : 'another process'}: PGlite allows one process per data folder, so stop that process first (or use PostgreSQL through DATABASE_URL)`,
    );
  }
}

interface Holder {
  pid: number;
  host: string;
}

const lockFileName = 'strata.lock';
/** Lock files this process holds: a second open of the same folder here is refused too. */
const heldHere = new Set<string>();

function readHolder(file: string): Holder | 'unreadable' | 'gone' {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' && typeof holder.host === 'string'
      ? { pid: holder.pid, host: holder.host }
      : 'unreadable';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
}

/** Whether the process named in the lock may still be running. */
function holderAlive(holder: Holder): boolean {
  // Another machine's pid cannot be checked (a container recreated with a new hostname, a moved
  // volume): PGlite is one process on one machine, so a lock from elsewhere is a leftover.
  if (holder.host !== hostname()) return false;
  // Our own pid in a lock we do not hold: left by an earlier run that had the same pid (pid 1 in
  // a restarted container).
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(holder.pid);
}

/** A killed process its parent has not reaped yet still answers to its pid (Linux says so in /proc). */
function isZombie(pid: number): boolean {
  try {
    // "pid (name) S ...": the state follows the last parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * Takes the data folder's lock for this process, or throws {@link DataDirInUseError} naming the
 * process that has it. A lock whose process is gone (killed, crashed) is taken over. Returns the
 * release, which also runs when the process exits.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(realpathSync(dataDir), lockFileName);
  if (heldHere.has(file)) throw new DataDirInUseError(dataDir, process.pid);
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder === 'gone') continue;
      if (holder === 'unreadable') {
        // Being written by a process that has just created it, or garbage left long ago.
        const young = Date.now() - statSync(file, { throwIfNoEntry: false })!.mtimeMs < 10_000;
        if (young) throw new DataDirInUseError(dataDir, null);
      } else if (holderAlive(holder)) {
        throw new DataDirInUseError(dataDir, holder.pid);
      }
      try {
        unlinkSync(file);
      } catch {
        // Someone else took it over first; look again.
      }
      continue;
    }
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    closeSync(fd);
    heldHere.add(file);
    const release = () => {
      process.off('exit', release);
      if (!heldHere.delete(file)) return;
      try {
        unlinkSync(file);
      } catch {
        // Already gone.
      }
    };
    process.on('exit', release);
    return release;
  }
  throw new DataDirInUseError(dataDir, null);
}
