-- Creates one message record once, and puts it at the head of the conversation's feed: refused when
-- the key exists (the same client_id never makes a second message). The record gets its order
-- ("seq") and feed position from the feed counter. The send's audit event is parked in the
-- conversation's outbox in the same step, so the message is never on record without it (the writer,
-- or a sweeper, appends it to the chain). Changes go through messaging-patch.lua.
-- KEYS[1] messages hash   KEYS[2] feed zset   KEYS[3] feed counter   KEYS[4] audit outbox hash
-- ARGV[1] message key   ARGV[2] record JSON (version 1)   ARGV[3] change id   ARGV[4] outbox entry JSON
-- Returns {1, feed position} when written (the caller knows the record it sent), {0, 0, existing record} when refused.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  return {0, 0, current}
end
local pos = redis.call('INCR', KEYS[3])
local record = cjson.decode(ARGV[2])
record.seq = pos
record.feed = pos
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(record))
redis.call('ZADD', KEYS[2], pos, ARGV[1])
redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
return {1, pos}
