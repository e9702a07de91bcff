/**
 * Turns on streams within one process. Commands of this process that name the same streams take
 * turns from their load to their append's answer, so the second decides on the first's outcome
 * instead of on the version before it — a wait instead of a conflict, a reload and a retry. The
 * database still judges every expected version: commands of other processes race as before.
 *
 * A command waits for the earlier holders of each of its streams, taken all at once on arrival:
 * every wait points at an earlier arrival, so no two commands ever wait for each other.
 */
export function createStreamTurns() {
  const last = new Map<string, Promise<void>>();
  return {
    /** Waits for this command's turn on `streamIds`; call the returned function when done. */
    async take(streamIds: readonly string[]): Promise<() => void> {
      const ids = [...new Set(streamIds)];
      let release: () => void = () => undefined;
      const mine = new Promise<void>((resolve) => {
        release = resolve;
      });
      const before = ids.flatMap((id) => {
        const previous = last.get(id);
        last.set(id, mine);
        return previous ? [previous] : [];
      });
      if (before.length > 0) await Promise.all(before);
      return () => {
        release();
        for (const id of ids) if (last.get(id) === mine) last.delete(id);
      };
    },
  };
}
