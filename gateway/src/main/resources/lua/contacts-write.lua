-- One versioned write (a contact or a prisoner's clearance), atomic in the prisoner's slot:
-- compare-and-set on the version, keep the new version in the history, bump the prisoner's
-- policy revision, park the audit entry in the outbox, remember the answer for retries, and keep
-- one live contact per prisoner and party (the party key names the contact that holds it).
-- Typed wrapper: contacts.ContactWriteScript (the only caller).
--
-- KEYS[1] record hash          KEYS[2] versions list (newest first)   KEYS[3] prisoner policy revision
-- KEYS[4] outbox hash          KEYS[5] idempotency key                KEYS[6] prisoner's contact index (zset)
-- KEYS[7] party key: which contact of this prisoner holds this party (absent while none is live)
-- ARGV[1] mode: "create" (must not exist) | "update" (must exist) | "put" (may be absent: version 0)
-- ARGV[2] expected current version     ARGV[3] version entry JSON      ARGV[4] change id
-- ARGV[5] outbox entry JSON            ARGV[6] answer to remember ("" when no Idempotency-Key)
-- ARGV[7] idempotency ttl (s)          ARGV[8] index score (create)    ARGV[9] index member (create)
-- ARGV[10] party: "claim" (this contact takes the party) | "release" (it gives it up) | "" (untouched)
-- ARGV[11] this contact's id (the party key's value)
-- ARGV[12..] field, value, field, value ... for the record hash ("" values are stored as "")
-- Returns {"OK", version, revision} | {"STALE", current} | {"MISSING", "0"} | {"EXISTS", current}
--       | {"REPLAY", answer} | {"DUPLICATE", contact id holding the party}
if ARGV[6] ~= '' then
  local prior = redis.call('GET', KEYS[5])
  if prior then
    return {'REPLAY', prior}
  end
end
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
local mode = ARGV[1]
if mode == 'create' and current ~= 0 then
  return {'EXISTS', tostring(current)}
end
if mode == 'update' and current == 0 then
  return {'MISSING', '0'}
end
if current ~= tonumber(ARGV[2]) then
  return {'STALE', tostring(current)}
end
if ARGV[10] == 'claim' then
  local holder = redis.call('GET', KEYS[7])
  if holder and holder ~= ARGV[11] then
    return {'DUPLICATE', holder}
  end
end
local version = current + 1
local fields = {}
for i = 12, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
fields[#fields + 1] = 'version'
fields[#fields + 1] = tostring(version)
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('LPUSH', KEYS[2], ARGV[3])
local revision = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[4], ARGV[4], ARGV[5])
if mode == 'create' then
  redis.call('ZADD', KEYS[6], ARGV[8], ARGV[9])
end
if ARGV[10] == 'claim' then
  redis.call('SET', KEYS[7], ARGV[11])
elseif ARGV[10] == 'release' and redis.call('GET', KEYS[7]) == ARGV[11] then
  redis.call('DEL', KEYS[7])
end
if ARGV[6] ~= '' then
  redis.call('SET', KEYS[5], ARGV[6], 'EX', ARGV[7])
end
return {'OK', tostring(version), tostring(revision)}
