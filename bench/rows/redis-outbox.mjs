// Row 9a: what the Redis outbox adds to a checkout. The Express bench app's route with our
// adapter and `redisOutbox` (node-redis, a durable redis-server on loopback: appendfsync always)
// against the same route without an outbox, in one interleaved load per round, healthy DataFast.
// Figures are ratios of the two, per round.
import { startRedisServer } from '../lib/redis.mjs';
import { median } from '../lib/stats.mjs';
import { row } from '../lib/table.mjs';
import { measureVariants } from './latency.mjs';

const ms = (value) => `${value.toFixed(2)} ms`;

export async function redisOutboxRows({ rounds, devserver }) {
  const redis = await startRedisServer();
  try {
    const results = await measureVariants(
      'express',
      ['ours', 'redis'],
      (variant) =>
        variant === 'redis' ? { ...devserver.env, BENCH_REDIS_URL: redis.url } : devserver.env,
      rounds,
    );
    return ['p50', 'p99'].map((key) =>
      row({
        id: key === 'p50' ? '9a' : '9a′',
        title: `Express checkout with the Redis outbox (node-redis, appendfsync always): ${key} latency vs no outbox`,
        baseline: ms(median(results.ours.map((r) => r[key]))),
        measured: ms(median(results.redis.map((r) => r[key]))),
        ratios: results.redis.map((r, i) => r[key] / results.ours[i][key]),
        unit: 'x',
        goal: '≤ 1.25x',
        met: (ratio) => ratio <= 1.25,
      }),
    );
  } finally {
    await redis.stop();
  }
}
