#!/usr/bin/env bash
# Prints the home of a JDK 21 or newer: JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/*.
# Sourced by ./kinlink and .ci/run so both choose the JDK the same way.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
find_jdk21() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local d
  for d in /usr/lib/jvm/*; do [ -x "$d/bin/javac" ] && candidates+=("$d"); done
  for d in "${candidates[@]}"; do
    [ -x "$d/bin/javac" ] || continue
    local major; major=$(java_major "$d")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$d"; return 0; fi
  done
  return 1
}
