-- Replaces a record only if it is still what the caller read (so a change's before/after is exact).
-- KEYS[1] record, then lists to add the id to; ARGV[1] expected JSON, ARGV[2] new JSON, ARGV[3] id.
-- Returns 1 when replaced, 0 when the record changed meanwhile (the caller reads again), -1 when gone.
local current = redis.call('GET', KEYS[1])
if not current then
  return -1
end
if current ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2])
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], 0, ARGV[3])
end
return 1
