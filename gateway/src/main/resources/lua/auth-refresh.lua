-- Rotates a refresh token. KEYS[1] session hash, KEYS[2] used hashes, KEYS[3] revoked marker.
-- ARGV[1] presented hash, ARGV[2] new hash, ARGV[3] now ms, ARGV[4] new expiry ms,
-- ARGV[5] session key life ms, ARGV[6] revoked marker life ms (= access token life)
-- Returns {'OK'|'REUSE', account, role, est, pid, pwc} (pwc '1': may only change its password) or {'UNKNOWN'} | {'REVOKED'} | {'EXPIRED'}.
-- Presenting a token that was already rotated means two parties hold it: the whole family is revoked.
local s = redis.call('HMGET', KEYS[1], 'state', 'current', 'expires', 'account', 'role', 'est', 'pid', 'pwc')
if not s[1] then
  return {'UNKNOWN'}
end
if s[2] == ARGV[1] then
  if s[1] ~= 'ACTIVE' then
    return {'REVOKED'}
  end
  if tonumber(s[3]) <= tonumber(ARGV[3]) then
    return {'EXPIRED'}
  end
  redis.call('SADD', KEYS[2], ARGV[1])
  redis.call('HSET', KEYS[1], 'current', ARGV[2], 'expires', ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  return {'OK', s[4], s[5], s[6] or '', s[7] or '', s[8] or ''}
end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
  local wasActive = s[1] == 'ACTIVE'
  redis.call('HSET', KEYS[1], 'state', 'REVOKED', 'revoked_reason', 'REFRESH_REUSE')
  redis.call('SET', KEYS[3], 'REFRESH_REUSE', 'PX', ARGV[6])
  if wasActive then
    return {'REUSE', s[4], s[5], s[6] or '', s[7] or '', s[8] or ''}
  end
  return {'REVOKED'}
end
return {'UNKNOWN'}
