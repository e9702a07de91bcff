import type { StrataDb } from '../connection.ts';
import { notify } from '../notifications.ts';

/** The channel that wakes subscribers and projection workers when events were appended. */
export const eventsChannel = 'strata_events';

const announcers = new WeakMap<object, { inFlight: boolean; again: boolean }>();

/**
 * Wakes every listener (any process) after events were committed. Coalesced per database: while
 * one NOTIFY is on its way, further calls send one more after it, never one each — NOTIFY takes a
 * global lock at commit, so one per append would serialise every writer. A lost wake-up only
 * costs a listener its polling interval.
 */
export function announceAppended(db: StrataDb): void {
  let state = announcers.get(db);
  if (!state) {
    state = { inFlight: false, again: false };
    announcers.set(db, state);
  }
  if (state.inFlight) {
    state.again = true;
    return;
  }
  state.inFlight = true;
  const current = state;
  const send = () => {
    current.again = false;
    notify(db, eventsChannel, '')
      .catch(() => undefined)
      .finally(() => {
        if (current.again) send();
        else current.inFlight = false;
      });
  };
  send();
}
