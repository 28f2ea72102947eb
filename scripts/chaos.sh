#!/usr/bin/env bash
# Fault tests on a real cluster: runs the engine twice over the same preloaded input (the simulator,
# a fixed seed, simulated event time), once without faults and once with them, and compares the
# outputs as their users read them. Prints a table and writes a JSON result. Exit 1 on any difference.
#   scripts/chaos.sh            all four faults: kill -9 of a TaskManager, the broker stopped for 60 s,
#                               every job stopped with a savepoint and restarted at parallelism 1, and
#                               a job cancelled and resumed from its retained checkpoint
#   scripts/chaos.sh --short    the TaskManager kill and the savepoint restart only (what CI runs)
#   scripts/chaos.sh --only kill one fault alone, to find which one a difference comes from
#                               (kill, outage, savepoint or cancel)
#   scripts/chaos.sh --no-faults a control: both runs fault-free, so any difference is the engine's own
#                               nondeterminism, not a fault's
#   --events N (default 60000)  --seed S (default 11)  --out FILE (default .local/chaos/chaos.json)
# Its own ports (CHAOS_KAFKA_PORT 19592, CHAOS_UI_PORT 18381, ...): a running run-local.sh is not touched.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cluster.sh"

KAFKA_PORT="${CHAOS_KAFKA_PORT:-19592}"
UI_PORT="${CHAOS_UI_PORT:-18381}"
RPC_PORT="${CHAOS_RPC_PORT:-16323}"
PROM_PORT="${CHAOS_PROMETHEUS_PORT:-19449}"
BOOTSTRAP="localhost:$KAFKA_PORT"
DIR="$LOCAL/chaos"
OUT="$DIR/chaos.json"
EVENTS=60000
SEED=11
SHORT=false
FAULTED=true
ONLY=""
BROKER_OUTAGE="${CHAOS_BROKER_OUTAGE_SECONDS:-60}"
# Simulated event time: a fixed start, so both runs (and every run of this script) see the same records.
START_TIME="2026-11-02T08:00:00Z"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --short) SHORT=true; shift ;;
    --no-faults) FAULTED=false; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    --events) EVENTS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ERROR: unknown option '$1'. Try: $0 --help" >&2; exit 2 ;;
  esac
done
case "$ONLY" in ""|kill|outage|savepoint|cancel) ;; *) echo "ERROR: --only takes kill, outage, savepoint or cancel, got '$ONLY'" >&2; exit 2 ;; esac
if ! [[ "$EVENTS" =~ ^[1-9][0-9]*$ ]]; then echo "ERROR: --events must be a positive number, got '$EVENTS'" >&2; exit 2; fi
for port in "$KAFKA_PORT" "$UI_PORT" "$RPC_PORT" $(seq "$PROM_PORT" $((PROM_PORT + 3))); do
  if port_in_use "$port"; then echo "ERROR: port $port is in use (CHAOS_*_PORT choose others)" >&2; exit 1; fi
done

