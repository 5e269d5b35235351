// `npm run db:migrate`: creates the outbox's table in DATABASE_URL's database (idempotent: run it
// at every deploy). The app never creates it by itself.
import { migratePostgresOutbox } from '@datafast-checkout/postgres';
import pg from 'pg';

if (!process.env.DATABASE_URL) {
  console.error('Set DATABASE_URL to the PostgreSQL database to create the outbox in.');
  process.exit(1);
}
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
try {
  await migratePostgresOutbox(pool);
  console.log('The outbox table (datafast_outbox) is ready.');
} finally {
  await pool.end();
}
