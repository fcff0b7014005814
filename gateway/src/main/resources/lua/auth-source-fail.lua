-- Counts one failed sign-in from a source address; the window starts at the first failure.
-- KEYS[1] counter; ARGV[1] window ms. Returns the count.
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n
