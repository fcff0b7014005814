-- Starts one sign-in try for a sign-in name, atomically on every node.
-- KEYS[1] failures in a row, KEYS[2] lock (value = its end, epoch ms)
-- ARGV[1] now ms, ARGV[2] max tries, ARGV[3] lock end if locked now, ARGV[4] lock key life ms,
-- ARGV[5] failure counter life ms
-- Counts the try before the secret is checked, so parallel guesses cannot exceed the limit.
-- Returns {'LOCKED', end} | {'LOCKED_NOW', end, ended} | {'OK', tries, ended} where ended is the
-- end of a lock that had run out (the caller audits auth.lock_ended) or ''.
local now = tonumber(ARGV[1])
local lockEnd = redis.call('GET', KEYS[2])
local ended = ''
if lockEnd then
  if tonumber(lockEnd) > now then
    return {'LOCKED', lockEnd}
  end
  redis.call('DEL', KEYS[2], KEYS[1])
  ended = lockEnd
end
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if n > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
  redis.call('DEL', KEYS[1])
  return {'LOCKED_NOW', ARGV[3], ended}
end
return {'OK', tostring(n), ended}
