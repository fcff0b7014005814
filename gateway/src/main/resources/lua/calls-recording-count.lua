-- Counts one recording chunk once per seq, once its file is written (calls/recording/ChunkFiles): a replay
-- (the kiosk's retry after a lost answer, a Jibri upload sent again, a retry after a node died between the
-- file and this) changes nothing and answers as the first.
-- KEYS[1] the recording's counters, KEYS[2] its seqs counted (a bitmap), KEYS[3] the seq's chunk as stored
-- before chunks were files (all in {r:<recording>})
-- ARGV[1] the chunk's plaintext length, ARGV[2] seq, ARGV[3] now (ISO) or '' not to touch 'last'
-- -> {1 counted | 0 already counted, chunks, bytes, 1 when that seq is a chunk stored the old way | 0}
local legacy = redis.call('EXISTS', KEYS[3])
if legacy == 1 or redis.call('SETBIT', KEYS[2], ARGV[2], 1) == 1 then
  local c = redis.call('HMGET', KEYS[1], 'chunks', 'bytes')
  return {0, tonumber(c[1] or '0'), tonumber(c[2] or '0'), legacy}
end
local chunks = redis.call('HINCRBY', KEYS[1], 'chunks', 1)
local bytes = redis.call('HINCRBY', KEYS[1], 'bytes', ARGV[1])
local after = tonumber(ARGV[2]) + 1
if after > tonumber(redis.call('HGET', KEYS[1], 'next') or '0') then
  redis.call('HSET', KEYS[1], 'next', after)
end
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'last', ARGV[3])
end
return {1, chunks, bytes, 0}
