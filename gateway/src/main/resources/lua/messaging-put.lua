-- Creates or changes one message record, and moves it to the head of the conversation's feed.
-- Create (ARGV[2] == '0'): refused when the key exists (the same client_id never makes a second
-- message), the record gets its order ("seq") from the feed counter. Change: only when the stored
-- record still has version ARGV[2], so two nodes never overwrite each other's change.
-- KEYS[1] messages hash   KEYS[2] feed zset   KEYS[3] feed counter
-- ARGV[1] message key   ARGV[2] expected version ('0' to create)   ARGV[3] record JSON (version already bumped)
-- Returns {1, feed position} when written (the caller knows the record it sent), {0, 0, current record or ''} when refused.
local current = redis.call('HGET', KEYS[1], ARGV[1])
local expected = tonumber(ARGV[2])
if expected == 0 then
  if current then
    return {0, 0, current}
  end
else
  if not current or cjson.decode(current).v ~= expected then
    return {0, 0, current or ''}
  end
end
local pos = redis.call('INCR', KEYS[3])
local record = cjson.decode(ARGV[3])
if expected == 0 then
  record.seq = pos
end
record.feed = pos
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(record))
redis.call('ZADD', KEYS[2], pos, ARGV[1])
return {1, pos}
