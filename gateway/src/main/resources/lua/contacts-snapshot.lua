-- Everything a decision needs about one prisoner, read at one instant: the policy revision,
-- the clearance record and every contact record. The caller lists the contact ids it read from
-- the index just before; if the index changed since, nothing is read and the caller asks again
-- with the new ids (so every key the script reads is declared).
-- Typed wrapper: contacts.SnapshotScript.
-- KEYS[1] prisoner policy revision   KEYS[2] clearance hash   KEYS[3] prisoner's contact index (zset)
-- KEYS[4..] the contact hashes, in index order     ARGV[1..] their contact ids, in the same order
-- Returns {"OK", revision, clearance fields (flat), contact 1 fields (flat), ...} | {"RETRY", id, id, ...}
local ids = redis.call('ZRANGE', KEYS[3], 0, -1)
local same = #ids == #ARGV
if same then
  for i = 1, #ids do
    if ids[i] ~= ARGV[i] then
      same = false
      break
    end
  end
end
if not same then
  local out = {'RETRY'}
  for i = 1, #ids do
    out[#out + 1] = ids[i]
  end
  return out
end
local out = {'OK', redis.call('GET', KEYS[1]) or '0', redis.call('HGETALL', KEYS[2])}
for i = 4, #KEYS do
  local fields = redis.call('HGETALL', KEYS[i])
  if #fields > 0 then
    out[#out + 1] = fields
  end
end
return out
