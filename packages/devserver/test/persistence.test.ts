import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DevServerDataError, startDevServer } from '../src/index.js';
import { del, openEvents, post, VISITOR } from './helpers.js';

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

describe('a data file that can not be written', () => {
  /** Makes the next writes fail: a directory where the file goes makes the rename fail. */
  const breakTheFile = async () => {
    await rm(dataFile, { force: true });
    await mkdir(dataFile);
  };

  it('puts deleted payments back in their places, silently, when the delete can not be saved', async () => {
    const dev = await start();
    try {
      for (const id of ['a', 'b', 'c', 'd']) await post(dev, { transaction_id: id });
      const before = dev.payments();
      const statsBefore = dev.stats();
      const events = await openEvents(dev);
      await events.until(/event: snapshot/);
      await breakTheFile();

      const reply = await del(dev, { transaction_id: 'b' });
      expect(reply.status).toBe(500);
      expect(reply.json.error.message).toMatch(/nothing was deleted/);
      await events.until(/event: restored\ndata: .*/);
      await events.close();

      expect(dev.payments()).toEqual(before);
      expect(dev.stats()).toMatchObject({ ...statsBefore, requests: 5, deleted: 0 });
      // The dashboard and waitForPayment see no new payment: nothing was paid again.
      const names = events.events();
      expect(names).not.toContain('payment');
      expect(names.filter((name) => name === 'restored')).toHaveLength(1);
      expect(names.indexOf('restored')).toBeGreaterThan(names.indexOf('deleted'));
      const restored = /event: restored\ndata: (.*)/.exec(events.text())?.[1] ?? '{}';
      expect(
        JSON.parse(restored).payments.map((p: { transaction_id: string }) => p.transaction_id),
      ).toEqual(['a', 'b', 'c', 'd']);
    } finally {
      await dev.close();
    }
  });

  it('never answers 200 to a duplicate of a payment whose write then fails', async () => {
    const dev = await start();
    try {
      await breakTheFile();
      const replies = await Promise.all(
        Array.from({ length: 12 }, () => post(dev, { transaction_id: 'unsaved' })),
      );
      expect(replies.map((r) => r.status)).toEqual(replies.map(() => 500));
      expect(dev.payments()).toEqual([]);
      expect(dev.stats()).toMatchObject({ payments: 0, duplicates: 0 });
    } finally {
      await dev.close();
    }
  });

  it('answers a duplicate 200 once the first write of the payment succeeded', async () => {
    const dev = await start();
    try {
      const replies = await Promise.all(
        Array.from({ length: 12 }, () => post(dev, { transaction_id: 'saved' })),
      );
      expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
      expect(replies.filter((r) => /duplicate/i.test(r.json.message))).toHaveLength(11);
      expect(JSON.parse(await readFile(dataFile, 'utf8')).payments).toHaveLength(1);
    } finally {
      await dev.close();
    }
  });
});

describe('the generated key is kept in the data file', () => {
  it('reuses the generated key of a data file at the next start', async () => {
    const first = await startDevServer({ dataFile });
    const key = first.apiKey;
    await first.close();
    expect(JSON.parse(await readFile(dataFile, 'utf8'))).toMatchObject({ generatedApiKey: key });
    const second = await startDevServer({ dataFile });
    try {
      expect(second.apiKey).toBe(key);
      expect((await post(second)).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('makes a new key at every start without a data file', async () => {
    const first = await startDevServer();
    const second = await startDevServer();
    try {
      expect(first.apiKey).not.toBe(second.apiKey);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('lets apiKey win over the stored key, and keeps the new one', async () => {
    await (await startDevServer({ dataFile })).close();
    const chosen = await startDevServer({ dataFile, apiKey: 'df_chosen_key' });
    expect(chosen.apiKey).toBe('df_chosen_key');
    await chosen.close();
    const again = await startDevServer({ dataFile });
    try {
      expect(again.apiKey).toBe('df_chosen_key');
    } finally {
      await again.close();
    }
  });

  it('keeps the stored key untouched while configured websites are used', async () => {
    const generated = await startDevServer({ dataFile });
    const key = generated.apiKey;
    await generated.close();
    const configured = await start();
    await post(configured, { transaction_id: 'with_config' });
    await configured.close();
    const again = await startDevServer({ dataFile });
    try {
      expect(again.apiKey).toBe(key);
    } finally {
      await again.close();
    }
  });

  it('refuses a data file whose stored key is not a df_ key', async () => {
    await writeFile(
      dataFile,
      JSON.stringify({
        format: 'datafast-devserver',
        version: 1,
        generatedApiKey: 'sk_live',
        payments: [],
      }),
    );
    await expect(startDevServer({ dataFile })).rejects.toThrow(
      /"generatedApiKey" is not a df_ key/,
    );
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
