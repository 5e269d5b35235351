// Row 10b: what the Redis outbox adds to a checkout. The Express bench app's route with our
// adapter and `redisOutbox` (node-redis, a durable redis-server on loopback: appendfsync always)
// against the same route without an outbox, in one interleaved load per round, healthy DataFast.
// Figures are ratios of the two, per round; a second process of the no-report route against the
// first (the control) shows how finely this run resolves latencies.
import { startRedisServer } from '../lib/redis.mjs';
import { median } from '../lib/stats.mjs';
import { row } from '../lib/table.mjs';
import { measureVariants } from './latency.mjs';

const ms = (value) => `${value.toFixed(2)} ms`;
const title = 'Express checkout with the Redis outbox (node-redis, appendfsync always)';

/** One row of `variant` against `baseline`: the ratio of their `key` latency, round by round. */
function ratioRow(id, results, variant, baseline, key, what, goal) {
  return row({
    id,
    title: `${what}: ${key} latency`,
    baseline: ms(median(results[baseline].map((r) => r[key]))),
    measured: ms(median(results[variant].map((r) => r[key]))),
    ratios: results[variant].map((r, i) => r[key] / results[baseline][i][key]),
    unit: 'x',
    ...goal,
  });
}

export async function redisOutboxRows({ rounds, devserver }) {
  const redis = await startRedisServer();
  try {
    const results = await measureVariants(
      'express',
      ['ours', 'redis', 'none', 'control'],
      (variant) =>
        variant === 'redis' ? { ...devserver.env, BENCH_REDIS_URL: redis.url } : devserver.env,
      rounds,
    );
    const goal = { goal: '≤ 1.25x', met: (ratio) => ratio <= 1.25 };
    const reference = { goal: 'none: how finely this run resolves' };
    return [
      ratioRow(
        '10b○',
        results,
        'control',
        'none',
        'p99',
        'control: two no-report processes',
        reference,
      ),
      ratioRow('10b', results, 'redis', 'ours', 'p50', `${title} vs no outbox`, goal),
      ratioRow('10b′', results, 'redis', 'ours', 'p99', `${title} vs no outbox`, goal),
    ];
  } finally {
    await redis.stop();
  }
}
