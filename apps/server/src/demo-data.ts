import { type App, createDemoUsers, type demoUsers, loadAccountByEmail } from '@strata/api';
import { publishingPlans, shopPlans } from '@strata/domain';

/**
 * What `--demo` adds to an empty Strata, so every screen has something to show: alice (admin)
 * and bob (viewer), two published articles and a draft, three items, alice's wallet with an order.
 * Every command carries a fixed command id, so starting with `--demo` again adds nothing twice.
 */
export async function seedDemoData(app: App): Promise<typeof demoUsers> {
  const created = await createDemoUsers(app);
  const alice = await loadAccountByEmail(app, 'alice@example.com');
  const run = (commandId: string, plan: Parameters<App['commands']['run']>[0]) =>
    app.commands.run(plan, { commandId: `demo:${commandId}`, metadata: { actorId: alice?.userId ?? 'system' } });

  const now = new Date().toISOString();
  for (const article of demoArticles) {
    await run(`draft:${article.articleId}`, publishingPlans.draftArticle(article));
    if (article.published)
      await run(`publish:${article.articleId}`, publishingPlans.publishArticle(article.articleId, now));
  }
  for (const item of demoItems) await run(`item:${item.sku}`, shopPlans.addItem(item));
  if (alice) {
    await run('wallet', shopPlans.openWallet(demoWalletId, alice.userId));
    await run('top-up', shopPlans.topUpWallet(demoWalletId, 250_00));
    await run(
      'order',
      shopPlans.placeOrder({
        orderId: '0d3c5f0e-7a54-4c41-9d59-5e8a1d2b6c01',
        walletId: demoWalletId,
        lines: [
          { sku: 'MUG-BLUE', quantity: 2 },
          { sku: 'NOTEBOOK-A5', quantity: 1 },
        ],
      }),
    );
  }
  return created;
}

const demoWalletId = '4b0f2a9e-8d7c-4e61-a5b3-2c9d8e7f6a01';

const demoItems = [
  { sku: 'MUG-BLUE', name: 'Blue mug', price: 12_50, quantity: 40 },
  { sku: 'NOTEBOOK-A5', name: 'A5 notebook', price: 7_90, quantity: 120 },
  { sku: 'PEN-BLACK', name: 'Black pen', price: 2_20, quantity: 500 },
];

const demoArticles = [
  {
    articleId: '6a1e9c3b-2f4d-4b8a-9e7c-1d2f3a4b5c01',
    title: 'Every change is an event',
    body: 'Strata keeps every change as an immutable event. Screens read projections built from them, so you can always answer who changed what, when — and what it looked like then.',
    published: true,
  },
  {
    articleId: '6a1e9c3b-2f4d-4b8a-9e7c-1d2f3a4b5c02',
    title: 'Time travel for admins',
    body: 'Open a user and drag the slider: the page shows the user as they were at that version, with a diff to now.',
    published: true,
  },
  {
    articleId: '6a1e9c3b-2f4d-4b8a-9e7c-1d2f3a4b5c03',
    title: 'Release notes (draft)',
    body: 'Not published yet: drafts never appear in the feed, the sitemap or search.',
    published: false,
  },
];
