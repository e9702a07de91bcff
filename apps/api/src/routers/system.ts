import { headPosition } from '@strata/db';
import { publicProcedure, router } from '../trpc.ts';

export const systemRouter = router({
  health: publicProcedure.query(async ({ ctx }) => ({
    ok: true,
    database: ctx.app.database.engine,
    headPosition: await headPosition(ctx.app.database.db),
  })),
});
