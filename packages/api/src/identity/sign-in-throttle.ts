import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '@strata/domain';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * How hard sign-in and the first admin's one-time password may be tried.
 *
 * Counted in this process's memory, on purpose: throttling must not append to the log (anonymous
 * callers would grow it) and must treat every email alike, known or not. With several api
 * processes each counts on its own, so a caller spreading requests over N processes gets N times
 * the budget: still bounded, and a shared store can replace the memory one if that matters.
 */
export interface SignInLimits {
  /** Sign-in and first-admin attempts per client address per minute; more get TOO_MANY_REQUESTS. */
  attemptsPerAddress: number;
  /** One-time-password guesses per minute from every address together (each costs an argon2 check). */
  bootstrapGuesses: number;
  /** Failed sign-ins per email within 15 minutes that cost no delay; each further one waits longer. */
  freeFailuresPerAccount: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  firstDelayMs: number;
  /** The longest wait: a guesser is slowed down, the right password still gets in. */
  maxDelayMs: number;
  /** Failed sign-ins per account within 15 minutes that are recorded as events; the rest are counted only. */
  recordedFailuresPerAccount: number;
}

export const defaultSignInLimits: SignInLimits = {
  attemptsPerAddress: 20,
  bootstrapGuesses: 10,
  freeFailuresPerAccount: 3,
  firstDelayMs: 500,
  maxDelayMs: 8_000,
  recordedFailuresPerAccount: 10,
};

const accountWindowSeconds = 15 * 60;

function throttled(message: string, refused: unknown): never {
  if (!(refused instanceof RateLimiterRes)) throw refused;
  const retryAfterSeconds = Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
  throw new DomainError('auth.throttled', `${message}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

/**
 * The key a client address is counted under: IPv4 as is, IPv6 by its /64 (one subscriber usually
 * holds a whole /64, so counting single addresses would give them billions of budgets).
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped?.[1]) return mapped[1];
  if (!plain.includes(':')) return plain;
  const [head = '', tail = ''] = plain.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = plain.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => (Number.parseInt(group, 16) || 0).toString(16))
    .join(':')}::/64`;
}

/** Process-local sign-in throttling; see {@link SignInLimits}. */
export function createSignInThrottle(overrides: Partial<SignInLimits> = {}) {
  const limits = { ...defaultSignInLimits, ...overrides };
  const attempts = new RateLimiterMemory({ keyPrefix: 'address', points: limits.attemptsPerAddress, duration: 60 });
  const guesses = new RateLimiterMemory({ keyPrefix: 'otp', points: limits.bootstrapGuesses, duration: 60 });
  // Only counts (never refuses): delays come from the count.
  const failures = new RateLimiterMemory({
    keyPrefix: 'account',
    points: Number.MAX_SAFE_INTEGER,
    duration: accountWindowSeconds,
  });

  const delayAfter = (failed: number) => {
    const past = failed - limits.freeFailuresPerAccount;
    return past <= 0 ? 0 : Math.min(limits.maxDelayMs, limits.firstDelayMs * 2 ** (past - 1));
  };

  return {
    limits,
    /** Counts one sign-in or first-admin attempt from this address; throws `auth.throttled` past the limit. */
    async admitAttempt(address: string): Promise<void> {
      await attempts
        .consume(address)
        .catch((refused) => throttled('too many sign-in attempts from your address', refused));
    },
    /** Counts one one-time-password guess; throws `auth.throttled` past the limit for everyone together. */
    async admitBootstrapGuess(): Promise<void> {
      await guesses.consume('all').catch((refused) => throttled('too many one-time-password attempts', refused));
    },
    /**
     * Waits as long as this email's recent failures ask for, before its password is checked. The
     * same for every email, whether an account has it or not.
     */
    async waitForTurn(email: string): Promise<void> {
      const failed = (await failures.get(email))?.consumedPoints ?? 0;
      const delayMs = delayAfter(failed);
      if (delayMs > 0) await sleep(delayMs);
    },
    /** Counts a failed sign-in for this email; returns how many there were in the window, this one included. */
    async recordFailure(email: string): Promise<number> {
      return (await failures.consume(email)).consumedPoints;
    },
    /** A sign-in succeeded: the email's failures no longer slow it down. */
    async recordSuccess(email: string): Promise<void> {
      await failures.delete(email);
    },
  };
}
export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
