-- Revokes a session: no refresh from now on, and its access tokens are refused on every node.
-- KEYS[1] session hash, KEYS[2] revoked marker; ARGV[1] reason, ARGV[2] marker life ms.
-- Returns the session's previous state, or 'NONE' when it no longer exists.
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
local prev = redis.call('HGET', KEYS[1], 'state')
if prev then
  redis.call('HSET', KEYS[1], 'state', 'REVOKED', 'revoked_reason', ARGV[1])
  return prev
end
return 'NONE'
