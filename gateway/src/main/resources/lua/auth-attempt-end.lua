-- Ends a sign-in try started by auth-attempt-begin.
-- KEYS[1] failures in a row, KEYS[2] lock
-- ARGV[1] OK (secret right: reset) | UNDO (not a try, e.g. the second factor is still to come) | FAIL
-- ARGV[2] max tries, ARGV[3] lock end if this failure locks, ARGV[4] lock key life ms
-- Returns {'OK'} | {'FAILED', tries} | {'LOCKED', end} (a lock set by this failure)
if ARGV[1] == 'OK' then
  redis.call('DEL', KEYS[1])
  return {'OK'}
end
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[1] == 'UNDO' then
  if n > 0 then
    redis.call('DECR', KEYS[1])
  end
  return {'OK'}
end
local existing = redis.call('GET', KEYS[2])
if existing then
  return {'FAILED', tostring(n)}
end
if n >= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
  redis.call('DEL', KEYS[1])
  return {'LOCKED', ARGV[3]}
end
return {'FAILED', tostring(n)}
