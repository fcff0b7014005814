-- Books a call if every establishment has room and no participant is already in a call then.
-- KEYS[1] call key, KEYS[2] active set, KEYS[3..2+E] establishment indexes, KEYS[3+E..] party indexes
-- ARGV[1] call JSON, ARGV[2] id, ARGV[3] start ms, ARGV[4] end ms, ARGV[5] E, ARGV[6] longest call ms,
-- ARGV[7..6+E] capacity of each establishment
-- -> {1} booked, {0, "FULL", index} or {0, "CLASH", index} (index: 1-based position among its kind), {0, "EXISTS"}
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, 'EXISTS'}
end
local start = tonumber(ARGV[3])
local finish = tonumber(ARGV[4])
local e = tonumber(ARGV[5])
local longest = tonumber(ARGV[6])
local function overlapping(index)
  local n = 0
  local ids = redis.call('ZRANGEBYSCORE', index, start - longest, '(' .. finish)
  for _, id in ipairs(ids) do
    local ends = redis.call('ZSCORE', KEYS[2], id)
    if ends and tonumber(ends) > start then
      n = n + 1
    end
  end
  return n
end
for i = 1, e do
  if overlapping(KEYS[2 + i]) >= tonumber(ARGV[6 + i]) then
    return {0, 'FULL', i}
  end
end
for i = 3 + e, #KEYS do
  if overlapping(KEYS[i]) > 0 then
    return {0, 'CLASH', i - 2 - e}
  end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], finish, ARGV[2])
for i = 3, #KEYS do
  redis.call('ZADD', KEYS[i], start, ARGV[2])
end
return {1}
