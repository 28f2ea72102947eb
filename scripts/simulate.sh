#!/usr/bin/env bash
# Sends simulated shoppers' events to browse-events and cart-events (see --help).
#   scripts/simulate.sh --rate 50 --duration 10m
#   scripts/simulate.sh --speed max --events 1000000 --seed 7     (faster than real time)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_built
exec java -Xmx512m -Dlog4j2.configurationFile="$ROOT/scripts/log4j2-local.properties" \
  -cp "$(jobs_classpath)" dev.rtpe.simulator.SimulatorMain "$@"
