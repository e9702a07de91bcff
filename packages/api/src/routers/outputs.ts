import { articleStatusSchema, roleSchema, userStatusSchema } from '@strata/domain';
import { z } from 'zod';

/**
 * What the procedures answer, as zod schemas: the OpenAPI document's responses come from these,
 * and tRPC checks every answer against them (a field a resolver forgets fails the typecheck, one it
 * adds is dropped). Dates are Date objects here; over /api (plain JSON) they are ISO strings.
 */

const timestamp = z.date().meta({ format: 'date-time' });

/** What every mutation answers besides its own fields: the stream it changed and where. */
const streamPosition = {
  streamId: z.string(),
  version: z.int(),
  position: z.int().meta({ description: 'Pass as `minPosition` to a query to read your own write' }),
};

export const userMutationOutput = z.object({ userId: z.string(), ...streamPosition });
export const articleMutationOutput = z.object({ articleId: z.string(), ...streamPosition });
export const articleDraftOutput = z.object({ articleId: z.string(), slug: z.string(), ...streamPosition });
export const itemMutationOutput = z.object({ sku: z.string(), ...streamPosition });
export const walletMutationOutput = z.object({ walletId: z.string(), ...streamPosition });
export const walletOpenOutput = z.object({ walletId: z.string(), ownerId: z.string(), ...streamPosition });

const page = <Item extends z.ZodType>(item: Item) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
  });

export const sessionUser = z
  .object({ userId: z.string(), email: z.string(), name: z.string(), role: roleSchema })
  .meta({ id: 'SessionUser' });

export const authStatusOutput = z.object({ needsBootstrap: z.boolean() });
export const bootstrapAdminOutput = z.object({
  userId: z.string(),
  token: z.string().meta({ description: 'Send as `Authorization: Bearer <token>`' }),
  position: z.int(),
  user: sessionUser,
});
export const loginOutput = z.object({
  token: z.string().meta({ description: 'Send as `Authorization: Bearer <token>`' }),
  expiresAt: timestamp,
  user: sessionUser,
});
export const okOutput = z.object({ ok: z.boolean() });
export const meOutput = z.object({ user: sessionUser });
export const sessionOutput = z.object({ user: sessionUser.nullable() });
export const streamTicketOutput = z.object({ ticket: z.string(), expiresAt: timestamp });

export const userRow = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    status: userStatusSchema,
    version: z.int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'User' });
export const userPage = page(userRow);
export const userAsOfOutput = z.discriminatedUnion('exists', [
  z.object({ exists: z.literal(false), version: z.int() }),
  z.object({
    exists: z.literal(true),
    version: z.int(),
    user: z.object({
      status: userStatusSchema,
      userId: z.string(),
      email: z.string(),
      name: z.string(),
      role: roleSchema,
    }),
  }),
]);

export const eventView = z
  .object({
    position: z.int(),
    eventId: z.string(),
    streamId: z.string(),
    streamType: z.string(),
    version: z.int(),
    type: z.string(),
    schemaVersion: z.int(),
    data: z.unknown().meta({ description: "The event's data, secrets removed" }),
    metadata: z.record(z.string(), z.unknown()),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    recordedAt: timestamp,
  })
  .meta({ id: 'Event' });
export const eventViews = z.array(eventView);
export const eventPage = z.object({
  items: eventViews,
  nextPosition: z.int().meta({ description: 'Pass as `afterPosition` to continue' }),
});
export const eventTypesOutput = z.array(z.string());

export const projectionStatus = z
  .object({
    name: z.string(),
    kind: z.enum(['projection', 'reactor']),
    mode: z.enum(['inline', 'async']),
    position: z.int(),
    headPosition: z.int(),
    lag: z.int(),
    lagSeconds: z.number(),
    state: z.enum(['inline', 'running', 'idle', 'stopped', 'rebuilding', 'failed']),
    workerId: z.string().nullable(),
    lastError: z.string().nullable(),
    rebuild: z
      .object({
        status: z.enum(['running', 'done', 'failed']),
        eventsDone: z.int(),
        eventsTotal: z.int(),
        eventsPerSecond: z.number(),
        startedAt: timestamp,
        finishedAt: timestamp.nullable(),
        error: z.string().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'ProjectionStatus' });
export const projectionStatuses = z.array(projectionStatus);
export const rebuildOutput = z.object({ name: z.string() });
export const eventStatsOutput = z.array(
  z.object({
    streamType: z.string(),
    type: z.string(),
    count: z.int(),
    lastPosition: z.int(),
    lastRecordedAt: timestamp,
  }),
);

export const walletRow = z
  .object({
    walletId: z.string(),
    ownerId: z.string(),
    balance: z.int(),
    version: z.int(),
    openedAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Wallet' });
export const walletPage = page(walletRow);

export const itemRow = z
  .object({
    sku: z.string(),
    name: z.string(),
    price: z.int(),
    stock: z.int(),
    version: z.int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Item' });
export const itemPage = page(itemRow);
export const salesPage = page(
  z.object({
    sku: z.string(),
    name: z.string().nullable(),
    quantitySold: z.int(),
    revenue: z.int(),
    orders: z.int(),
    lastSoldAt: timestamp,
  }),
);

const pricedLine = z.object({ sku: z.string(), quantity: z.int(), unitPrice: z.int() });
export const orderRow = z
  .object({
    orderId: z.string(),
    walletId: z.string(),
    lines: z.array(pricedLine),
    total: z.int(),
    placedAt: timestamp,
  })
  .meta({ id: 'Order' });
export const orderPage = page(orderRow);
export const placeOrderOutput = z.object({
  orderId: z.string(),
  walletId: z.string(),
  total: z.int(),
  lines: z.array(pricedLine),
  placedAt: timestamp,
  ...streamPosition,
});

const articleSummary = {
  articleId: z.string(),
  slug: z.string(),
  title: z.string(),
  status: articleStatusSchema,
  publishedAt: timestamp.nullable(),
  version: z.int(),
  createdAt: timestamp,
  updatedAt: timestamp,
};
export const articlePage = page(z.object(articleSummary).meta({ id: 'ArticleSummary' }));
export const articleRow = z.object({ ...articleSummary, body: z.string() }).meta({ id: 'Article' });
const snippetPart = z.object({ text: z.string(), match: z.boolean() });
export const articleSearchOutput = z.object({
  items: z.array(
    z.object({
      articleId: z.string(),
      slug: z.string(),
      title: z.string(),
      publishedAt: timestamp,
      rank: z.number(),
      titleMatch: z.boolean(),
      titleParts: z.array(snippetPart),
      snippet: z.array(snippetPart),
      snippetHtml: z.string(),
    }),
  ),
});
export const publishedArticle = z
  .object({
    articleId: z.string(),
    slug: z.string(),
    title: z.string(),
    body: z.string(),
    publishedAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'PublishedArticle' });

export const systemHealthOutput = z.object({
  ok: z.boolean(),
  database: z.enum(['pglite', 'postgres']),
  headPosition: z.int(),
});
