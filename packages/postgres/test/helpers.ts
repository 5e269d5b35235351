import { randomUUID } from 'node:crypto';
import type { OutboxEntry } from '@datafast-checkout/core';
import pg from 'pg';
import postgres from 'postgres';
import { inject } from 'vitest';
import type { PostgresClient } from '../src/index.js';

/** A driver the package is tested with: how to open a client on a URL, and how to end it. */
export interface Driver {
  name: string;
  open(url: string): { client: PostgresClient; end(): Promise<void> };
}

/** `pg` (node-postgres) and postgres.js, the two drivers the README promises. */
export const drivers: Driver[] = [
  {
    name: 'pg Pool',
    open(url) {
      const pool = new pg.Pool({ connectionString: url, max: 8 });
      return { client: pool, end: () => pool.end() };
    },
  },
  {
    name: 'postgres.js',
    open(url) {
      // `onnotice`: CREATE ... IF NOT EXISTS notices are not worth a console line.
      const sql = postgres(url, { max: 8, onnotice: () => {} });
      return { client: sql, end: () => sql.end({ timeout: 5 }) };
    },
  },
];

/** The URL of the PostgreSQL server the package's tests share (started by global-setup.ts). */
export const engineUrl = (): string => inject('postgresUrl');

/** A table name no other test uses (the files share one server). */
export function freshTable(prefix = 'outbox'): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/** An outbox entry as core makes them: `createdAt` apart by `i` ms, so their order is known. */
export function entry(i: number, createdAt = 1_767_225_600_000 + i): OutboxEntry {
  const id = `ch_${String(i).padStart(5, '0')}`;
  return {
    id,
    body: {
      amount: 10 + i / 100,
      currency: 'EUR',
      transaction_id: id,
      datafast_visitor_id: 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd',
      timestamp: new Date(createdAt).toISOString(),
    },
    createdAt,
  };
}
