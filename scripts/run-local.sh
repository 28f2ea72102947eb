#!/usr/bin/env bash
# Starts the engine on this machine: a real Kafka broker (KRaft, from the Maven artifacts), the
# engine's topics, and every job on a local Flink cluster with the Web UI. Ctrl-C stops it all.
# Data, checkpoints and logs live under .local/ (RTPE_LOCAL_DIR). Ports: KAFKA_PORT (9092), UI_PORT (8081).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

KAFKA_PORT="${KAFKA_PORT:-9092}"
UI_PORT="${UI_PORT:-8081}"
BOOTSTRAP="localhost:$KAFKA_PORT"

for port in "$KAFKA_PORT" "$UI_PORT"; do
  if port_in_use "$port"; then
    echo "ERROR: port $port is already in use (is the engine already running?). Stop whatever listens there" >&2
    echo "       (ss -ltnp 'sport = :$port'), or choose other ports: KAFKA_PORT=9192 UI_PORT=8181 $0" >&2
    exit 1
  fi
done

ensure_built
mkdir -p "$LOCAL/logs"
LOG4J="-Dlog4j2.configurationFile=$ROOT/scripts/log4j2-local.properties"

pids=()
stop_all() {
  trap - EXIT INT TERM
  if [[ ${#pids[@]} -gt 0 ]]; then
    echo; echo "==> Stopping (Flink first, then Kafka)"
    for ((i=${#pids[@]}-1; i>=0; i--)); do
      kill "${pids[$i]}" 2>/dev/null || true
      wait "${pids[$i]}" 2>/dev/null || true
    done
  fi
}
trap stop_all EXIT INT TERM

# Waits for a line in a log, or fails with the log's tail if the process died first.
await_line() {
  local log="$1" pattern="$2" pid="$3" seconds="$4"
  for ((i = 0; i < seconds * 5; i++)); do
    grep -q "$pattern" "$log" 2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "ERROR: process exited; last lines of $log:" >&2; tail -n 20 "$log" >&2; exit 1
    fi
    sleep 0.2
  done
  echo "ERROR: no '$pattern' in $log after ${seconds}s" >&2; tail -n 20 "$log" >&2; exit 1
}

echo "==> Starting Kafka (KRaft) on $BOOTSTRAP, data in $LOCAL/kafka"
java -Xms256m -Xmx768m $LOG4J -cp "$(devkit_classpath)" dev.rtpe.devkit.LocalKafkaBroker \
  --port "$KAFKA_PORT" --data-dir "$LOCAL/kafka" --topics "$(topic_specs)" > "$LOCAL/logs/kafka.log" 2>&1 &
pids+=($!)
await_line "$LOCAL/logs/kafka.log" "Kafka broker ready" "${pids[0]}" 90

echo "==> Starting the Flink jobs (RocksDB state and checkpoints in $LOCAL/flink)"
java -Xms512m -Xmx2g $LOG4J -cp "$(jobs_classpath)" dev.rtpe.local.LocalEngine \
  --bootstrap-servers "$BOOTSTRAP" --ui-port "$UI_PORT" --state-dir "$LOCAL/flink" \
  --log-file "$LOCAL/logs/flink.log" > "$LOCAL/logs/flink.log" 2>&1 &
pids+=($!)
await_line "$LOCAL/logs/flink.log" "Flink Web UI" "${pids[1]}" 180

cat <<INFO

The engine is running.
  Flink Web UI     http://localhost:$UI_PORT
  Kafka            $BOOTSTRAP
  Logs             $LOCAL/logs/
  Watch a topic    scripts/tail.sh shopper-events --from-beginning
                   scripts/tail.sh dead-letter --from-beginning
Press Ctrl-C to stop.
INFO

wait -n "${pids[@]}"
echo "ERROR: a process stopped unexpectedly; see $LOCAL/logs/" >&2
exit 1
