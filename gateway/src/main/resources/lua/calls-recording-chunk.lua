-- Stores one sealed recording chunk once per seq and counts it, in one step: a replayed seq (the
-- kiosk's retry after a lost answer, a Jibri upload sent again) changes nothing and answers as the first.
-- KEYS[1] the chunk (raw bytes), KEYS[2] the recording's counters (both in {r:<recording>})
-- ARGV[1] the sealed chunk, ARGV[2] its plaintext length, ARGV[3] seq, ARGV[4] now (ISO) or '' not to touch 'last'
-- -> {1 stored | 0 already there, chunks, bytes}
if redis.call('SETNX', KEYS[1], ARGV[1]) == 0 then
  local c = redis.call('HMGET', KEYS[2], 'chunks', 'bytes')
  return {0, tonumber(c[1] or '0'), tonumber(c[2] or '0')}
end
local chunks = redis.call('HINCRBY', KEYS[2], 'chunks', 1)
local bytes = redis.call('HINCRBY', KEYS[2], 'bytes', ARGV[2])
local after = tonumber(ARGV[3]) + 1
if after > tonumber(redis.call('HGET', KEYS[2], 'next') or '0') then
  redis.call('HSET', KEYS[2], 'next', after)
end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], 'last', ARGV[4])
end
return {1, chunks, bytes}
