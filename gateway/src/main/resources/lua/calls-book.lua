-- Writes a new call record and parks its audit entry in the call's outbox, in one step (the call's slot).
-- KEYS[1] call key, KEYS[2] the call's audit outbox
-- ARGV[1] call JSON, ARGV[2] change id, ARGV[3] outbox entry JSON
-- -> 1 written, 0 a call with this id exists
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1
