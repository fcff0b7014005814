-- Failed sign-ins from one source address in the current window.
-- KEYS[1] counter, KEYS[2] window end (epoch ms); ARGV[1] limit, ARGV[2] now ms (the gateway's clock).
-- Returns {'OK', n} or {'LIMITED', ms left in the window}. A window that has ended counts nothing.
local ends = tonumber(redis.call('GET', KEYS[2]) or '0')
local now = tonumber(ARGV[2])
if ends <= now then
  return {'OK', '0'}
end
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
  return {'LIMITED', tostring(ends - now)}
end
return {'OK', tostring(n)}
