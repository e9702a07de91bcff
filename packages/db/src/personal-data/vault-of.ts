import type { StrataDb } from '../connection.ts';
import type { PersonalDataVault } from './vault.ts';

// Readers get a database handle or a transaction on it, never the Database; both share Drizzle's
// dialect object (one per `drizzle()` call), so that is what a vault is found by.
const vaults = new WeakMap<object, PersonalDataVault>();

const dialectOf = (db: StrataDb) => (db as unknown as { dialect: object }).dialect;

/** Makes `vault` the one every store reader and writer on `db` (and its transactions) uses. */
export function attachVault(db: StrataDb, vault: PersonalDataVault): void {
  vaults.set(dialectOf(db), vault);
}

/** The vault of the database `db` belongs to. */
export function vaultOf(db: StrataDb): PersonalDataVault {
  const vault = vaults.get(dialectOf(db));
  if (!vault) throw new Error('this database was not opened with openDatabase: it has no personal data vault');
  return vault;
}
