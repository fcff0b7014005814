#!/bin/sh
# Jibri calls this with the session's recording directory (JIBRI_FINALIZE_RECORDING_SCRIPT_PATH).
# It hands each file to the gateway, which encrypts it into the recording store, then deletes it here.
# -T streams the file (a recording may be gigabytes: it is never read whole into memory);
# the gateway takes up to media.jitsi.recording_max_mb (2048 MiB by default).
set -eu
dir="$1"
session="$(basename "$dir")"
for f in "$dir"/*.mp4; do
  [ -e "$f" ] || continue
  curl -fsS --retry 5 --retry-delay 5 -k -X PUT \
    -H "Authorization: Bearer ${KINLINK_JITSI_API_SECRET}" -H "Content-Type: video/mp4" \
    -T "$f" "${KINLINK_GATEWAY_URL}/jitsi/recordings/${session}" && rm -f "$f"
done
