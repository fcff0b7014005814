-- Lifts a sign-in lock early (staff action). KEYS[1] failures, KEYS[2] lock.
-- Returns the lifted lock's end, or '' when there was none.
local lockEnd = redis.call('GET', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
if lockEnd then
  return lockEnd
end
return ''
