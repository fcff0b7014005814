-- Places a call in one establishment's or one participant's indexes if fewer than ARGV[5] other
-- calls not yet over overlap it there (an establishment's capacity; 1 for a participant: no clash).
-- Every key is in that establishment's or participant's slot.
-- KEYS[1] index by start, KEYS[2] active calls by latest end
-- ARGV[1] call id, ARGV[2] start ms, ARGV[3] end ms, ARGV[4] longest call ms, ARGV[5] limit
-- -> 1 placed (or already placed: a retry), 0 no room
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  return 1
end
local start = tonumber(ARGV[2])
local n = 0
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], start - tonumber(ARGV[4]), '(' .. ARGV[3])
for _, id in ipairs(ids) do
  local ends = redis.call('ZSCORE', KEYS[2], id)
  if ends and tonumber(ends) > start then
    n = n + 1
  end
end
if n >= tonumber(ARGV[5]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
