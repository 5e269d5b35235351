import { afterEach, expect } from 'vitest';

// Every test must leave no unhandled rejection behind: `track` and the queue promise never to
// reject into the host application.
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => {
  unhandled.push(reason);
});

afterEach(() => {
  expect(unhandled, 'unhandled rejections during the test').toEqual([]);
  unhandled.length = 0;
});
