-- Drops a prisoner from the outbox index only if nobody wrote since the sweeper looked
-- (a newer write re-scores the member) and the prisoner's outbox is empty.
-- KEYS[1] outbox index (zset)   ARGV[1] prisoner id   ARGV[2] score the sweeper saw
-- The outbox hash is in another slot, so its emptiness is checked by the caller just before.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
