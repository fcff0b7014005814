-- Failed sign-ins from one source address in the current window.
-- KEYS[1] counter; ARGV[1] limit. Returns {'OK', n} or {'LIMITED', ms left in the window}.
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
  return {'LIMITED', tostring(redis.call('PTTL', KEYS[1]))}
end
return {'OK', tostring(n)}
