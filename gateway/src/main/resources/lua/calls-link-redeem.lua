-- Redeems a one-time join link on one device: the first device to redeem it owns it; any other is refused.
-- KEYS[1] link key; ARGV[1] device id, ARGV[2] now (ISO)
-- -> {"OK", link JSON} | {"USED"} | {"MISSING"}
local raw = redis.call('GET', KEYS[1])
if not raw then
  return {'MISSING'}
end
local link = cjson.decode(raw)
if link['device'] == nil or link['device'] == cjson.null or link['device'] == '' then
  link['device'] = ARGV[1]
  link['redeemed_at'] = ARGV[2]
  local ttl = redis.call('PTTL', KEYS[1])
  raw = cjson.encode(link)
  if ttl > 0 then
    redis.call('SET', KEYS[1], raw, 'PX', ttl)
  else
    redis.call('SET', KEYS[1], raw)
  end
  return {'OK', raw}
end
if link['device'] == ARGV[1] then
  return {'OK', raw}
end
return {'USED'}
