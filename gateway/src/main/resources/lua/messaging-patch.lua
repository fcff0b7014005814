-- Changes some fields of one message record, only when it still has version ARGV[2] (so two nodes
-- never overwrite each other's change), and moves it to the head of the conversation's feed.
-- A record is its field <key> (what was written when it was sent) plus, once it has had a receipt,
-- the field <key>#, which holds its status fields, version and feed position: a receipt writes
-- those few bytes, not the whole record again (every byte written is fsynced before Redis answers).
-- KEYS[1] messages hash   KEYS[2] feed zset   KEYS[3] feed counter
-- ARGV[1] message key   ARGV[2] expected version   ARGV[3] JSON object of the fields to set (null: remove)
-- ARGV[4] 'status' when every field set is a status field (kept in <key>#), 'record' otherwise (the
--         record is written whole again, with what <key># held, and <key># goes)
-- Returns {1, feed position} when written, {0, 0, current record or ''} when refused.
local base = redis.call('HGET', KEYS[1], ARGV[1])
if not base then
  return {0, 0, ''}
end
local statusField = ARGV[1] .. '#'
local held = redis.call('HGET', KEYS[1], statusField)
local status = held and cjson.decode(held) or nil
local expected = tonumber(ARGV[2])
local record = nil
local function whole()
  local r = cjson.decode(base)
  if status then
    for field, value in pairs(status) do
      r[field] = value
    end
  end
  return r
end
local version = status and status.v or nil
if version == nil then
  record = whole()
  version = record.v
end
if version ~= expected then
  return {0, 0, cjson.encode(record or whole())}
end
local changes = cjson.decode(ARGV[3])
local pos = redis.call('INCR', KEYS[3])
if ARGV[4] == 'status' then
  status = status or {}
  for field, value in pairs(changes) do
    status[field] = value
  end
  status.v = expected + 1
  status.feed = pos
  redis.call('HSET', KEYS[1], statusField, cjson.encode(status))
else
  record = record or whole()
  for field, value in pairs(changes) do
    if value == cjson.null then
      record[field] = nil
    else
      record[field] = value
    end
  end
  record.v = expected + 1
  record.feed = pos
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(record))
  redis.call('HDEL', KEYS[1], statusField)
end
redis.call('ZADD', KEYS[2], pos, ARGV[1])
return {1, pos}
