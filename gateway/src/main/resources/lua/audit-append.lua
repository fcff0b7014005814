-- Appends a batch of audit entries only if the chain head is still the one the caller linked
-- them to (compare-and-set), so concurrent appenders on several nodes never fork the chain.
-- KEYS[1] head hash {seq, hash, at}; KEYS[2] entries hash seq -> record; KEYS[3] time index
-- (zset at-millis -> seq); KEYS[4..] per-establishment/prisoner/contact indexes (zset seq -> seq).
-- ARGV: expected seq, expected hash, new seq, new hash, new at, entry count, then per entry:
-- seq, record, at-millis, k, and k positions in KEYS of the indexes the entry belongs to.
-- Returns {1, seq, hash, at} when written, {0, seq, hash, at} (the actual head) on conflict.
local head = redis.call('HMGET', KEYS[1], 'seq', 'hash', 'at')
local seq = head[1] or '0'
local hash = head[2] or string.rep('0', 64)
local at = head[3] or '0'
if seq ~= ARGV[1] or hash ~= ARGV[2] then
  return {0, seq, hash, at}
end
local n = tonumber(ARGV[6])
-- check before writing anything: a script's earlier writes are not rolled back on error
local j = 7
for e = 1, n do
  if redis.call('HEXISTS', KEYS[2], ARGV[j]) == 1 then
    return redis.error_reply('AUDIT_CORRUPT entry ' .. ARGV[j] .. ' exists beyond the head')
  end
  j = j + 4 + tonumber(ARGV[j + 3])
end
local i = 7
for e = 1, n do
  local s = ARGV[i]
  redis.call('HSET', KEYS[2], s, ARGV[i + 1])
  redis.call('ZADD', KEYS[3], ARGV[i + 2], s)
  local k = tonumber(ARGV[i + 3])
  for x = 1, k do
    redis.call('ZADD', KEYS[tonumber(ARGV[i + 3 + x])], s, s)
  end
  i = i + 4 + k
end
redis.call('HSET', KEYS[1], 'seq', ARGV[3], 'hash', ARGV[4], 'at', ARGV[5])
return {1, ARGV[3], ARGV[4], ARGV[5]}
