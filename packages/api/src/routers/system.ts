import { headPosition } from '@strata/db';
import { publicProcedure, router } from '../trpc.ts';
import { query } from './openapi-meta.ts';
import * as o from './outputs.ts';

export const systemRouter = router({
  health: publicProcedure
    .meta(query('/system/health', 'Whether the api and its database answer', { public: true }))
    .output(o.systemHealthOutput)
    .query(async ({ ctx }) => ({
      ok: true,
      database: ctx.app.database.engine,
      headPosition: await headPosition(ctx.app.database.db),
    })),
});
