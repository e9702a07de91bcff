/**
 * Seeing inside Strata without changing it: a Database whose `db.transaction` reports how each
 * transaction ended. The worker and the command runner take their transactions there, so the
 * bench learns the moment a batch committed, or that an attempt was thrown away.
 */
import { type Database, deliverLike, type StrataDb } from '@strata/db';

export interface TransactionHooks {
  /** Right after COMMIT was acknowledged. */
  committed?: () => void;
  /** After the transaction rolled back (the error is rethrown to the caller unchanged). */
  failed?: (error: unknown) => void;
}

type TransactionFn = (fn: (tx: StrataDb) => Promise<unknown>, config?: unknown) => Promise<unknown>;

export function withTransactionHooks(database: Database, hooks: TransactionHooks): Database {
  const target = database.db;
  const transaction: TransactionFn = async (fn, config) => {
    let result: unknown;
    try {
      result = await (target.transaction as TransactionFn).call(target, fn, config);
    } catch (error) {
      hooks.failed?.(error);
      throw error;
    }
    hooks.committed?.();
    return result;
  };
  const db = new Proxy(target, {
    // Everything else is Drizzle's own; methods then run with the proxy as `this`, which reads
    // through to the same session and dialect.
    get: (object, property) => (property === 'transaction' ? transaction : Reflect.get(object, property, object)),
  });
  // PGlite's notifications go by call, to listeners registered on the database: the proxy is a
  // different object, so it must be told (or its worker would act as on PostgreSQL).
  deliverLike(db, target);
  // The other members are closures over the connection, so a copy of the object works the same.
  return { ...database, db };
}
