-- Records that a TOTP time step was used; a step at or before the last used one is refused.
-- KEYS[1] last used step; ARGV[1] step, ARGV[2] key life ms. Returns 1 (accepted) or 0 (reused).
local last = redis.call('GET', KEYS[1])
if last and tonumber(last) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
