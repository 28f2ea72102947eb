#!/usr/bin/env bash
# Prints a topic as readable JSON and follows it: scripts/tail.sh recommendations
# Options: --from-beginning, --max N, --bootstrap-servers host:port (default localhost:9092).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: scripts/tail.sh <topic> [--from-beginning] [--max N] [--bootstrap-servers host:port]" >&2
  echo "topics: $(grep -vE '^\s*(#|$)' "$ROOT/scripts/topics.txt" | awk '{print $1}' | tr '\n' ' ')" >&2
  exit 2
fi
ensure_built
topic="$1"; shift
exec java -Xmx256m -Dlog4j2.configurationFile="$ROOT/scripts/log4j2-local.properties" \
  -cp "$(devkit_classpath)" dev.rtpe.devkit.TailTopic --topic "$topic" "$@"
