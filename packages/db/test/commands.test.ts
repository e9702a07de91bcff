import { randomUUID } from 'node:crypto';
import {
  articleDecider,
  articleStream,
  DomainError,
  domainEvents,
  identityPlans,
  normaliseEmail,
  publishingPlans,
  userDecider,
  userStream,
} from '@strata/domain';
import { describe, expect, it } from 'vitest';
import { aggregateStream, createCommandRunner, loadSnapshot, saveSnapshot, usersProjection } from '../src/index.ts';
import { testEngines, useTestDatabase } from '../src/testing/index.ts';

for (const engine of testEngines()) {
  describe.skipIf(engine.unavailable)(`command runner on ${engine.name}`, () => {
    const test = useTestDatabase(engine.name);

    async function createUser(commands: ReturnType<typeof createCommandRunner>) {
      const userId = randomUUID();
      await commands.run(
        identityPlans.createUser(
          {
            userId,
            email: `${userId}@example.com`,
            name: 'N0',
            role: 'viewer',
            passwordHash: 'h',
          },
          normaliseEmail,
        ),
      );
      return userId;
    }

    it('snapshots every N events and loads from the newest snapshot', async () => {
      const commands = createCommandRunner({
        database: test.database,
        catalog: domainEvents,
        projections: [usersProjection],
        snapshotEvery: 3,
      });
      const userId = await createUser(commands);
      for (let i = 1; i <= 7; i++) await commands.run(identityPlans.renameUser(userId, `N${i}`));
      const snapshot = await loadSnapshot(test.database.db, userStream(userId), {
        stateVersion: userDecider.stateVersion ?? 1,
      });
      expect(snapshot?.version).toBe(6);
      expect(snapshot?.state).toMatchObject({ name: 'N5' });
      const viaSnapshot = await aggregateStream(test.database.db, userStream(userId), {
        initialState: userDecider.initialState,
        evolve: (s, e) => userDecider.evolve(s, domainEvents.decode(e) as never),
        snapshotStateVersion: userDecider.stateVersion ?? 1,
      });
      expect(viaSnapshot).toMatchObject({ fromSnapshot: 6, version: 8, state: { name: 'N7' } });
      expect((await commands.load(userDecider, userStream(userId))).state).toEqual(viaSnapshot.state);
    });

    it('ignores a snapshot written for another state shape', async () => {
      const commands = createCommandRunner({
        database: test.database,
        catalog: domainEvents,
        projections: [usersProjection],
        snapshotEvery: 100,
      });
      const userId = await createUser(commands);
      await commands.run(identityPlans.renameUser(userId, 'Real'));
      // An older build stored a state of another shape (stateVersion 1) at version 2.
      await saveSnapshot(test.database.db, {
        streamId: userStream(userId),
        version: 2,
        stateVersion: 1,
        state: { garbage: true },
      });
      const reshaped = { ...userDecider, stateVersion: 2 };
      const loaded = await commands.load(reshaped, userStream(userId));
      expect(loaded).toMatchObject({ version: 2, state: { status: 'active', name: 'Real' } });
    });

    it('retries a stale loaded version and reports a stale pinned one', async () => {
      const commands = createCommandRunner({
        database: test.database,
        catalog: domainEvents,
        projections: [usersProjection],
      });
      const userId = await createUser(commands);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => commands.run(identityPlans.renameUser(userId, `Racer ${i}`))),
      );
      expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
      await expect(commands.run(identityPlans.renameUser(userId, 'Late', 1))).rejects.toMatchObject({
        code: 'store.wrong_expected_version',
        expected: 1,
        actual: 9,
      });
    });

    it('trusts the states it cached only where the append checks them (another process writes meanwhile)', async () => {
      const options = { database: test.database, catalog: domainEvents, projections: [usersProjection] };
      // Two runners: two api processes, each with its own cache of what it last wrote.
      const here = createCommandRunner(options);
      const elsewhere = createCommandRunner(options);
      const userId = await createUser(here);
      const state = async () => (await elsewhere.load(userDecider, userStream(userId))).state;

      // A no-op on the cached name ('N0') would be wrong: the name is 'N1' by now.
      await elsewhere.run(identityPlans.renameUser(userId, 'N1'));
      expect((await here.run(identityPlans.renameUser(userId, 'N0'))).version).toBe(3);
      expect(await state()).toMatchObject({ name: 'N0' });

      // A refusal on the cached status would be wrong: the user was reactivated elsewhere.
      await here.run(identityPlans.deactivateUser(userId));
      await elsewhere.run(identityPlans.reactivateUser(userId));
      expect((await here.run(identityPlans.deactivateUser(userId))).version).toBe(6);
      expect(await state()).toMatchObject({ status: 'deactivated' });

      // A caller's version that is not the cached one: decided on what the database holds.
      await elsewhere.run(identityPlans.renameUser(userId, 'N2'));
      expect((await here.run(identityPlans.renameUser(userId, 'N3', 7))).version).toBe(8);

      // A stale cached version that the append catches: retried on fresh state.
      await elsewhere.run(identityPlans.renameUser(userId, 'N4'));
      expect((await here.run(identityPlans.renameUser(userId, 'N5'))).version).toBe(10);
      expect(await state()).toMatchObject({ name: 'N5', status: 'deactivated' });
    });

    it('decides on streams presumed new without loading them, and on what is stored when the guess is wrong', async () => {
      const options = { database: test.database, catalog: domainEvents, projections: [] };
      const here = createCommandRunner(options);
      const elsewhere = createCommandRunner(options);
      const refusal = (run: Promise<unknown>) =>
        run.then(
          () => 'appended',
          (error: unknown) => (error instanceof DomainError ? error.code : error),
        );
      const draft = (articleId: string, title: string, slug?: string) =>
        publishingPlans.draftArticle({ articleId, title, body: 'b', slug });

      // A given slug another process holds: the append's version 0 fails, the retry reads and refuses.
      const first = randomUUID();
      await elsewhere.run(draft(first, 'Weekly roundup', 'weekly'));
      expect(await refusal(here.run(draft(randomUUID(), 'Other', 'weekly')))).toBe('article.slug_taken');

      // A title's slug held elsewhere: the fallback is taken, as if the claim had been loaded.
      const second = randomUUID();
      const drafted = await here.run(draft(second, 'Weekly', undefined));
      expect(drafted.streams.map((s) => s.streamId)).toContain(`article-slug-weekly-${second.slice(0, 8)}`);

      // The fallback is presumed too, and only looked at when the preferred slug is taken: held
      // elsewhere while the preferred one is free, it changes nothing...
      const third = randomUUID();
      await elsewhere.run(draft(randomUUID(), 'Squatter', `monthly-${third.slice(0, 8)}`));
      const monthly = await here.run(draft(third, 'Monthly', undefined));
      expect(monthly.streams.map((s) => s.streamId)).toContain('article-slug-monthly');
      // ...and when both are held, the guess fails at the append and the retry refuses.
      const fourth = randomUUID();
      await elsewhere.run(draft(randomUUID(), 'Squatter', `weekly-${fourth.slice(0, 8)}`));
      expect(await refusal(here.run(draft(fourth, 'Weekly', undefined)))).toBe('article.slug_taken');

      // An id that exists after all: refused as the decider refuses it, nothing appended twice.
      expect(await refusal(here.run(draft(first, 'Again', 'again')))).toBe('article.already_exists');
      const article = await here.load(articleDecider, articleStream(first));
      expect(article).toMatchObject({ version: 1, state: { title: 'Weekly roundup' } });
    });
  });
}
