-- Counts one failed sign-in from a source address; the window starts at the first failure.
-- KEYS[1] counter, KEYS[2] window end (epoch ms); ARGV[1] window ms, ARGV[2] now ms (the gateway's clock).
-- The window's end is decided by the gateway's clock; the key lives the window in Redis time too,
-- only so that it does not stay behind. Returns the count.
local now = tonumber(ARGV[2])
local ends = tonumber(redis.call('GET', KEYS[2]) or '0')
if ends <= now then
  ends = now + tonumber(ARGV[1])
  redis.call('SET', KEYS[2], tostring(ends), 'PX', ARGV[1])
  redis.call('SET', KEYS[1], '0', 'PX', ARGV[1])
end
return redis.call('INCR', KEYS[1])
