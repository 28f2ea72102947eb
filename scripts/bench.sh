#!/usr/bin/env bash
# Measures the engine on this machine: a fresh Kafka broker (records stamped with the broker's append
# time) and the jobs on a local Flink cluster, as scripts/run-local.sh runs them.
#   1. throughput: EVENTS simulated events are loaded first, then the jobs start and work through
#      them; the rate is events / time between the first and the last list appended;
#   2. latency: then RATE events/s for DURATION; for each event, the time from its append to the
#      input topic to its shopper's list being appended to recommendations (HdrHistogram).
# Results: .local/bench/results/*.json and a summary table.
#
#   scripts/bench.sh [--events 300000] [--rate 5000] [--duration 60s] [--parallelism 1] [--job-args "--buffer-timeout 100ms"]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

EVENTS=300000; RATE=5000; DURATION=60s; PARALLELISM=1; JOB_ARGS=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --parallelism) PARALLELISM="$2"; shift 2 ;;
    --job-args) JOB_ARGS="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option '$1'. Try: $0 --help" >&2; exit 2 ;;
  esac
done

KAFKA_PORT="${BENCH_KAFKA_PORT:-19092}"
UI_PORT="${BENCH_UI_PORT:-18081}"
BOOTSTRAP="localhost:$KAFKA_PORT"
DIR="$LOCAL/bench"
for port in "$KAFKA_PORT" "$UI_PORT"; do
  if port_in_use "$port"; then echo "ERROR: port $port is in use (BENCH_KAFKA_PORT / BENCH_UI_PORT choose others)" >&2; exit 1; fi
done

ensure_built
rm -rf "$DIR"; mkdir -p "$DIR/logs" "$DIR/results"
LOG4J="-Dlog4j2.configurationFile=$ROOT/scripts/log4j2-local.properties"
pids=()
cleanup() { for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
await_line() {
  for ((i = 0; i < $3 * 5; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "ERROR: no '$2' in $1" >&2; tail -n 20 "$1" >&2; exit 1
}
driver() { java -Xms512m -Xmx2g $LOG4J -cp "$(bench_classpath)" dev.rtpe.bench.BenchDriver "$@" --bootstrap-servers "$BOOTSTRAP" --out "$DIR/results"; }

echo "==> Kafka on $BOOTSTRAP (LogAppendTime)"
: > "$DIR/logs/kafka.log"
java -Xms512m -Xmx1g $LOG4J -cp "$(devkit_classpath)" dev.rtpe.devkit.LocalKafkaBroker --port "$KAFKA_PORT" \
  --data-dir "$DIR/kafka" --topics "$(topic_specs)" --log-append-time >> "$DIR/logs/kafka.log" 2>&1 &
pids+=($!)
await_line "$DIR/logs/kafka.log" "Kafka broker ready" 90

echo "==> Loading $EVENTS simulated events"
driver preload --events "$EVENTS"

echo "==> Starting the jobs (parallelism $PARALLELISM${JOB_ARGS:+, $JOB_ARGS})"
: > "$DIR/logs/flink.log"
java -Xms1g -Xmx2g $LOG4J -cp "$(jobs_classpath)" dev.rtpe.local.LocalEngine --bootstrap-servers "$BOOTSTRAP" \
  --ui-port "$UI_PORT" --state-dir "$DIR/flink" --parallelism "$PARALLELISM" -- $JOB_ARGS >> "$DIR/logs/flink.log" 2>&1 &
pids+=($!)
await_line "$DIR/logs/flink.log" "Flink Web UI" 180

echo "==> Throughput: working through the backlog"
driver throughput --expect "$EVENTS"

echo "==> Latency at $RATE events/s for $DURATION"
driver latency --rate "$RATE" --duration "$DURATION"

python3 - "$DIR/results" "$EVENTS" "$RATE" "$PARALLELISM" "$JOB_ARGS" <<'PY' || cat "$DIR"/results/*.json
import json, os, sys, platform, subprocess
d, events, rate, par, args = sys.argv[1:6]
t = json.load(open(os.path.join(d, "throughput.json")))
l = json.load(open(os.path.join(d, "latency.json")))
cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
print()
print("| measure | value |")
print("|---|---|")
print("| sustained, ingest + recommendations | %.0f events/s steady, %.0f events/s including start-up (%d events) |" % (
    t.get("steady_events_per_second", 0), t.get("events_per_second", 0), t["lists"]))
print("| latency at %.0f events/s (achieved %.0f) | p50 %d ms, p95 %d ms, p99 %d ms, max %d ms (%d events) |" % (
    l["target_events_per_second"], l["achieved_events_per_second"], l["p50_ms"], l["p95_ms"], l["p99_ms"], l["max_ms"], l["measured_events"]))
print("| events without a list | %d |" % l["events_without_list"])
print("| machine | %s cores, parallelism %s%s |" % (cpu, par, (", " + args) if args else ""))
PY
