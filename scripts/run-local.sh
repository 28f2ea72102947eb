#!/usr/bin/env bash
# Starts the engine on this machine: a real Kafka broker (KRaft, from the Maven artifacts), the
# engine's topics, a Flink standalone cluster (a JobManager with the Web UI and two TaskManagers,
# each its own process), every job submitted with the Flink CLI from the shaded jar, and the
# shopper simulator.
# Ctrl-C (or `scripts/run-local.sh stop` from another terminal) stops it all.
#
#   scripts/run-local.sh                 start; resume from the last run's checkpoints if there are any
#   scripts/run-local.sh --clean         start from scratch (deletes .local/: Kafka data, state, logs)
#   scripts/run-local.sh --rate 200      simulator events per second (default 20; 0 = no simulator)
#   scripts/run-local.sh stop            stop a running engine
#
# Ports: KAFKA_PORT (9092), UI_PORT (8081), FLINK_RPC_PORT (6123), PROMETHEUS_PORT (9249: the
# JobManager's /metrics; TaskManager n at 9249 + n). TASKMANAGERS (2). Everything lives under .local/
# (RTPE_LOCAL_DIR).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cluster.sh"

KAFKA_PORT="${KAFKA_PORT:-9092}"
UI_PORT="${UI_PORT:-8081}"
RPC_PORT="${FLINK_RPC_PORT:-6123}"
PROM_PORT="${PROMETHEUS_PORT:-9249}"
TASKMANAGERS="${TASKMANAGERS:-2}"
BOOTSTRAP="localhost:$KAFKA_PORT"
RUN_DIR="$LOCAL/run"
RATE=20
CLEAN=false

# Stops what this launcher started, by the process ids it recorded: the simulator, the JobManager
# (its jobs are suspended, and keep their retained checkpoints for the next start), the TaskManagers,
# then Kafka.
stop_engine() {
  local stopped=false
  for pidfile in "$RUN_DIR/simulator.pid" "$RUN_DIR/jobmanager.pid" "$RUN_DIR"/taskmanager-*.pid "$RUN_DIR/kafka.pid"; do
    [[ -f "$pidfile" ]] || continue
    local pid; pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      stop_pid "$(basename "$pidfile" .pid)" "$pid"
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
  -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
while [[ $# -gt 0 ]]; do
  case "$1" in
    --clean) CLEAN=true; shift ;;
    --rate) RATE="$2"; shift 2 ;;
    *) echo "Unknown option '$1'. Try: $0 --help" >&2; exit 2 ;;
  esac
done

for pidfile in "$RUN_DIR"/*.pid; do
  [[ -f "$pidfile" ]] || continue
  if kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "ERROR: the engine is already running ($(basename "$pidfile" .pid), pid $(cat "$pidfile")). Stop it with: $0 stop" >&2
    exit 1
  fi
done
if ! [[ "$TASKMANAGERS" =~ ^[1-9][0-9]*$ ]]; then echo "ERROR: TASKMANAGERS must be a positive number, got '$TASKMANAGERS'" >&2; exit 2; fi
for port in "$KAFKA_PORT" "$UI_PORT" "$RPC_PORT" $(seq "$PROM_PORT" $((PROM_PORT + TASKMANAGERS))); do
  if port_in_use "$port"; then
    echo "ERROR: port $port is already in use. Stop whatever listens there (ss -ltnp 'sport = :$port')," >&2
    echo "       or choose other ports: KAFKA_PORT=9192 UI_PORT=8181 FLINK_RPC_PORT=6124 PROMETHEUS_PORT=9349 $0" >&2
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
for log in kafka jobmanager simulator $(seq -f 'taskmanager-%g' 1 "$TASKMANAGERS"); do : > "$LOCAL/logs/$log.log"; done

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

FLINK_DIR="$LOCAL/flink"
CONF="$FLINK_DIR/conf"
echo "==> Starting the Flink cluster: a JobManager and $TASKMANAGERS TaskManagers (state and checkpoints in $FLINK_DIR)"
write_cluster_config "$CONF" "$FLINK_DIR" "$UI_PORT" "$RPC_PORT" "$PROM_PORT"
start_jobmanager "$CONF" "$LOCAL/logs/jobmanager.log" "$PROM_PORT"
echo $! > "$RUN_DIR/jobmanager.pid"
for n in $(seq 1 "$TASKMANAGERS"); do
  start_taskmanager "$CONF" "$LOCAL/logs/taskmanager-$n.log" $((PROM_PORT + n))
  echo $! > "$RUN_DIR/taskmanager-$n.pid"
done
await_taskmanagers "$UI_PORT" "$TASKMANAGERS" 120

# Each job resumes from the checkpoint its last run left behind, or starts clean.
echo "==> Submitting the jobs with the Flink CLI (flink run) from $JOBS_JAR"
for job in "${ENGINE_JOBS[@]}"; do
  checkpoints="$FLINK_DIR/checkpoints/$job"
  from="$(java -cp "$JOBS_JAR" dev.rtpe.local.RetainedCheckpoints "$checkpoints")"
  args=(--bootstrap-servers "$BOOTSTRAP" --checkpoint-dir "file://$checkpoints")
  # Short stages locally, so a newcomer sees triggers within minutes rather than after 30 min.
  [[ "$job" == abandonment ]] && args+=(--stages 2min,15min)
  id="$(submit_job "$CONF" "$job" "$from" "${args[@]}")"
  if [[ -n "$from" ]]; then echo "    $job: resuming from its retained checkpoint $from (job $id)"
  else echo "    $job: starting clean, no retained checkpoint in $checkpoints (job $id)"; fi
  await_job_running "$UI_PORT" "$id" 120
done

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
  Prometheus        http://localhost:$PROM_PORT/metrics (JobManager), :$((PROM_PORT + 1)) ... (TaskManagers)
  Logs              $LOCAL/logs/ (kafka.log, jobmanager.log, taskmanager-N.log, simulator.log)

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
