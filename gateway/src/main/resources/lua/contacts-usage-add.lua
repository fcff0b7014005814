-- Adds to one usage counter (never below zero) and keeps it until a moment derived from the
-- counter's own day, so every writer of one counter sets the same expiry.
-- KEYS[1] counter   ARGV[1] amount (may be negative)   ARGV[2] expire at (epoch s)
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if value < 0 then
  redis.call('SET', KEYS[1], '0')
  value = 0
end
redis.call('EXPIREAT', KEYS[1], ARGV[2])
return value
