#!/bin/sh
# Jibri calls this with the session's recording directory (JIBRI_FINALIZE_RECORDING_SCRIPT_PATH).
# It hands each file to the gateway, which encrypts it into the recording store, then deletes it here.
set -eu
dir="$1"
session="$(basename "$dir")"
for f in "$dir"/*.mp4; do
  [ -e "$f" ] || continue
  curl -fsS --retry 5 --retry-delay 5 -k -X PUT \
    -H "Authorization: Bearer ${KINLINK_JITSI_API_SECRET}" -H "Content-Type: video/mp4" \
    --data-binary @"$f" "${KINLINK_GATEWAY_URL}/jitsi/recordings/${session}" && rm -f "$f"
done
