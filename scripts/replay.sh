#!/usr/bin/env bash
# Replays a public e-commerce dataset into the engine's input topics (see --help).
#   scripts/replay.sh --format rees46 --file 2019-Oct.csv.gz --speed max
#   scripts/replay.sh --format taobao --file UserBehavior.csv --speed 60 --limit 1000000
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_built
# Sorting by event time keeps the whole file in memory (about 200 bytes an event): raise with REPLAY_HEAP.
exec java -Xmx"${REPLAY_HEAP:-4g}" -Dlog4j2.configurationFile="$ROOT/scripts/log4j2-local.properties" \
  -cp "$(jobs_classpath)" dev.rtpe.replay.ReplayMain "$@"
