#!/usr/bin/env bash
# Scores the engine on a dataset: starts a fresh private engine (its own Kafka broker and Flink
# cluster, empty state, one partition per topic, parallelism 1, event time only from the data),
# replays the file as fast as possible into browse-events and cart-events, waits until every job
# has processed every event, prints the table and writes the JSON. A running scripts/run-local.sh
# is not touched.
#   scripts/evaluate.sh --format rees46 --file ../shared/data/rees46-2019-Oct-sample.csv
#   scripts/evaluate.sh --format taobao --file UserBehavior.csv --limit 500000 --out eval.json
# Other flags go to the replay (scripts/replay.sh --help), except --speed (always max).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

KAFKA_PORT="${EVAL_KAFKA_PORT:-19192}"
UI_PORT="${EVAL_UI_PORT:-18181}"
BOOTSTRAP="localhost:$KAFKA_PORT"
DIR="$LOCAL/evaluate"
OUT="$DIR/evaluation.json"
args=(); format=""; file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --format) format="$2"; args+=("$1" "$2"); shift 2 ;;
    --file) file="$2"; args+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --speed|--bootstrap-servers|--browse-topic|--cart-topic) echo "ERROR: $1 is chosen by evaluate.sh" >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
# Checked before anything starts, so a typo costs no broker start-up.
if [[ -z "$format" || -z "$file" ]]; then echo "ERROR: --format and --file are required. Try: $0 --help" >&2; exit 2; fi
if [[ ! -r "$file" ]]; then echo "ERROR: cannot read --file $file" >&2; exit 2; fi
case "$format" in
  rees46|retailrocket|taobao|diginetica|jsonl) ;;
  *) echo "ERROR: unknown --format '$format'; known formats: rees46, retailrocket, taobao, diginetica, jsonl" >&2; exit 2 ;;
esac
for port in "$KAFKA_PORT" "$UI_PORT"; do
  if port_in_use "$port"; then echo "ERROR: port $port is in use (EVAL_KAFKA_PORT / EVAL_UI_PORT choose others)" >&2; exit 1; fi
done

ensure_built
rm -rf "$DIR/kafka" "$DIR/flink" "$DIR/logs"; mkdir -p "$DIR/logs"
LOG4J="-Dlog4j2.configurationFile=$ROOT/scripts/log4j2-local.properties"
pids=()
cleanup() { for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
await_line() {
  for ((i = 0; i < $3 * 5; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "ERROR: no '$2' in $1" >&2; tail -n 20 "$1" >&2; exit 1
}
# One partition per topic and parallelism 1: fewer ways for concurrent work to interleave.
single_partition_specs() { topic_specs | sed -E 's/:[0-9]+/:1/g'; }

echo "==> Fresh Kafka on $BOOTSTRAP (logs in $DIR/logs)"
java -Xms256m -Xmx1g $LOG4J -cp "$(devkit_classpath)" dev.rtpe.devkit.LocalKafkaBroker --port "$KAFKA_PORT" \
  --data-dir "$DIR/kafka" --topics "$(single_partition_specs)" >> "$DIR/logs/kafka.log" 2>&1 &
pids+=($!)
await_line "$DIR/logs/kafka.log" "Kafka broker ready" 90

echo "==> Fresh engine, Flink Web UI at http://localhost:$UI_PORT"
# Production stages, and event time only from the data: no wall-clock quiet clock at ingest. The
# recommendations job takes events in event-time order, so the same file gives the same lists every run.
java -Xms512m -Xmx2g $LOG4J -cp "$(jobs_classpath)" dev.rtpe.local.LocalEngine --bootstrap-servers "$BOOTSTRAP" \
  --ui-port "$UI_PORT" --state-dir "$DIR/flink" --parallelism 1 --abandonment-stages 30min,24h \
  --quiet-clock false --recommendations-event-order event-time >> "$DIR/logs/flink.log" 2>&1 &
pids+=($!)
await_line "$DIR/logs/flink.log" "Flink Web UI" 180

java -Xmx"${REPLAY_HEAP:-4g}" $LOG4J -cp "$(bench_classpath)" dev.rtpe.evaluate.EvaluateMain \
  --bootstrap-servers "$BOOTSTRAP" --ui-port "$UI_PORT" --out "$OUT" --marketing-consent true "${args[@]}"
