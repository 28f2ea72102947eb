#!/usr/bin/env bash
# Measures the engine on this machine, beside the ceilings it works under, in one run:
#   1. ceilings on the same machine, over CEILING_EVENTS events: raw Kafka produce and consume, a Flink pass-through job
#      (Kafka -> Kafka, parallelism 2), and a single-stage reference job (parse, key by customer,
#      one RocksDB value per event, one JSON record out);
#   2. sustained throughput: EVENTS simulated events are preloaded, then ingest and the three other
#      jobs start (RocksDB, checkpoints) and work through them, until every job has committed all;
#   3. latency at each of RATES events/s (ascending) for DURATION, once any backlog is worked off:
#      event append -> its shopper's list appended, and abandoned-cart trigger delay after its due
#      time (HdrHistogram);
#   4. state: RocksDB and checkpoint size and checkpoint time for each of CUSTOMERS distinct
#      customers, and the rate at which the engine took in the new customers.
# Every scale point (customers, categories, input rate) is one row of .local/bench/results/points.json,
# drawn as scale-*.png (XChart).
# The simulated events come from the simulator's default, marketplace-like catalog (100,000 products,
# 1,000 categories, a long tail, 5% uncategorized).
# With --catalog-categories 10,1000,10000 it runs only stage 2, once per number of categories (the
# same 100,000 products), back to back, each on a fresh broker and engine; --jfr records each engine
# run with Java Flight Recorder (.local/bench/results/*.jfr); --async-profiler records each engine run's CPU
# with async-profiler (fetched from Maven Central; collapsed stacks in .local/bench/results/*.collapsed,
# summed by scripts/profile_shares.py), which also sees native code (RocksDB, GC). --simulated-rate sets the preloaded
# events' pace in event time (default 1000 events/s; 20, the simulator's default, spreads them like a
# replayed dataset, so that nearly every event moves its category's trending list).
# With --cluster it runs only stage 2, twice, each on a fresh broker: in one JVM (a MiniCluster, as
# every other stage runs) and on the standalone cluster of scripts/run-local.sh (a JobManager and
# TASKMANAGERS TaskManager processes, default 2, each job submitted with the Flink CLI from the shaded jar).
# The reference job runs twice: with the engine's settings (--job-args) and with throughput settings
# (--throughput-args); --ceilings-only stops after stage 1.
# ENGINE_JAVA_OPTS adds JVM flags to the engine's JVM (for example another garbage collector);
# BENCH_CLUSTER_CONFIG, YAML lines, overrides settings of the --cluster run's config.yaml.
# Results: .local/bench/results/*.json, latency-*.png, scale-*.png and summary.md (also printed).
#
#   scripts/bench.sh [--quick] [--events 1000000] [--rates 1000,2000,5000,8000] [--duration 60s] [--customers 100000,1000000]
#                    [--products 100000] [--parallelism 1] [--job-args "--checkpoint-interval 5s"]
#                    [--catalog-categories 10,1000,10000] [--simulated-rate 1000] [--jfr] [--async-profiler]
#                    [--ceiling-events 1000000] [--throughput-args "..."] [--ceilings-only] [--cluster]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cluster.sh"

EVENTS=1000000; RATES="1000,2000,5000,8000"; DURATION=60s; WARM_UP=15s; CUSTOMERS="100000,1000000"; PRODUCTS=100000; PARALLELISM=1
CATALOG_CATEGORIES=""; CLUSTER=""; JFR=""; ASYNC_PROFILER=""; SIMULATED_RATE=1000; CEILINGS_ONLY=""; CEILING_EVENTS=1000000
# Offsets are committed when a checkpoint completes: "caught up" is known to within this interval.
JOB_ARGS="--checkpoint-interval 5s"
# The reference job once more, tuned for throughput rather than latency: fuller network buffers and
# producer batches, fewer checkpoints.
THROUGHPUT_ARGS="--checkpoint-interval 30s --buffer-timeout 100ms --producer-linger 50ms --producer-batch-size 262144"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) EVENTS=20000; CEILING_EVENTS=100000; RATES=1000; DURATION=25s; WARM_UP=5s; CUSTOMERS="10000,50000"; PRODUCTS=10000; shift ;;
    --events) EVENTS="$2"; shift 2 ;;
    --rates) RATES="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --customers) CUSTOMERS="$2"; shift 2 ;;
    --products) PRODUCTS="$2"; shift 2 ;;
    --parallelism) PARALLELISM="$2"; shift 2 ;;
    --job-args) JOB_ARGS="$2"; shift 2 ;;
    --throughput-args) THROUGHPUT_ARGS="$2"; shift 2 ;;
    --ceilings-only) CEILINGS_ONLY=1; shift ;;
    --ceiling-events) CEILING_EVENTS="$2"; shift 2 ;;
    --catalog-categories) CATALOG_CATEGORIES="$2"; shift 2 ;;
    --cluster) CLUSTER=1; shift ;;
    --jfr) JFR=1; shift ;;
    --async-profiler) ASYNC_PROFILER=1; shift ;;
    --simulated-rate) SIMULATED_RATE="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "Unknown option '$1'. Try: $0 --help" >&2; exit 2 ;;
  esac
