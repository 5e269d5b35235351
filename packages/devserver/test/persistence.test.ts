import { mkdir, mkdtemp, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DevServerDataError, startDevServer } from '../src/index.js';
import { del, post, VISITOR } from './helpers.js';

const KEY = 'df_persist_key';
const websites = [{ id: 'site_p', domain: 'p.test', apiKey: KEY }];
let dir: string;
let dataFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devserver-data-'));
  dataFile = join(dir, 'data.json');
});

const start = () => startDevServer({ websites, dataFile });

describe('--data persistence', () => {
  it('keeps payments across a restart, duplicates included', async () => {
    const first = await start();
    await post(first, { transaction_id: 'a', datafast_visitor_id: VISITOR });
    await post(first, { transaction_id: 'b', amount: 0 });
    const before = first.payments();
    await first.close();

    const second = await start();
    try {
      expect(second.payments()).toEqual(before);
      const again = await post(second, { transaction_id: 'a' });
      expect(again.json.message).toMatch(/duplicate/i);
      expect(second.payments()).toHaveLength(2);
    } finally {
      await second.close();
    }
  });

  it('starts empty when the file does not exist, and writes it on the first payment', async () => {
    const dev = await start();
    try {
      expect(dev.payments()).toEqual([]);
      await post(dev, { transaction_id: 'first' });
      const saved = JSON.parse(await readFile(dataFile, 'utf8'));
      expect(saved).toEqual({
        format: 'datafast-devserver',
        version: 1,
        payments: [expect.objectContaining({ transaction_id: 'first', website_id: 'site_p' })],
      });
    } finally {
      await dev.close();
    }
  });

  it('has the payment on disk by the time the POST is answered', async () => {
    const dev = await start();
    try {
      await post(dev, { transaction_id: 'durable' });
      expect(await readFile(dataFile, 'utf8')).toContain('"durable"');
    } finally {
      await dev.close();
    }
  });

  it('replaces the file by rename (never rewrites it in place), leaving no temporary files', async () => {
    const dev = await start();
    try {
      await post(dev, { transaction_id: 'one' });
      // A handle on the old file: an in-place rewrite would change what it reads, a rename can not.
      const old = await open(dataFile, 'r');
      try {
        const oldText = await readFile(dataFile, 'utf8');
        await Promise.all(['two', 'three', 'four'].map((id) => post(dev, { transaction_id: id })));
        expect(await old.readFile('utf8')).toBe(oldText);
        expect((await stat(dataFile)).ino).not.toBe((await old.stat()).ino);
      } finally {
        await old.close();
      }
      expect(await readdir(dir)).toEqual(['data.json']);
      const saved = JSON.parse(await readFile(dataFile, 'utf8'));
      expect(
        saved.payments.map((p: { transaction_id: string }) => p.transaction_id).sort(),
      ).toEqual(['four', 'one', 'three', 'two']);
    } finally {
      await dev.close();
    }
  });

  it('persists deletes and resets', async () => {
    const dev = await start();
    await post(dev, { transaction_id: 'keep' });
    await post(dev, { transaction_id: 'drop' });
    await del(dev, { transaction_id: 'drop' });
    await dev.close();
    const reopened = await start();
    expect(reopened.payments().map((p) => p.transaction_id)).toEqual(['keep']);
    await reopened.reset();
    await reopened.close();
    const empty = await start();
    expect(empty.payments()).toEqual([]);
    await empty.close();
  });

  it('flushes a write still in flight when close() is called', async () => {
    const dev = await start();
    const answered = post(dev, { transaction_id: 'in_flight' }).catch(() => undefined);
    await dev.waitForPayment('in_flight');
    await dev.close();
    await answered;
    expect(await readFile(dataFile, 'utf8')).toContain('"in_flight"');
  });

  it('answers 500 and stores nothing when the file can not be written', async () => {
    const dev = await start();
    try {
      await mkdir(dataFile); // a directory where the file should go: the rename fails
      const reply = await post(dev, { transaction_id: 'unwritable' });
      expect(reply.status).toBe(500);
      expect(reply.json.error.message).toMatch(/data file/);
      expect(dev.payments()).toEqual([]);
    } finally {
      await dev.close();
    }
  });
});

describe('a corrupt data file is an error at start, never silently reset', () => {
  const corrupt: [string, string, RegExp][] = [
    [
      'invalid JSON',
      '{"format": "datafast-devserver", "payments": [',
      /is corrupt: it is not valid JSON/,
    ],
    ['an empty file', '', /is corrupt: it is not valid JSON/],
    ['another format', '[]', /is corrupt: it is not a JSON object/],
    ['a missing format marker', '{"payments": []}', /"format" is not "datafast-devserver"/],
    [
      'an unknown version',
      '{"format":"datafast-devserver","version":9,"payments":[]}',
      /"version" 9 is unknown/,
    ],
    [
      'a record without an amount',
      JSON.stringify({
        format: 'datafast-devserver',
        version: 1,
        payments: [
          {
            website_id: 's',
            transaction_id: 't',
            currency: 'USD',
            renewal: false,
            refunded: false,
            is_free_trial: false,
            timestamp: '2026-01-01T00:00:00.000Z',
            received_at: '2026-01-01T00:00:00.000Z',
          },
        ],
      }),
      /payments\[0\]\.amount is not a number/,
    ],
  ];

  it.each(corrupt)('refuses %s and leaves the file untouched', async (_name, text, message) => {
    await writeFile(dataFile, text);
    const error = await start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevServerDataError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(dataFile);
    expect((error as Error).message).toMatch(/does not reset it silently/);
    expect(await readFile(dataFile, 'utf8')).toBe(text);
  });

  it('refuses a data file in a folder that does not exist', async () => {
    await expect(startDevServer({ dataFile: join(dir, 'nope', 'data.json') })).rejects.toThrow(
      DevServerDataError,
    );
  });
});
