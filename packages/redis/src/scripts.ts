// The outbox's Lua scripts. Each runs atomically on the server, so no two processes ever see an
// entry half-claimed, and each reads the time from the server (`TIME`), never from the caller:
// processes whose clocks disagree still agree on when a lease lapses.
//
// Keys, in this order for every script (one hash tag, so they share a Redis Cluster slot):
//   1 entries  hash  id -> the entry's JSON
//   2 order    zset  id -> createdAt: every entry, oldest first (list, and claim's order)
//   3 leases   zset  id -> when its lease lapses (ms): held entries, and retries not yet due
//   4 ready    zset  id -> createdAt: entries known to be due (their lease lapsed)
//   5 owners   hash  id -> who holds (or last held) its lease

const now = `
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/** ARGV: id, JSON, owner, lease ms. Returns 1 when stored, 0 when the id exists (untouched). */
export const putScript = `${now}
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
redis.call('ZADD', KEYS[3], now() + tonumber(ARGV[4]), ARGV[1])
redis.call('HSET', KEYS[5], ARGV[1], ARGV[3])
return 1
`;

/**
 * ARGV: limit, owner, lease ms, at most how many lapsed leases to move per call. Moves lapsed
 * leases to ready (a bounded number per call, so one script never blocks the server for long),
 * then leases the oldest ready entries. Returns their JSON.
 */
export const claimScript = `${now}
local t = now()
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', t, 'LIMIT', 0, tonumber(ARGV[4]))
for _, id in ipairs(lapsed) do
  redis.call('ZREM', KEYS[3], id)
  local created = redis.call('ZSCORE', KEYS[2], id)
  if created then redis.call('ZADD', KEYS[4], created, id) end
end
local ids = redis.call('ZRANGE', KEYS[4], 0, tonumber(ARGV[1]) - 1)
local expiry = t + tonumber(ARGV[3])
local claimed = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[4], id)
  local json = redis.call('HGET', KEYS[1], id)
  if json then
    redis.call('ZADD', KEYS[3], expiry, id)
    redis.call('HSET', KEYS[5], id, ARGV[2])
    claimed[#claimed + 1] = json
  end
end
return claimed
`;

/**
 * ARGV: id, owner, lease ms. Returns 1 when the lease was taken or extended (the entry exists and
 * is held by owner, or its lease lapsed), 0 when it is gone or another owner's lease holds.
 */
export const renewScript = `${now}
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
local t = now()
local expiry = redis.call('ZSCORE', KEYS[3], ARGV[1])
if expiry and tonumber(expiry) > t and redis.call('HGET', KEYS[5], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZADD', KEYS[3], t + tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[5], ARGV[1], ARGV[2])
return 1
`;

/** ARGV: id. Forgets the entry wherever it is. */
export const deleteScript = `
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
return 1
`;

/** ARGV: limit (0: all). Returns the JSON of the oldest entries, oldest first. */
export const listScript = `
local ids = redis.call('ZRANGE', KEYS[2], 0, tonumber(ARGV[1]) - 1)
local listed = {}
for _, id in ipairs(ids) do
  local json = redis.call('HGET', KEYS[1], id)
  if json then listed[#listed + 1] = json end
end
return listed
`;

/**
 * KEYS: the key. ARGV: value, ttl ms. Raises the integer under the key; returns the result as
 * the string stored (Lua's numbers would round integers past 2^53 - 1 on the way back).
 */
export const raiseScript = `
local stored = redis.call('GET', KEYS[1])
local current = tonumber(stored)
if current and current == math.floor(current) and current >= tonumber(ARGV[1]) then
  return stored
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
`;

/** KEYS: the key. Returns its value or nil. */
export const getScript = `return redis.call('GET', KEYS[1])`;

/** KEYS: the key. ARGV: value, ttl ms. */
export const setScript = `return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])`;

/** KEYS: the key. */
export const deleteKeyScript = `return redis.call('DEL', KEYS[1])`;
