#!/bin/sh
# Writes docker/.env with fresh random secrets (never commit it) and, with --keys, the gateway's two
# Jitsi key pairs (PKCS#8, mode 0600) under docker/keys/ for media.yaml's login_key_file/system_key_file.
# Without --keys the gateway generates the key pairs itself, once, in its data volume.
# Usage: docker/gen-secrets.sh [--keys] [public-host] [jitsi-public-url]
set -eu
cd "$(dirname "$0")"
keys=no
if [ "${1:-}" = "--keys" ]; then keys=yes; shift; fi
host="${1:-localhost}"
url="${2:-https://$host:8444}"
if [ -e .env ]; then
  echo ".env exists; remove it first to make new secrets" >&2
  exit 1
fi
secret() { openssl rand -hex 32; }
umask 077
cat > .env <<ENV
PUBLIC_HOST=$host
JITSI_PUBLIC_URL=$url
TURN_SECRET=$(secret)
KINLINK_JITSI_API_SECRET=$(secret)
KINLINK_JITSI_MONITOR_PASSWORD=$(secret)
JICOFO_AUTH_PASSWORD=$(secret)
JVB_AUTH_PASSWORD=$(secret)
JIBRI_RECORDER_PASSWORD=$(secret)
JIBRI_XMPP_PASSWORD=$(secret)
ENV
echo "wrote docker/.env"
if [ "$keys" = yes ]; then
  mkdir -p keys
  for name in login system; do
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "keys/$name.key"
    chmod 600 "keys/$name.key"
  done
  echo "wrote docker/keys/login.key and system.key (chown them to uid 10001 for the gateway container)"
fi
