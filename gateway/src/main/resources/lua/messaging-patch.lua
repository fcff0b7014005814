-- Changes some fields of one message record, only when it still has version ARGV[2] (so two nodes
-- never overwrite each other's change), and moves it to the head of the conversation's feed. Only
-- the changed fields travel: a receipt sends a status and a time, not the whole record back.
-- KEYS[1] messages hash   KEYS[2] feed zset   KEYS[3] feed counter
-- ARGV[1] message key   ARGV[2] expected version   ARGV[3] JSON object of the fields to set (null: remove the field)
-- Returns {1, feed position} when written, {0, 0, current record or ''} when refused.
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then
  return {0, 0, ''}
end
local record = cjson.decode(current)
local expected = tonumber(ARGV[2])
if record.v ~= expected then
  return {0, 0, current}
end
for field, value in pairs(cjson.decode(ARGV[3])) do
  if value == cjson.null then
    record[field] = nil
  else
    record[field] = value
  end
end
local pos = redis.call('INCR', KEYS[3])
record.v = expected + 1
record.feed = pos
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(record))
redis.call('ZADD', KEYS[2], pos, ARGV[1])
return {1, pos}
