/**
 * The session's bearer token, kept in localStorage so a reload (or another tab) stays signed in.
 * `undefined` means "not known yet" (server rendering, before hydration); `null` means signed out.
 */
const storageKey = 'strata.session-token';
const listeners = new Set<() => void>();

export const sessionTokenStore = {
  read(): string | null {
    try {
      return window.localStorage.getItem(storageKey);
    } catch {
      return null;
    }
  },
  write(token: string | null) {
    try {
      if (token) window.localStorage.setItem(storageKey, token);
      else window.localStorage.removeItem(storageKey);
    } catch {
      // Private mode without storage: the session lasts until the tab closes.
    }
    for (const listener of listeners) listener();
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    const onStorage = (event: StorageEvent) => {
      if (event.key === storageKey || event.key === null) listener();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('storage', onStorage);
    };
  },
  /** What the server renders: the token is unknown there. */
  readOnServer(): undefined {
    return undefined;
  },
};
