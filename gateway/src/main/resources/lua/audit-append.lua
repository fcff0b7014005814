-- Appends a batch of audit entries only if the chain head is still the one the caller linked
-- them to (compare-and-set), so concurrent appenders on several nodes never fork the chain, and
-- at most once per change id, so an outbox entry completed twice (by its writer and a sweeper, or
-- a crash between append and outbox removal) is on the record once.
-- KEYS[1] head hash {seq, hash, at}; KEYS[2] entries hash seq -> record; KEYS[3] time index
-- (zset at-millis -> seq); KEYS[4] applied change ids (zset change id -> seq, the newest kept);
-- KEYS[5..] per-establishment/prisoner/contact indexes (zset seq -> seq).
-- ARGV: expected seq, expected hash, new seq, new hash, new at, entry count, change ids kept, then
-- per entry: seq, record, at-millis, change id ("" when none), k, and k positions in KEYS of the
-- indexes the entry belongs to.
-- Returns {1, seq, hash, at} when written, {0, seq, hash, at} (the actual head) on conflict, and
-- {2, change id, seq, change id, seq ...} (nothing written) when entries for those changes are
-- already on the chain: the caller drops them and appends the rest.
local head = redis.call('HMGET', KEYS[1], 'seq', 'hash', 'at')
local seq = head[1] or '0'
local hash = head[2] or string.rep('0', 64)
local at = head[3] or '0'
if seq ~= ARGV[1] or hash ~= ARGV[2] then
  return {0, seq, hash, at}
end
local n = tonumber(ARGV[6])
-- check before writing anything: a script's earlier writes are not rolled back on error
local applied = {2}
local j = 8
for e = 1, n do
  if redis.call('HEXISTS', KEYS[2], ARGV[j]) == 1 then
    return redis.error_reply('AUDIT_CORRUPT entry ' .. ARGV[j] .. ' exists beyond the head')
  end
  local change = ARGV[j + 3]
  if change ~= '' then
    local at_seq = redis.call('ZSCORE', KEYS[4], change)
    if at_seq then
      applied[#applied + 1] = change
      applied[#applied + 1] = at_seq
    end
  end
  j = j + 5 + tonumber(ARGV[j + 4])
end
if #applied > 1 then
  return applied
end
local i = 8
for e = 1, n do
  local s = ARGV[i]
  redis.call('HSET', KEYS[2], s, ARGV[i + 1])
  redis.call('ZADD', KEYS[3], ARGV[i + 2], s)
  if ARGV[i + 3] ~= '' then
    redis.call('ZADD', KEYS[4], s, ARGV[i + 3])
  end
  local k = tonumber(ARGV[i + 4])
  for x = 1, k do
    redis.call('ZADD', KEYS[tonumber(ARGV[i + 4 + x])], s, s)
  end
  i = i + 5 + k
end
-- bounded: a change is completed again within minutes (outbox grace + lease), never 100,000 changes later
redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -(tonumber(ARGV[7]) + 1))
redis.call('HSET', KEYS[1], 'seq', ARGV[3], 'hash', ARGV[4], 'at', ARGV[5])
return {1, ARGV[3], ARGV[4], ARGV[5]}
