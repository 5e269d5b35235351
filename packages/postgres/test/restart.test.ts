import { startPostgres } from '@datafast-checkout/testing';
import pg from 'pg';
import { expect, it } from 'vitest';
import { migratePostgresOutbox, postgresOutbox } from '../src/index.js';

// A server of its own: this test stops it.
it("keeps a restart of PostgreSQL from ending the process: pg's pool emits its idle connections' errors", async () => {
  const engine = await startPostgres();
  const pool = new pg.Pool({ connectionString: engine.url, max: 4 });
  try {
    await migratePostgresOutbox(pool);
    const outbox = postgresOutbox({ pool });
    await Promise.all(Array.from({ length: 4 }, () => outbox.list()));
    expect(pool.idleCount).toBeGreaterThan(0);

    // A fast shutdown ends every connection with an error (57P01). Without a listener, the
    // pool's 'error' event for each idle one is an uncaught exception: the process would end.
    await engine.stop();
    while (pool.idleCount > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(outbox.list()).rejects.toMatchObject({ operation: 'list', code: 'ECONNREFUSED' });

    await engine.start();
    expect(await outbox.list()).toEqual([]);
  } finally {
    await pool.end();
    await engine.close();
  }
});
