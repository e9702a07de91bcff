import { appendToStream, readAll } from '@strata/db';
import { testEngines, useTestDatabase } from '@strata/db/testing';
import { identityEvents, loginAttemptsStream } from '@strata/domain';
import { describe, expect, it } from 'vitest';
import { sessionCookieOf } from '../src/context.ts';
import { toEventViews } from '../src/events/event-view.ts';
import { unknownAccountHashIsCurrent } from '../src/identity/passwords.ts';
import { addressKey } from '../src/identity/sign-in-throttle.ts';

describe('sign-in pieces', () => {
  it('checks an unknown email against a hash as costly as a new one', () => {
    // Fails when argon2's settings change: make a new unknownAccountHash with hashPassword.
    expect(unknownAccountHashIsCurrent()).toBe(true);
  });

  it('counts IPv4 addresses one by one and IPv6 ones by their /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
  });

  it('reads the session cookie, and ignores one whose encoding is broken', () => {
    expect(sessionCookieOf('a=1; strata_session=abc%2Dd; b=2')).toBe('abc-d');
    expect(sessionCookieOf('strata_session=%E0%A4%A')).toBeNull();
    expect(sessionCookieOf(undefined)).toBeNull();
    expect(sessionCookieOf('other=1')).toBeNull();
  });
});

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`event views on ${engine.name}`, () => {
    const test = useTestDatabase(engine.name);

    it('shows sign-in emails and session ids to admins only', async () => {
      const db = test.database.db;
      const encode = (streamId: string, event: Parameters<typeof identityEvents.encode>[0]) => ({
        eventId: crypto.randomUUID(),
        ...identityEvents.encode(event, streamId),
        metadata: {},
      });
      const at = new Date().toISOString();
      const loginStream = loginAttemptsStream(test.database.personalData.emailKeyOf('eve@example.com'));
      await appendToStream(db, { streamId: loginStream, streamType: 'login-attempts', expectedVersion: 'any' }, [
        encode(loginStream, {
          type: 'LoginFailed',
          data: { userId: 'u1', email: 'eve@example.com', reason: 'wrong_password', at },
        }),
      ]);
      await appendToStream(db, { streamId: 'session-abc', streamType: 'session', expectedVersion: 'any' }, [
        encode('session-abc', { type: 'SessionStarted', data: { sessionId: 'abc', userId: 'u1', expiresAt: at } }),
      ]);
      const { events } = await readAll(db, { limit: 10 });
      const asAdmin = await toEventViews(db, identityEvents, events, { role: 'admin' });
      expect(asAdmin.map((e) => e.streamId)).toEqual([loginStream, 'session-abc']);
      expect(loginStream).not.toContain('eve');
      expect(asAdmin[0]?.data).toMatchObject({ email: 'eve@example.com' });
      expect(asAdmin[1]?.data).toMatchObject({ sessionId: 'abc', userId: 'u1' });

      for (const viewer of [{ role: 'viewer' as const }, undefined]) {
        const views = await toEventViews(db, identityEvents, events, viewer);
        expect(views.map((e) => e.streamId)).toEqual(['login-…', 'session-…']);
        expect(views[0]?.data).toEqual({ reason: 'wrong_password', at: expect.any(String) });
        expect(views[1]?.data).toEqual({ userId: 'u1', expiresAt: expect.any(String) });
      }
    });
  });
}
