-- Replaces a settings hash's fields only if they still hold what the caller read (so the change's
-- audit entry says exactly what it replaced), and parks that entry in the hash's outbox in the same
-- step (one slot). Refused while an earlier change's entry is still parked, so the audit log lists
-- the changes in the order they were stored.
-- KEYS[1] settings hash, KEYS[2] its audit outbox hash
-- ARGV[1] change id, ARGV[2] outbox entry JSON,
-- ARGV[3 ..] field, value read ('' when absent), new value, field, read, new ...
-- Returns 1 when written, 0 when a field changed since it was read, -1 when an earlier entry is parked.
if redis.call('HLEN', KEYS[2]) > 0 then
  return -1
end
for i = 3, #ARGV, 3 do
  local current = redis.call('HGET', KEYS[1], ARGV[i]) or ''
  if current ~= ARGV[i + 1] then
    return 0
  end
end
for i = 3, #ARGV, 3 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