ensure_built
rm -rf "$DIR"; mkdir -p "$DIR"
LOG4J="-Dlog4j2.configurationFile=$ROOT/scripts/log4j2-local.properties"
declare -A PIDS=()
cleanup() {
  for name in "${!PIDS[@]}"; do kill -9 "${PIDS[$name]}" 2>/dev/null || true; done
  for name in "${!PIDS[@]}"; do wait "${PIDS[$name]}" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
FAULTS=()
RECOVERIES=()
now_ms() { date +%s%3N; }
outputs() { java -Xmx2g $LOG4J -cp "$(bench_classpath)" dev.rtpe.chaos.ChaosOutputs "$@"; }
simulate() {
  java -Xmx512m $LOG4J -cp "$(jobs_classpath)" dev.rtpe.simulator.SimulatorMain --speed max --events "$EVENTS" \
    --seed "$SEED" --start-time "$START_TIME" "$@"
}

start_broker() { # RUN
  java -Xms256m -Xmx768m $LOG4J -cp "$(devkit_classpath)" dev.rtpe.devkit.LocalKafkaBroker --port "$KAFKA_PORT" \
    --data-dir "$DIR/$1/kafka" --topics "$(topic_specs)" >> "$DIR/$1/logs/kafka.log" 2>&1 &
  PIDS[kafka]=$!
  local lines; lines="$(grep -c "Kafka broker ready" "$DIR/$1/logs/kafka.log" 2>/dev/null || true)"
  for ((i = 0; i < 450; i++)); do
    [[ "$(grep -c "Kafka broker ready" "$DIR/$1/logs/kafka.log" 2>/dev/null || true)" -gt "$lines" ]] && return 0
    sleep 0.2
  done
  echo "ERROR: the broker did not start; see $DIR/$1/logs/kafka.log" >&2; exit 1
}

start_tm() { # RUN N
  start_taskmanager "$DIR/$1/conf" "$DIR/$1/logs/taskmanager-$2.log" $((PROM_PORT + $2))
  PIDS[tm$2]=$!
}

# Every job, with event time only from the data (no quiet clock), the recommendations job in event-time
# order (lists that do not depend on which input topic is read first, as in evaluate.sh), short
# checkpoints so faults land between them, and short abandonment stages so the input's simulated
# hours give triggers.
JOB_IDS=()
submit_all() { # RUN PARALLELISM FROM-PREFIX...
  local run="$1" p="$2"; shift 2
  JOB_IDS=()
  for job in "${ENGINE_JOBS[@]}"; do
    local from="${1:-}"; shift || true
    local args=(--bootstrap-servers "$BOOTSTRAP" --checkpoint-dir "file://$DIR/$run/flink/checkpoints/$job"
                --checkpoint-interval 3s --parallelism "$p")
    [[ "$job" == ingest ]] && args+=(--quiet-clock false)
    [[ "$job" == recommendations ]] && args+=(--event-order event-time)
    [[ "$job" == abandonment ]] && args+=(--stages 2min,15min)
    JOB_IDS+=("$(submit_job "$DIR/$run/conf" "$job" "$from" "${args[@]}")")
  done
  for id in "${JOB_IDS[@]}"; do await_job_running "$UI_PORT" "$id" 180; done
}

completed_checkpoints() { # JOB_ID
  rest "$UI_PORT" "/jobs/$1/checkpoints" | grep -oE '"completed":[0-9]+' | head -n 1 | cut -d: -f2
}
# Waits until the job has completed one more checkpoint than now: it runs and its output is flowing again.
await_next_checkpoint() { # JOB_ID SECONDS
  local before; before="$(completed_checkpoints "$1" || echo 0)"
  for ((i = 0; i < $2 * 5; i++)); do
    local c; c="$(completed_checkpoints "$1" || echo 0)"
    [[ "${c:-0}" -gt "${before:-0}" ]] && return 0
    sleep 0.2
  done
  echo "ERROR: job $1 completed no checkpoint in $2 s" >&2; return 1
}
restarts() { # JOB_ID: Flink's numRestarts metric of the job
  rest "$UI_PORT" "/jobs/$1/metrics?get=numRestarts" | grep -oE '"value":"[0-9]+"' | grep -oE '[0-9]+' || echo "?"
}
# The lowest positive input watermark over a job's operators, in ms (0: none yet).
lowest_watermark() { # JOB_ID
  local lowest=""
  for vid in $(rest "$UI_PORT" "/jobs/$1" | grep -oE '"id":"[0-9a-f]{32}","slotSharingGroupId"' | cut -d'"' -f4); do
    for w in $(rest "$UI_PORT" "/jobs/$1/vertices/$vid/watermarks" | grep -oE '"value":"-?[0-9]+"' | grep -oE -- '-?[0-9]+'); do
      if [[ "$w" -gt 0 ]] && [[ -z "$lowest" || "$w" -lt "$lowest" ]]; then lowest="$w"; fi
    done
  done
  echo "${lowest:-0}"
}
# Waits until the metrics job's event time has reached the end of the input (the closing events,
# less ingest's 5 s out-of-orderness), so its last windows are out; a stall is recorded as a difference.
await_metrics_end() { # RUN
  local run="$1" closing end metrics="${JOB_IDS[3]}"
  closing="$(grep -oE 'closing events at [^ ]+' "$DIR/$run/logs/preload.log" | awk '{print $4}')"
  # Less the out-of-orderness and a second: a bounded-out-of-orderness watermark trails by the bound and 1 ms.
  end=$(( $(date -u -d "$closing" +%s%3N) - 6000 ))
  for ((i = 0; i < 300; i++)); do
    [[ "$(lowest_watermark "$metrics")" -ge "$end" ]] && { await_next_checkpoint "$metrics" 60; return 0; }
    sleep 1
  done
  local at; at="$(lowest_watermark "$metrics")"
  echo "metrics at $(date -u -d "@$((at / 1000))" +%H:%M:%S), not $(date -u -d "@$((end / 1000))" +%H:%M:%S)" > "$DIR/$run/stalled.txt"
  echo "    event time of metrics stalled: $(cat "$DIR/$run/stalled.txt")"
}

# Each job's event time now: the lowest input watermark of each of its operators (REST), to see
# whether event time went on through a fault.
event_times() { # LABEL
  local i=0 line="$1:"
  for id in "${JOB_IDS[@]}"; do
    line+=" ${ENGINE_JOBS[$i]}=$(date -u -d "@$(( $(lowest_watermark "$id") / 1000 ))" +%H:%M:%S)"
    i=$((i + 1))
  done
  echo "$line" | tee -a "$DIR/event-times.txt"
}
recovered() { # FAULT T0
  local ms=$(( $(now_ms) - $2 )) i=0 counts=""
  # Restarts so far of each job's current submission: a resubmission (savepoint, cancel) starts at 0.
  for id in "${JOB_IDS[@]}"; do counts+=" ${ENGINE_JOBS[$i]}=$(restarts "$id")"; i=$((i + 1)); done
  RECOVERIES+=("$1: output resumed after $((ms / 1000)).$(( (ms % 1000) / 100 )) s; restarts:$counts")
  echo "    output resumed after $((ms / 1000)).$(( (ms % 1000) / 100 )) s; restarts:$counts"
  event_times "    event time after the $1"
}

# One run of the engine over the preloaded input; FAULTED=true injects the faults while it works.
run_engine() { # RUN FAULTED
  local run="$1" faulted="$2"
  mkdir -p "$DIR/$run/logs"
  echo "==> [$run] fresh broker on $BOOTSTRAP, preloaded with the input"
  start_broker "$run"
  simulate --bootstrap-servers "$BOOTSTRAP" > "$DIR/$run/logs/preload.log" 2>&1
  outputs close-input --bootstrap-servers "$BOOTSTRAP" --input "$DIR/input.jsonl" >> "$DIR/$run/logs/preload.log" 2>&1
  echo "==> [$run] cluster: a JobManager and two TaskManagers; the jobs at parallelism 2"
  write_cluster_config "$DIR/$run/conf" "$DIR/$run/flink" "$UI_PORT" "$RPC_PORT" "$PROM_PORT"
  start_jobmanager "$DIR/$run/conf" "$DIR/$run/logs/jobmanager.log" "$PROM_PORT"; PIDS[jm]=$!
  start_tm "$run" 1; start_tm "$run" 2
  await_taskmanagers "$UI_PORT" 2 120
  local t0; t0="$(now_ms)"
  submit_all "$run" 2
  if $faulted; then inject_faults "$run"; fi
  echo "==> [$run] waiting until every job has processed every event"
  outputs await --bootstrap-servers "$BOOTSTRAP" --ui-port "$UI_PORT" --timeout 20m > "$DIR/$run/logs/await.log" 2>&1 \
    || { echo "ERROR: [$run] not every event was processed; see $DIR/$run/logs/" >&2; tail -n 20 "$DIR/$run/logs/await.log" >&2; exit 1; }
  await_metrics_end "$run"
  echo "    processed in $(( ($(now_ms) - t0) / 1000 )) s"
  event_times "    [$run] event time at the end"
  outputs snapshot --bootstrap-servers "$BOOTSTRAP" --out "$DIR/$run/outputs.json"
  local i=0
  for id in "${JOB_IDS[@]}"; do echo "${ENGINE_JOBS[$i]}=$(restarts "$id")"; i=$((i + 1)); done > "$DIR/$run/restarts.txt"
  cleanup; PIDS=()
}

# Whether this run injects FAULT: all of them, the short set, or the one --only names.
wants() { # FAULT
  if [[ -n "$ONLY" ]]; then [[ "$ONLY" == "$1" ]]; return; fi
  if $SHORT; then [[ "$1" == kill || "$1" == savepoint ]]; return; fi
  return 0
}

inject_faults() { # RUN
  local run="$1" t0 parallelism_now=2
  for id in "${JOB_IDS[@]}"; do await_next_checkpoint "$id" 120; done

  event_times "    event time before the faults"
  if wants kill; then
    echo "==> [$run] fault: kill -9 of TaskManager 1, and a new TaskManager started"
    t0="$(now_ms)"
    kill -9 "${PIDS[tm1]}"; unset 'PIDS[tm1]'
    start_tm "$run" 3
    for id in "${JOB_IDS[@]}"; do await_next_checkpoint "$id" 300; done
    FAULTS+=("kill -9 of a TaskManager mid-stream, a new one started"); recovered "TaskManager kill" "$t0"
  fi

  if wants outage; then
    echo "==> [$run] fault: the broker stopped for $BROKER_OUTAGE s, then started again with its data"
    t0="$(now_ms)"
    kill "${PIDS[kafka]}"; wait "${PIDS[kafka]}" 2>/dev/null || true; unset 'PIDS[kafka]'
    sleep "$BROKER_OUTAGE" # the outage itself: the fault is its length
    start_broker "$run"
    for id in "${JOB_IDS[@]}"; do await_next_checkpoint "$id" 300; done
    FAULTS+=("the broker stopped for $BROKER_OUTAGE s and started again"); recovered "broker outage" "$t0"
  fi

  if wants savepoint; then
    echo "==> [$run] fault: every job stopped with a savepoint, and started from it at parallelism 1"
    t0="$(now_ms)"
    local savepoints=()
    for id in "${JOB_IDS[@]}"; do
      local out; out="$(flink_cli "$DIR/$run/conf" stop --savepointPath "file://$DIR/$run/flink/savepoints" "$id" 2>&1)" \
        || { echo "ERROR: flink stop of $id failed:" >&2; echo "$out" | tail -n 20 >&2; exit 1; }
      savepoints+=("$(grep -oE 'Savepoint completed\. Path: [^ ]+' <<< "$out" | awk '{print $4}')")
    done
    submit_all "$run" 1 "${savepoints[@]}"
    parallelism_now=1
    for id in "${JOB_IDS[@]}"; do await_next_checkpoint "$id" 300; done
    FAULTS+=("every job stopped with a savepoint and restarted from it at parallelism 2 -> 1"); recovered "savepoint restart" "$t0"
  fi

  if wants cancel; then
    echo "==> [$run] fault: the abandonment job cancelled, and resumed from its last retained checkpoint"
    t0="$(now_ms)"
    local abandonment="${JOB_IDS[2]}"
    flink_cli "$DIR/$run/conf" cancel "$abandonment" > /dev/null
    local from; from="$(java -cp "$JOBS_JAR" dev.rtpe.local.RetainedCheckpoints "$DIR/$run/flink/checkpoints/abandonment")"
    [[ -n "$from" ]] || { echo "ERROR: no retained checkpoint of abandonment" >&2; exit 1; }
    JOB_IDS[2]="$(submit_job "$DIR/$run/conf" abandonment "$from" --bootstrap-servers "$BOOTSTRAP" \
      --checkpoint-dir "file://$DIR/$run/flink/checkpoints/abandonment" --checkpoint-interval 3s --parallelism 2 \
      --stages 2min,15min)"
    await_job_running "$UI_PORT" "${JOB_IDS[2]}" 180
    await_next_checkpoint "${JOB_IDS[2]}" 300
    FAULTS+=("a job cancelled and resumed from its retained checkpoint at parallelism $parallelism_now -> 2"); recovered "cancel and resume" "$t0"
  fi
}

