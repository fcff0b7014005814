-- Consumes a kiosk's one-time enrolment code and stores its public key in the device record, and
-- parks the change's audit entry in the directory's outbox, in one step: a code works exactly once,
-- a key is never stored without a code, and never without its pending audit entry.
-- KEYS[1] code key (hash: sha, expires), KEYS[2] device record, KEYS[3] audit outbox hash;
-- ARGV[1] hash of the code presented, ARGV[2] now (epoch ms, the gateway clock), ARGV[3] the record
-- as the caller read it, ARGV[4] the record with the key, ARGV[5] change id, ARGV[6] outbox entry JSON.
-- Returns 1 when enrolled, 0 when the record changed since it was read (the caller reads again),
-- -1 when there is no such code (wrong, used or expired) or no such device.
local stored = redis.call('HMGET', KEYS[1], 'sha', 'expires')
if not stored[1] or stored[1] ~= ARGV[1] or tonumber(stored[2]) < tonumber(ARGV[2]) then
  return -1
end
local current = redis.call('GET', KEYS[2])
if not current then
  return -1
end
if current ~= ARGV[3] then
  return 0
end
redis.call('SET', KEYS[2], ARGV[4])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[3], ARGV[5], ARGV[6])
return 1
