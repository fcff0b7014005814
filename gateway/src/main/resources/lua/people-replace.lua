-- Replaces a record only if it is still what the caller read (so a change's before/after is exact),
-- and parks its audit entry in the directory's outbox in the same step.
-- KEYS[1] record, KEYS[2] audit outbox hash, KEYS[3 ..] lists to add the id to
-- ARGV[1] expected JSON, ARGV[2] new JSON, ARGV[3] id, ARGV[4] change id ("" when not audited),
-- ARGV[5] outbox entry JSON
-- Returns 1 when replaced, 0 when the record changed meanwhile (the caller reads again), -1 when gone.
local current = redis.call('GET', KEYS[1])
if not current then
  return -1
end
if current ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
for i = 3, #KEYS do
  redis.call('ZADD', KEYS[i], 0, ARGV[3])
end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
end
return 1
