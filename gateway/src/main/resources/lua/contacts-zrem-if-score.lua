-- Removes a member from a sorted set only if its score is still the one the caller saw: a newer
-- write re-scores the member (a new outbox entry, a moved suspension end) and must keep it.
-- KEYS[1] sorted set   ARGV[1] member   ARGV[2] score the caller saw
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
