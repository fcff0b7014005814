-- Counts one message or call towards a usage counter, once per event id: a retry of the same
-- message or booking (or of its cancellation) is not counted again. The counter never goes below
-- zero; both keys are kept until a moment derived from the counter's own day, so every writer of
-- one counter would set the same expiry: it is set only on a key that has none (its first count,
-- or the counter reset to 0), since every EXPIREAT is one more command in the fsynced AOF.
-- Typed wrapper: contacts.UsageAddScript.
-- KEYS[1] counter   KEYS[2] hash of the event ids already counted that day
-- ARGV[1] amount (may be negative)   ARGV[2] expire at (epoch s)   ARGV[3] event id (with its direction)
-- Returns the counter's value
if redis.call('HSETNX', KEYS[2], ARGV[3], ARGV[1]) == 0 then
  return tonumber(redis.call('GET', KEYS[1]) or '0')
end
if redis.call('TTL', KEYS[2]) < 0 then
  redis.call('EXPIREAT', KEYS[2], ARGV[2])
end
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if value < 0 then
  redis.call('SET', KEYS[1], '0')
  value = 0
end
if redis.call('TTL', KEYS[1]) < 0 then
  redis.call('EXPIREAT', KEYS[1], ARGV[2])
end
return value
