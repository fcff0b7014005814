#!/bin/sh
# Creates the gateway's monitor account on prosody's hidden domain, the way the prosody image creates
# Jibri's recorder account (prosodyctl shell user create). Run it once prosody is up, and again only if
# prosody's data volume was recreated (a new password: prosodyctl shell user password).
# Usage: docker/jitsi/register-monitor.sh   (from anywhere; uses docker/.env)
set -eu
cd "$(dirname "$0")/.."
MONITOR_USER=kinlink-monitor
HIDDEN_DOMAIN=hidden.meet.jitsi
password="$(sed -n 's/^KINLINK_JITSI_MONITOR_PASSWORD=//p' .env)"
[ -n "$password" ] || { echo "docker/.env has no KINLINK_JITSI_MONITOR_PASSWORD: run docker/gen-secrets.sh" >&2; exit 1; }
docker compose -f compose.yaml -f compose.jitsi.yaml exec -T prosody \
  prosodyctl --config /config/prosody.cfg.lua shell user create "$MONITOR_USER@$HIDDEN_DOMAIN" "$password"
echo "registered $MONITOR_USER@$HIDDEN_DOMAIN"
