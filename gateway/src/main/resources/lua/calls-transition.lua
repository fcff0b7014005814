-- Replaces a call record if nobody changed it since it was read and its state is one of those
-- allowed, and parks the change's audit entries in the call's outbox in the same step (the call's slot).
-- KEYS[1] call key, KEYS[2] the call's audit outbox
-- ARGV[1] expected version, ARGV[2] allowed states (",A,B,"), ARGV[3] new JSON,
-- ARGV[4..] change id, outbox entry JSON, change id, entry ... (none: a change with nothing to audit)
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
for i = 4, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return {1, ARGV[3]}
