-- Replaces a call record if nobody changed it since it was read and its state is one of those allowed.
-- KEYS[1] call key, KEYS[2] active set
-- ARGV[1] expected version, ARGV[2] allowed states (",A,B,"), ARGV[3] new JSON, ARGV[4] "1" when the new
-- state is final (the call leaves the active set), ARGV[5] new latest end ms (or "")
-- -> {1, new JSON} | {0, current JSON or ""}
local current = redis.call('GET', KEYS[1])
if not current then
  return {0, ''}
end
local rec = cjson.decode(current)
if tostring(rec['v']) ~= ARGV[1] or not string.find(ARGV[2], ',' .. rec['state'] .. ',', 1, true) then
  return {0, current}
end
redis.call('SET', KEYS[1], ARGV[3])
if ARGV[4] == '1' then
  redis.call('ZREM', KEYS[2], rec['id'])
elseif ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[2], tonumber(ARGV[5]), rec['id'])
end
return {1, ARGV[3]}
