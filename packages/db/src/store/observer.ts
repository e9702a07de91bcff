/**
 * What the store tells whoever watches it (the api's metrics): appends as they are answered and
 * group-commit batches as they settle. Listeners are process-wide and called synchronously; one
 * that throws is ignored, so watching can never fail an append. The store knows no metrics
 * library: the app turns these calls into its own counters.
 */
export interface StoreObserver {
  /** One append request answered: written, a duplicate of a committed command, or a conflict. */
  appended?(append: { outcome: 'appended' | 'duplicate' | 'conflict'; events: number }): void;
  /** One group-commit batch answered by the database: how many requests and events it carried. */
  batchCommitted?(batch: { requests: number; events: number }): void;
}

const observers = new Set<StoreObserver>();

/** Registers `observer`; call the returned function to stop. */
export function observeStore(observer: StoreObserver): () => void {
  observers.add(observer);
  return () => {
    observers.delete(observer);
  };
}

/** Tells every observer; never throws. */
export function reportToObservers(report: (observer: StoreObserver) => void): void {
  for (const observer of observers) {
    try {
      report(observer);
    } catch {
      // a broken observer must not fail the store
    }
  }
}
