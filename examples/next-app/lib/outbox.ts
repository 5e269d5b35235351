import { postgresOutbox } from '@datafast-checkout/postgres';
import pg from 'pg';

/**
 * Where reports wait until DataFast confirms them. With `DATABASE_URL` (Neon, Supabase, RDS, any
 * PostgreSQL), a table every instance and function shares: a report whose function froze while
 * DataFast was down waits there for the cron route (`app/api/cron/drain/route.ts`). Create the
 * table once with `npm run db:migrate`. Without `DATABASE_URL`, none: reports live in memory.
 * Node.js runtime only (`pg` needs its TCP sockets): the Edge route has its own client.
 *
 * @example
 * createDatafast({ outbox: sharedOutbox() })
 */
export function sharedOutbox() {
  const url = process.env.DATABASE_URL;
  if (!url) return undefined;
  return postgresOutbox({ pool: new pg.Pool({ connectionString: url, max: 3 }) });
}
