-- Creates a session (refresh-token family). KEYS[1] session hash.
-- ARGV[1] refresh hash, ARGV[2] refresh expiry ms, ARGV[3] key life ms, ARGV[4] account,
-- ARGV[5] role, ARGV[6] establishment or '', ARGV[7] person or '', ARGV[8] created ms,
-- ARGV[9] '1' for a session that may only change its password (signed in with a one-time password), else ''
redis.call('HSET', KEYS[1], 'state', 'ACTIVE', 'current', ARGV[1], 'expires', ARGV[2], 'account', ARGV[4],
  'role', ARGV[5], 'est', ARGV[6], 'pid', ARGV[7], 'created', ARGV[8], 'pwc', ARGV[9] or '')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 'OK'
