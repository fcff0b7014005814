-- Creates an identity-directory record with its unique indexes and list entries, and parks its
-- audit entry in the directory's outbox, all or nothing.
-- KEYS[1] record, KEYS[2] audit outbox hash, KEYS[3 .. n+2] unique indexes, KEYS[n+3 ..] sorted-set lists
-- ARGV[1] record JSON, ARGV[2] id, ARGV[3] n, ARGV[4] change id ("" when not audited),
-- ARGV[5] outbox entry JSON, ARGV[6 .. n+5] index values
-- Returns 'OK', 'EXISTS' (the id is taken) or 'TAKEN:<i>' (unique index i, from 1, is taken).
local n = tonumber(ARGV[3])
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 'EXISTS'
end
for i = 3, n + 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    return 'TAKEN:' .. (i - 2)
  end
end
redis.call('SET', KEYS[1], ARGV[1])
for i = 3, n + 2 do
  redis.call('SET', KEYS[i], ARGV[i + 3])
end
for i = n + 3, #KEYS do
  redis.call('ZADD', KEYS[i], 0, ARGV[2])
end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
end
return 'OK'
