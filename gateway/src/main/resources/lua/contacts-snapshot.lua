-- Everything a decision needs about one prisoner, read at one instant: the policy revision,
-- the clearance record and every contact record.
-- KEYS[1] prisoner policy revision   KEYS[2] clearance hash   KEYS[3] prisoner's contact index (zset)
-- ARGV[1] prefix of contact hashes ("kl:{p:<id>}:contact:")
-- Returns {revision, clearance fields (flat), contact 1 fields (flat), contact 2 fields, ...}
local out = {redis.call('GET', KEYS[1]) or '0', redis.call('HGETALL', KEYS[2])}
for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  local fields = redis.call('HGETALL', ARGV[1] .. id)
  if #fields > 0 then
    out[#out + 1] = fields
  end
end
return out
