import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AdminGranted,
  adminRegistryDecider,
  bootstrapDecider,
  type CommandPlan,
  DomainError,
  type DomainEvent,
  EmailClaimed,
  ERASED,
  emailClaimDecider,
  fold,
  identityEvents,
  identityPlans,
  LoginFailed,
  loginAttemptsDecider,
  normaliseEmail,
  type Role,
  type StreamCommand,
  UserCreated,
  UserForgotten,
  UserRoleChanged,
  userDecider,
  usersProjector,
} from '../src/index.ts';
import { given } from './given.ts';

/** The api names an email's streams by a keyed hash; any function of the normalised email will do here. */
const keyOf = (email: string) => `k:${normaliseEmail(email)}`;
const alice = { userId: 'a1', email: 'alice@example.com', name: 'Alice', role: 'admin' as const, passwordHash: 'h' };

describe('user decider', () => {
  it('creates a user once', () => {
    given(userDecider)
      .when({ type: 'CreateUser', ...alice })
      .thenEmits([UserCreated(alice)]);
    given(userDecider, [UserCreated(alice)])
      .when({ type: 'CreateUser', ...alice })
      .thenFails('user.already_exists');
  });
  it('refuses commands on a user that does not exist', () => {
    given(userDecider).when({ type: 'RenameUser', name: 'X' }).thenFails('user.not_found');
  });
  it('changes the role only when it differs', () => {
    given(userDecider, [UserCreated(alice)])
      .when({ type: 'ChangeRole', role: 'viewer' })
      .thenEmits([UserRoleChanged({ role: 'viewer' })]);
    given(userDecider, [UserCreated(alice)])
      .when({ type: 'ChangeRole', role: 'admin' })
      .thenEmits([]);
  });
  it('deactivates and reactivates once each', () => {
    given(userDecider, [UserCreated(alice), { type: 'UserDeactivated', data: {} }])
      .when({ type: 'DeactivateUser' })
      .thenFails('user.already_deactivated');
    given(userDecider, [UserCreated(alice)])
      .when({ type: 'ReactivateUser' })
      .thenFails('user.already_active');
  });
});

describe('registries', () => {
  it('refuses an email another user holds', () => {
    given(emailClaimDecider, [EmailClaimed({ userId: 'a1', email: 'x@y.z' })])
      .when({ type: 'ClaimEmail', userId: 'b2', email: 'X@y.z' })
      .thenFails('user.email_taken');
  });
  it('refuses to demote the last admin', () => {
    given(adminRegistryDecider, [AdminGranted({ userId: 'a1' })])
      .when({ type: 'RevokeAdmin', userId: 'a1' })
      .thenFails('user.last_admin');
  });
  it('bootstraps the first admin only', () => {
    given(adminRegistryDecider, [AdminGranted({ userId: 'a1' })])
      .when({ type: 'GrantFirstAdmin', userId: 'b2' })
      .thenFails('identity.already_bootstrapped');
  });
});

describe('access', () => {
  const issued = {
    type: 'BootstrapPasswordIssued' as const,
    data: { passwordHash: 'h', expiresAt: '2026-01-01T00:15:00.000Z' },
  };
  it('accepts the one-time password once, before it expires', () => {
    given(bootstrapDecider, [issued])
      .when({ type: 'UseBootstrapPassword', userId: 'a1', passwordMatches: true, now: '2026-01-01T00:10:00.000Z' })
      .thenEmits([{ type: 'BootstrapPasswordUsed', data: { userId: 'a1' } }]);
    given(bootstrapDecider, [issued, { type: 'BootstrapPasswordUsed', data: { userId: 'a1' } }])
      .when({ type: 'UseBootstrapPassword', userId: 'b2', passwordMatches: true, now: '2026-01-01T00:10:00.000Z' })
      .thenFails('identity.bootstrap_password_invalid');
    given(bootstrapDecider, [issued])
      .when({ type: 'UseBootstrapPassword', userId: 'a1', passwordMatches: true, now: '2026-01-01T00:16:00.000Z' })
      .thenFails('identity.bootstrap_password_expired');
  });
  it('records sign-in outcomes and never refuses one (a lock would shut the right person out)', () => {
    const failure = (minute: number) =>
      LoginFailed({ email: 'a@b.c', reason: 'wrong_password', at: `2026-01-01T00:0${minute}:00.000Z` });
    given(loginAttemptsDecider, [1, 2, 3, 4, 5, 6, 7].map(failure))
      .when({ type: 'RecordLoginSuccess', userId: 'u1', now: '2026-01-01T00:08:00.000Z' })
      .thenEmits([{ type: 'LoginSucceeded', data: { userId: 'u1', at: '2026-01-01T00:08:00.000Z' } }]);
  });
});

