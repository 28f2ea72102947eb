#!/usr/bin/env bash
# Starts the engine on this machine: a real Kafka broker (KRaft, from the Maven artifacts), the
# engine's topics, every job on a local Flink cluster with the Web UI, and the shopper simulator.
# Ctrl-C (or `scripts/run-local.sh stop` from another terminal) stops it all.
#
#   scripts/run-local.sh                 start; resume from the last run's checkpoints if there are any
#   scripts/run-local.sh --clean         start from scratch (deletes .local/: Kafka data, state, logs)
#   scripts/run-local.sh --rate 200      simulator events per second (default 20; 0 = no simulator)
#   scripts/run-local.sh stop            stop a running engine
#
# Ports: KAFKA_PORT (9092), UI_PORT (8081). Everything lives under .local/ (RTPE_LOCAL_DIR).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

KAFKA_PORT="${KAFKA_PORT:-9092}"
UI_PORT="${UI_PORT:-8081}"
BOOTSTRAP="localhost:$KAFKA_PORT"
RUN_DIR="$LOCAL/run"
RATE=20
CLEAN=false

stop_engine() {
  local stopped=false
  for name in simulator flink kafka; do
    local pidfile="$RUN_DIR/$name.pid"
    [[ -f "$pidfile" ]] || continue
    local pid; pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      echo "==> Stopping $name (pid $pid)"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        echo "    $name did not stop within 30 s; killing it"
        kill -9 "$pid" 2>/dev/null || true
      fi
      stopped=true
    fi
    rm -f "$pidfile"
  done
  $stopped || echo "Nothing to stop: the engine is not running."
}

# `stop` asks the running launcher to shut down (it stops its processes in order); if the launcher
# is gone, it stops the processes itself.
stop_command() {
  local launcher="$RUN_DIR/launcher.pid"
  if [[ -f "$launcher" ]] && kill -0 "$(cat "$launcher")" 2>/dev/null; then
    local pid; pid="$(cat "$launcher")"
    kill -TERM "$pid"
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || { echo "Stopped."; return; }; sleep 0.2; done
    echo "The launcher (pid $pid) did not finish within 60 s; stopping its processes directly."
  fi
  stop_engine
}

case "${1:-}" in
  stop) stop_command; exit 0 ;;
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
while [[ $# -gt 0 ]]; do
  case "$1" in
    --clean) CLEAN=true; shift ;;
    --rate) RATE="$2"; shift 2 ;;
    *) echo "Unknown option '$1'. Try: $0 --help" >&2; exit 2 ;;
  esac
done

for name in kafka flink simulator; do
  if [[ -f "$RUN_DIR/$name.pid" ]] && kill -0 "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null; then
    echo "ERROR: the engine is already running ($name, pid $(cat "$RUN_DIR/$name.pid")). Stop it with: $0 stop" >&2
    exit 1
  fi
done
for port in "$KAFKA_PORT" "$UI_PORT"; do
  if port_in_use "$port"; then
    echo "ERROR: port $port is already in use. Stop whatever listens there (ss -ltnp 'sport = :$port')," >&2
    echo "       or choose other ports: KAFKA_PORT=9192 UI_PORT=8181 $0" >&2
    exit 1
  fi
done

ensure_built
if $CLEAN; then
  echo "==> --clean: deleting $LOCAL"
  rm -rf "$LOCAL"
fi
mkdir -p "$LOCAL/logs" "$RUN_DIR"
LOG4J="-Dlog4j2.configurationFile=$ROOT/scripts/log4j2-local.properties"

echo $$ > "$RUN_DIR/launcher.pid"
trap 'echo; stop_engine; rm -f "$RUN_DIR/launcher.pid"; trap - EXIT; exit 0' INT TERM
trap 'stop_engine; rm -f "$RUN_DIR/launcher.pid"' EXIT

# Logs are emptied here, not by the redirection of a background process, which may happen after
# await_line has already read the previous run's log.
for log in kafka flink simulator; do : > "$LOCAL/logs/$log.log"; done

# Waits for a line in a log, or fails with the log's tail if the process died first.
await_line() {
  local log="$1" pattern="$2" pid="$3" seconds="$4"
  for ((i = 0; i < seconds * 5; i++)); do
    grep -q "$pattern" "$log" 2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "ERROR: it exited; last lines of $log:" >&2; tail -n 20 "$log" >&2; exit 1
    fi
    sleep 0.2
  done
  echo "ERROR: no '$pattern' in $log after ${seconds}s" >&2; tail -n 20 "$log" >&2; exit 1
}

echo "==> Starting Kafka (KRaft) on $BOOTSTRAP, data in $LOCAL/kafka"
java -Xms256m -Xmx768m $LOG4J -cp "$(devkit_classpath)" dev.rtpe.devkit.LocalKafkaBroker \
  --port "$KAFKA_PORT" --data-dir "$LOCAL/kafka" --topics "$(topic_specs)" >> "$LOCAL/logs/kafka.log" 2>&1 &
echo $! > "$RUN_DIR/kafka.pid"
await_line "$LOCAL/logs/kafka.log" "Kafka broker ready" "$(cat "$RUN_DIR/kafka.pid")" 90

echo "==> Starting the Flink jobs (RocksDB state and checkpoints in $LOCAL/flink)"
java -Xms512m -Xmx2g $LOG4J -cp "$(jobs_classpath)" dev.rtpe.local.LocalEngine \
  --bootstrap-servers "$BOOTSTRAP" --ui-port "$UI_PORT" --state-dir "$LOCAL/flink" \
  --log-file "$LOCAL/logs/flink.log" >> "$LOCAL/logs/flink.log" 2>&1 &
echo $! > "$RUN_DIR/flink.pid"
await_line "$LOCAL/logs/flink.log" "Flink Web UI" "$(cat "$RUN_DIR/flink.pid")" 180
grep -E "^(Resuming|Starting) job" "$LOCAL/logs/flink.log" | sed 's/^/    /'

if [[ "$RATE" != "0" ]]; then
  seed="$(date +%s)"
  echo "==> Starting the shopper simulator: $RATE events/s, seed $seed"
  java -Xmx256m $LOG4J -cp "$(jobs_classpath)" dev.rtpe.simulator.SimulatorMain \
    --bootstrap-servers "$BOOTSTRAP" --rate "$RATE" --seed "$seed" >> "$LOCAL/logs/simulator.log" 2>&1 &
  echo $! > "$RUN_DIR/simulator.pid"
fi

cat <<INFO

The engine is running.
  Flink Web UI      http://localhost:$UI_PORT
  Kafka             $BOOTSTRAP
  Logs              $LOCAL/logs/ (kafka.log, flink.log, simulator.log)

Watch the topics as readable JSON (each in its own terminal):
  scripts/tail.sh shopper-events
  scripts/tail.sh dead-letter
  scripts/tail.sh recommendations
  scripts/tail.sh product-recommendations
  scripts/tail.sh cart-abandonment-triggers
  scripts/tail.sh conversion-metrics

Press Ctrl-C to stop, or run: scripts/run-local.sh stop
INFO

# Returns when any of them exits; the EXIT trap then stops the rest.
wait -n
echo "ERROR: a process stopped unexpectedly; see $LOCAL/logs/" >&2
exit 1
