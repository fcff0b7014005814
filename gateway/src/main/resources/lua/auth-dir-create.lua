-- Creates an identity-directory record with its unique indexes and list entries, all or nothing.
-- KEYS[1] record, KEYS[2 .. n+1] unique indexes, KEYS[n+2 ..] sorted-set lists
-- ARGV[1] record JSON, ARGV[2] id, ARGV[3] n, ARGV[4 .. n+3] index values
-- Returns 'OK', 'EXISTS' (the id is taken) or 'TAKEN:<i>' (unique index i, from 1, is taken).
local n = tonumber(ARGV[3])
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 'EXISTS'
end
for i = 2, n + 1 do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    return 'TAKEN:' .. (i - 1)
  end
end
redis.call('SET', KEYS[1], ARGV[1])
for i = 2, n + 1 do
  redis.call('SET', KEYS[i], ARGV[i + 2])
end
for i = n + 2, #KEYS do
  redis.call('ZADD', KEYS[i], 0, ARGV[2])
end
return 'OK'