describe('forgetting a person', () => {
  it('refuses every later command with its own code', () => {
    given(userDecider, [UserCreated(alice), UserForgotten({})])
      .when({ type: 'RenameUser', name: 'X' })
      .thenFails('user.forgotten');
    given(userDecider, [UserCreated(alice), UserForgotten({})])
      .when({ type: 'ForgetUser' })
      .thenFails('user.forgotten');
  });
  it('erases the state, releases the email and refuses the last admin', () => {
    const world = inMemoryIdentity();
    world.run(identityPlans.createUser({ ...alice, role: 'viewer' }, keyOf));
    world.run(identityPlans.createUser({ ...alice, userId: 'root', email: 'root@x.io' }, keyOf));
    world.run(identityPlans.forgetUser('a1', keyOf));
    expect(world.user('a1')).toMatchObject({ status: 'forgotten', email: ERASED, name: ERASED, passwordHash: ERASED });
    // The address is free again.
    world.run(identityPlans.createUser({ ...alice, userId: 'a2', role: 'viewer' }, keyOf));
    expect(() => world.run(identityPlans.forgetUser('root', keyOf))).toThrow(
      expect.objectContaining({ code: 'user.last_admin' }),
    );
  });
});

describe('events', () => {
  it('marks personal fields with their subject, and decodes erased ones', () => {
    const encoded = identityEvents.encode(UserCreated(alice), 'user-a1');
    expect(encoded.personal).toEqual({ subject: 'user-a1', fields: ['email', 'name', 'passwordHash'] });
    const claim = identityEvents.encode(EmailClaimed({ userId: 'a1', email: alice.email }), 'user-email-k');
    expect(claim.personal?.subject).toBe('user-a1');
    expect(identityEvents.encode(UserForgotten({}), 'user-a1').forgets).toBe('user-a1');
    const erased = { ...encoded, data: { ...alice, email: ERASED, name: ERASED, passwordHash: ERASED } };
    expect(identityEvents.decode(erased).data).toMatchObject({ email: ERASED, name: ERASED });
    expect(() => identityEvents.decode({ ...encoded, data: { ...alice, email: 'not an email' } })).toThrow();
  });
  it('redacts secrets and round-trips through the catalog', () => {
    const event = UserCreated(alice);
    const encoded = identityEvents.encode(event, 'user-a1');
    expect(identityEvents.decode(encoded)).toEqual(event);
    expect(identityEvents.redact(event.type, event.data)).not.toHaveProperty('passwordHash');
  });
  it('projects a created user without its hash', () => {
    const [change] = usersProjector(UserCreated(alice), {
      streamId: 'user-a1',
      version: 1,
      recordedAt: new Date(0),
      actorId: null,
    });
    expect(change).toMatchObject({ kind: 'insert', row: { userId: 'a1', role: 'admin', status: 'active' } });
    expect(JSON.stringify(change)).not.toContain('passwordHash');
  });
});

/**
 * Runs plans against in-memory streams exactly as the api does (primary first, related from its
 * state, all or nothing), so random command sequences can be checked against the invariants.
 */
function inMemoryIdentity() {
  const streams = new Map<string, DomainEvent[]>();
  const stateOf = (command: StreamCommand) => fold(command.decider, streams.get(command.streamId) ?? []);
  return {
    streams,
    // biome-ignore lint/suspicious/noExplicitAny: plans are typed by their primary state
    run(plan: CommandPlan<any>) {
      const primaryState = stateOf(plan.primary);
      const decisions = [plan.primary, ...(plan.related?.(primaryState) ?? [])].map((c) => ({
        streamId: c.streamId,
        events: c.decider.decide(c.command, stateOf(c)),
      }));
      for (const { streamId, events } of decisions)
        streams.set(streamId, [...(streams.get(streamId) ?? []), ...events]);
    },
    user(userId: string) {
      return fold(userDecider, (streams.get(`user-${userId}`) ?? []) as never);
    },
    users() {
      return [...streams.entries()]
        .filter(([id]) => id.startsWith('user-') && !id.startsWith('user-email-'))
        .map(([, events]) => fold(userDecider, events as never));
    },
  };
}

