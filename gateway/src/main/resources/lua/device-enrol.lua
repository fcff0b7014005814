-- Consumes a kiosk's one-time enrolment code and stores its public key in the device record, in one
-- step, so a code works exactly once and a key is never stored without a code.
-- KEYS[1] code key (hash: sha, expires), KEYS[2] device record; ARGV[1] hash of the code presented,
-- ARGV[2] the public key (SPKI base64), ARGV[3] now (epoch ms, the gateway clock).
-- Returns the device record as it was before, or false when there is no such code (wrong, used
-- or expired) or no such device.
local stored = redis.call('HMGET', KEYS[1], 'sha', 'expires')
if not stored[1] or stored[1] ~= ARGV[1] or tonumber(stored[2]) < tonumber(ARGV[3]) then
  return false
end
local current = redis.call('GET', KEYS[2])
if not current then
  return false
end
local record = cjson.decode(current)
record['public_key'] = ARGV[2]
record['enrolled'] = true
redis.call('SET', KEYS[2], cjson.encode(record))
redis.call('DEL', KEYS[1])
return current