echo "==> The input: $EVENTS simulated events, seed $SEED, event time from $START_TIME"
simulate --out-file "$DIR/input.jsonl" > "$DIR/input.log" 2>&1
malformed="$(grep -oE '\(([0-9]+) malformed\)' "$DIR/input.log" | tail -n 1 | grep -oE '[0-9]+')"
echo "    $(wc -l < "$DIR/input.jsonl") records in $DIR/input.jsonl, $malformed of them malformed"

run_engine reference false
run_engine faulted "$FAULTED"

echo
echo "Faults injected:"
for f in "${FAULTS[@]}"; do echo "  - $f"; done
echo "Recoveries:"
for r in "${RECOVERIES[@]}"; do echo "  - $r"; done
echo "Restarts per job since its last submission (faulted run): $(tr '\n' ' ' < "$DIR/faulted/restarts.txt")"
echo
set +e
outputs compare --reference "$DIR/reference/outputs.json" --faulted "$DIR/faulted/outputs.json" \
  --malformed "$malformed" --out "$OUT" --faults "$(IFS='|'; echo "${FAULTS[*]}")" \
  --recoveries "$(IFS='|'; echo "${RECOVERIES[*]}")" \
  --stalled "$(cat "$DIR"/reference/stalled.txt "$DIR"/faulted/stalled.txt 2>/dev/null | tr '\n' ' ')" --restarts "$(tr '\n' ' ' < "$DIR/faulted/restarts.txt")"
status=$?
set -e
echo "Written to $OUT"
exit $status