done

KAFKA_PORT="${BENCH_KAFKA_PORT:-19092}"
UI_PORT="${BENCH_UI_PORT:-18081}"
RPC_PORT="${BENCH_RPC_PORT:-16123}"
PROM_PORT="${BENCH_PROMETHEUS_PORT:-19249}"
TASKMANAGERS="${TASKMANAGERS:-2}"
BOOTSTRAP="localhost:$KAFKA_PORT"
DIR="$LOCAL/bench"
for port in "$KAFKA_PORT" "$UI_PORT" "$RPC_PORT"; do
  if port_in_use "$port"; then echo "ERROR: port $port is in use (BENCH_KAFKA_PORT / BENCH_UI_PORT / BENCH_RPC_PORT choose others)" >&2; exit 1; fi
done

ensure_built
rm -rf "$DIR"; mkdir -p "$DIR/logs" "$DIR/results"
LOG4J="-Dlog4j2.configurationFile=$ROOT/scripts/log4j2-local.properties"
STARTED=$(date +%s)
pids=()
cleanup() { for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
await_line() {
  for ((i = 0; i < $3 * 5; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "ERROR: no '$2' in $1" >&2; tail -n 20 "$1" >&2; exit 1
}
driver() {
  java -Xms512m -Xmx2g -Djava.awt.headless=true $LOG4J -cp "$(bench_classpath)" dev.rtpe.bench.BenchDriver "$@" \
    --bootstrap-servers "$BOOTSTRAP" --out "$DIR/results"
}
# One local Flink cluster at a time, each with fresh state: the engine, or one of the reference jobs.
engine_pid=""
start_engine() {
  local jobs="$1" parallelism="$2"; shift 2
  : > "$DIR/logs/flink-$jobs.log"
  rm -rf "$DIR/flink"
  local jfr=""
  # Written when the engine stops (dumponexit); the profile settings sample every 10-20 ms.
  [[ -n "$JFR" ]] && jfr="-XX:StartFlightRecording=filename=$DIR/results/$RUN_NAME-$jobs.jfr,settings=profile,dumponexit=true"
  # itimer: CPU time per thread without perf events, which this kernel's perf_event_paranoid may refuse.
  [[ -n "$ASYNC_PROFILER" ]] && jfr="$jfr -agentpath:$(async_profiler)=start,event=itimer,interval=5ms,threads,collapsed,file=$DIR/results/$RUN_NAME-$jobs.collapsed"
  java -Xms1g -Xmx2g ${ENGINE_JAVA_OPTS:-} $jfr $LOG4J -cp "$(jobs_classpath)" dev.rtpe.local.LocalEngine --bootstrap-servers "$BOOTSTRAP" \
    --ui-port "$UI_PORT" --state-dir "$DIR/flink" --parallelism "$parallelism" --jobs "$jobs" "$@" -- $JOB_ARGS \
    >> "$DIR/logs/flink-$jobs.log" 2>&1 &
  engine_pid=$!
  pids+=("$engine_pid")
  await_line "$DIR/logs/flink-$jobs.log" "Flink Web UI" 180
}
stop_engine() { kill "$engine_pid" 2>/dev/null || true; wait "$engine_pid" 2>/dev/null || true; }

# The engine on a standalone cluster instead (cluster.sh, as scripts/run-local.sh starts it), fresh state.
cluster_pids=()
start_cluster() {
  local dir="$DIR/cluster" n job id args
  rm -rf "$dir"
  write_cluster_config "$dir/conf" "$dir" "$UI_PORT" "$RPC_PORT" "$PROM_PORT"
  # For experiments: "key: value" lines that replace the engine's cluster settings of the same keys
  # (YAML refuses a key twice).
  if [[ -n "${BENCH_CLUSTER_CONFIG:-}" ]]; then
    local key
    while IFS=: read -r key _; do
      [[ -n "$key" ]] && sed -i "/^${key}:/d" "$dir/conf/config.yaml"
    done <<< "$BENCH_CLUSTER_CONFIG"
    printf '\n# --- BENCH_CLUSTER_CONFIG\n%s\n' "$BENCH_CLUSTER_CONFIG" >> "$dir/conf/config.yaml"
  fi
  : > "$DIR/logs/jobmanager.log"
  start_jobmanager "$dir/conf" "$DIR/logs/jobmanager.log" "$PROM_PORT"
  cluster_pids=($!)
  for n in $(seq 1 "$TASKMANAGERS"); do
    : > "$DIR/logs/taskmanager-$n.log"
    start_taskmanager "$dir/conf" "$DIR/logs/taskmanager-$n.log" $((PROM_PORT + n))
    cluster_pids+=($!)
  done
  pids+=("${cluster_pids[@]}")
  await_taskmanagers "$UI_PORT" "$TASKMANAGERS" 120
  for job in "${ENGINE_JOBS[@]}"; do
    # $JOB_ARGS is a word list by design, as for the single JVM.
    # shellcheck disable=SC2206
    args=(--bootstrap-servers "$BOOTSTRAP" --checkpoint-dir "file://$dir/checkpoints/$job" --parallelism "$PARALLELISM" $JOB_ARGS)
    [[ "$job" == abandonment ]] && args+=(--stages 10s,5min)
    id="$(submit_job "$dir/conf" "$job" "" "${args[@]}")"
    await_job_running "$UI_PORT" "$id" 120
  done
}
stop_cluster() {
  local i
  for ((i=${#cluster_pids[@]}-1; i>=0; i--)); do stop_pid "flink process" "${cluster_pids[$i]}"; done
}

# async-profiler's agent, from its Maven Central jar (tools.profiler:async-profiler).
async_profiler() {
  local version=2.9 lib="$LOCAL/async-profiler/linux-x64/libasyncProfiler.so"
  local jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
  if [[ ! -f "$lib" ]]; then
    [[ -f "$jar" ]] || mvn -B -ntp -q dependency:get -Dartifact="tools.profiler:async-profiler:$version" >&2
    mkdir -p "$LOCAL/async-profiler" && unzip -oq "$jar" linux-x64/libasyncProfiler.so -d "$LOCAL/async-profiler"
  fi
  echo "$lib"
}

broker_pid=""
start_broker() {
  echo "==> Kafka on $BOOTSTRAP (LogAppendTime)"
  : > "$DIR/logs/kafka.log"
  rm -rf "$DIR/kafka"
  java -Xms512m -Xmx1g $LOG4J -cp "$(devkit_classpath)" dev.rtpe.devkit.LocalKafkaBroker --port "$KAFKA_PORT" \
    --data-dir "$DIR/kafka" --topics "$(topic_specs),ceiling-raw:4,ceiling-passthrough:4,ceiling-reference:4,ceiling-reference-throughput:4" \
    --log-append-time >> "$DIR/logs/kafka.log" 2>&1 &
  broker_pid=$!
  pids+=("$broker_pid")
  await_line "$DIR/logs/kafka.log" "Kafka broker ready" 90
}
stop_broker() { kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; }
RUN_NAME=bench

# Stage 2 alone, as RUN_NAME: a fresh broker and engine (in one JVM, or on the cluster), so no run
# sees another's events or state.
sustained_alone() {
  local categories="$1" where="$2"
  start_broker
  echo "==> Preloading $EVENTS simulated events, $categories categories"
  driver preload --events "$EVENTS" --simulated-rate "$SIMULATED_RATE" --categories "$categories" --name "preload-$RUN_NAME"
  echo "==> 2. Sustained, $RUN_NAME: the four jobs work through the $EVENTS events (parallelism $PARALLELISM, $JOB_ARGS)"
  if [[ "$where" == cluster ]]; then start_cluster; else start_engine engine "$PARALLELISM" --abandonment-stages 10s,5min; fi
  driver drain --topic recommendations --expect "$EVENTS" --name "recommendations-$RUN_NAME"
  driver sustained --events "$EVENTS" --name "sustained-$RUN_NAME"
  if [[ "$where" == cluster ]]; then stop_cluster; else stop_engine; fi
  stop_broker
}

if [[ -n "$CLUSTER" ]]; then
  RUN_NAME=jvm; sustained_alone 1000 jvm
  RUN_NAME=cluster; sustained_alone 1000 cluster
  python3 "$ROOT/scripts/bench_summary.py" --cluster "$DIR/results" "$EVENTS" "$TASKMANAGERS" "$PARALLELISM" "$JOB_ARGS" \
    "$(( $(date +%s) - STARTED ))" | tee "$DIR/results/summary.md"
  exit 0
fi

if [[ -n "$CATALOG_CATEGORIES" ]]; then
  for categories in ${CATALOG_CATEGORIES//,/ }; do
    RUN_NAME="categories-$categories"; sustained_alone "$categories" jvm
  done
  driver charts
  python3 "$ROOT/scripts/bench_summary.py" --catalog "$DIR/results" "$CATALOG_CATEGORIES" "$EVENTS" "$SIMULATED_RATE" "$PARALLELISM" "$JOB_ARGS" \
    "$(( $(date +%s) - STARTED ))" | tee "$DIR/results/summary.md"
  exit 0
fi

# Stage 1 on a broker of its own, with CEILING_EVENTS: the reference jobs finish 100,000 events in a
# few seconds, most of them JIT warm-up, which understated the ceiling about threefold.
start_broker
echo "==> 1. Ceilings: raw Kafka with $CEILING_EVENTS records of our events' size"
driver kafka --events "$CEILING_EVENTS"
echo "==> Preloading $CEILING_EVENTS simulated events for the ceilings"
driver preload --events "$CEILING_EVENTS" --simulated-rate "$SIMULATED_RATE" --name preload-ceilings
echo "==> 1. Ceilings: Flink pass-through, parallelism 2"
start_engine passthrough 2
driver drain --topic ceiling-passthrough --expect "$CEILING_EVENTS" --name passthrough
stop_engine
echo "==> 1. Ceilings: single-stage reference job, parallelism 2, the engine's settings ($JOB_ARGS)"
start_engine reference 2
driver drain --topic ceiling-reference --expect "$CEILING_EVENTS" --name reference
stop_engine
echo "==> 1. Ceilings: single-stage reference job, parallelism 2, throughput settings ($THROUGHPUT_ARGS)"
JOB_ARGS="$THROUGHPUT_ARGS --output-topic ceiling-reference-throughput" start_engine reference 2
driver drain --topic ceiling-reference-throughput --expect "$CEILING_EVENTS" --name reference-throughput
stop_engine
stop_broker
if [[ -n "$CEILINGS_ONLY" ]]; then
  python3 "$ROOT/scripts/bench_summary.py" --ceilings "$DIR/results" "$CEILING_EVENTS" "$JOB_ARGS" "$THROUGHPUT_ARGS" \
    "$(( $(date +%s) - STARTED ))" | tee "$DIR/results/summary.md"
  exit 0
fi

start_broker
echo "==> Preloading $EVENTS simulated events"
driver preload --events "$EVENTS" --simulated-rate "$SIMULATED_RATE"
echo "==> 2. Sustained: ingest, recommendations, abandonment and metrics work through the $EVENTS events (parallelism $PARALLELISM, $JOB_ARGS)"
# Short abandonment stages, so triggers come due within the latency run.
start_engine engine "$PARALLELISM" --abandonment-stages 10s,5min
driver drain --topic recommendations --expect "$EVENTS" --name recommendations
driver sustained --events "$EVENTS"

for rate in ${RATES//,/ }; do
  # A rate above the engine's capacity leaves a backlog; the next rate starts once it is worked off.
  echo "==> 3. Latency at $rate events/s for $DURATION"
  driver sustained --events 0 --name "caught-up-before-$rate"
  # Triggers due before the last events (less 5 s of out-of-orderness) fire; then a checkpoint (5 s) commits them.
  driver latency --rate "$rate" --duration "$DURATION" --warm-up "$WARM_UP" --trigger-wait 15s --name "latency-$rate"
done
driver sustained --events 0 --name caught-up-before-state

echo "==> 4. State for ${CUSTOMERS//,/ and } distinct customers over $PRODUCTS products"
from=0
for to in ${CUSTOMERS//,/ }; do
  # Every customer is new state in every job: millions of them can outlast the driver's default 15-minute wait.
  driver state --from "$from" --to "$to" --products "$PRODUCTS" --rest "http://localhost:$UI_PORT" --timeout 60m \
    --rocksdb-dir "$DIR/flink/tmp" --name "state-$to"
  from=$to
done
stop_engine

driver charts
python3 "$ROOT/scripts/bench_summary.py" "$DIR/results" "$EVENTS" "$RATES" "$PARALLELISM" "$JOB_ARGS" "$THROUGHPUT_ARGS" "$CUSTOMERS" \
  "$(( $(date +%s) - STARTED ))" | tee "$DIR/results/summary.md"
echo
echo "Charts: $DIR/results/latency-*.png, $DIR/results/scale-*.png"