describe('sessions end with the changes that call for it', () => {
  const started = (sessionId: string) => ({
    type: 'SessionStarted' as const,
    data: { sessionId, userId: 'a1', expiresAt: '2026-01-02T00:00:00.000Z' },
  });
  function worldWithSessions(...sessionIds: string[]) {
    const world = inMemoryIdentity();
    world.run(identityPlans.createUser(alice, keyOf));
    world.run(identityPlans.createUser({ ...alice, userId: 'b2', email: 'b@x.io' }, keyOf));
    for (const id of sessionIds) world.streams.set(`session-${id}`, [started(id)]);
    return world;
  }
  const ended = (world: ReturnType<typeof inMemoryIdentity>, id: string) =>
    world.streams.get(`session-${id}`)?.at(-1)?.type === 'SessionEnded';

  it('ends the sessions a password change names, and only those', () => {
    const world = worldWithSessions('s1', 's2', 'own');
    world.run(identityPlans.changePassword('a1', 'h2', undefined, ['s1', 's2']));
    expect([ended(world, 's1'), ended(world, 's2'), ended(world, 'own')]).toEqual([true, true, false]);
  });
  it('ends sessions on deactivation and on reactivation, without events for ones already ended', () => {
    const world = worldWithSessions('s1', 's2');
    world.run(identityPlans.deactivateUser('a1', undefined, ['s1']));
    expect(world.streams.get('session-s1')?.at(-1)).toEqual({ type: 'SessionEnded', data: { reason: 'revoked' } });
    world.run(identityPlans.reactivateUser('a1', undefined, ['s1', 's2']));
    expect(world.streams.get('session-s1')).toHaveLength(2);
    expect(ended(world, 's2')).toBe(true);
  });
});

describe('identity invariants (property)', () => {
  const ids = ['u0', 'u1', 'u2', 'u3'];
  const emails = ['a@x.io', 'A@x.io', 'b@x.io', 'c@x.io'];
  const command = fc.oneof(
    fc.record({
      kind: fc.constant('create' as const),
      id: fc.constantFrom(...ids),
      email: fc.constantFrom(...emails),
      role: fc.constantFrom<Role>('admin', 'viewer'),
    }),
    fc.record({
      kind: fc.constant('role' as const),
      id: fc.constantFrom(...ids),
      role: fc.constantFrom<Role>('admin', 'viewer'),
    }),
    fc.record({ kind: fc.constant('email' as const), id: fc.constantFrom(...ids), email: fc.constantFrom(...emails) }),
    fc.record({ kind: fc.constant('deactivate' as const), id: fc.constantFrom(...ids) }),
    fc.record({ kind: fc.constant('reactivate' as const), id: fc.constantFrom(...ids) }),
    fc.record({ kind: fc.constant('forget' as const), id: fc.constantFrom(...ids) }),
  );

  it('never leaves zero active admins and never gives two users one email', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        const world = inMemoryIdentity();
        world.run(
          identityPlans.createUser(
            {
              userId: 'root',
              email: 'root@x.io',
              name: 'Root',
              role: 'admin',
              passwordHash: 'h',
            },
            keyOf,
          ),
        );
        for (const c of commands) {
          const plan =
            c.kind === 'create'
              ? identityPlans.createUser(
                  { userId: c.id, email: c.email, name: c.id, role: c.role, passwordHash: 'h' },
                  keyOf,
                )
              : c.kind === 'role'
                ? identityPlans.changeRole(c.id, c.role)
                : c.kind === 'email'
                  ? identityPlans.changeEmail(c.id, c.email, keyOf)
                  : c.kind === 'deactivate'
                    ? identityPlans.deactivateUser(c.id)
                    : c.kind === 'forget'
                      ? identityPlans.forgetUser(c.id, keyOf)
                      : identityPlans.reactivateUser(c.id);
          try {
            world.run(plan);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
          const users = world.users().flatMap((u) => (u.status === 'none' ? [] : [u]));
          const activeAdmins = users.filter((u) => u.status === 'active' && u.role === 'admin');
          expect(activeAdmins.length).toBeGreaterThan(0);
          const owned = users.filter((u) => u.status !== 'forgotten').map((u) => normaliseEmail(u.email));
          expect(new Set(owned).size).toBe(owned.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
