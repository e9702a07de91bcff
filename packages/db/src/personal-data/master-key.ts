import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The api cannot start: the master key is missing or is not the one this database was made with. */
export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

export const masterKeyEnv = 'STRATA_MASTER_KEY';
const masterKeyFile = 'master.key';

/** A new master key as `STRATA_MASTER_KEY` expects it (32 random bytes, base64). */
export function newMasterKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * The master key that wraps every person's data key: given, or `STRATA_MASTER_KEY`; on PGlite
 * without either, the one in the data folder (`master.key`, made on first start); in memory, a
 * fresh one. PostgreSQL without a key refuses: a key made up here would be lost with the process.
 */
export function resolveMasterKey(options: {
  given?: string | undefined;
  engine: 'postgres' | 'pglite';
  dataDir?: string | undefined;
}): Buffer {
  const configured = options.given ?? process.env[masterKeyEnv];
  if (configured) return parseMasterKey(configured, options.given ? 'the master key given' : masterKeyEnv);
  if (options.engine === 'postgres') {
    throw new MasterKeyError(
      `${masterKeyEnv} is not set. Personal data is encrypted under a master key: set ${masterKeyEnv} to 32 random bytes in base64 (for example: openssl rand -base64 32) and keep a copy where you keep the database backups.`,
    );
  }
  if (!options.dataDir) return randomBytes(32);
  const file = join(options.dataDir, masterKeyFile);
  if (!existsSync(file)) writeFileSync(file, `${newMasterKey()}\n`, { mode: 0o600, flag: 'wx' });
  return parseMasterKey(readFileSync(file, 'utf8').trim(), file);
}

function parseMasterKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32 || key.toString('base64') !== text.trim()) {
    throw new MasterKeyError(`${source} must be 32 bytes in base64 (openssl rand -base64 32); it is not`);
  }
  return key;
}
