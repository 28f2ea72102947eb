# Shared by the scripts: where things are, and building what is missing.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${RTPE_LOCAL_DIR:-$ROOT/.local}"
JOBS_JAR="$ROOT/jobs/target/rtpe-jobs.jar"
JOBS_CP_FILE="$ROOT/jobs/target/local-classpath.txt"
DEVKIT_JAR="$ROOT/devkit/target/rtpe-devkit-0.1.0-SNAPSHOT.jar"
DEVKIT_CP_FILE="$ROOT/devkit/target/runtime-classpath.txt"
BENCH_JAR="$ROOT/bench/target/rtpe-bench-0.1.0-SNAPSHOT.jar"
BENCH_CP_FILE="$ROOT/bench/target/runtime-classpath.txt"
CLUSTER_CP_FILE="$ROOT/cluster/target/cluster-classpath.txt"

# Builds the jars once (visible progress, tests skipped: scripts/test.sh runs them).
ensure_built() {
  if [[ -f "$JOBS_JAR" && -f "$JOBS_CP_FILE" && -f "$DEVKIT_JAR" && -f "$DEVKIT_CP_FILE" && -f "$BENCH_CP_FILE" && -f "$CLUSTER_CP_FILE" \
        && -z "$(find "$ROOT/jobs/src/main" "$ROOT/devkit/src/main" "$ROOT/bench/src/main" -newer "$JOBS_JAR" -type f 2>/dev/null | head -n 1)" ]]; then
    return
  fi
  echo "==> Building the engine (first run downloads dependencies from Maven Central; this takes a few minutes)"
  (cd "$ROOT" && mvn -B -ntp -DskipTests install)
}

jobs_classpath()   { echo "$JOBS_JAR:$(cat "$JOBS_CP_FILE")"; }
devkit_classpath() { echo "$DEVKIT_JAR:$(cat "$DEVKIT_CP_FILE")"; }
bench_classpath()  { echo "$BENCH_JAR:$(cat "$BENCH_CP_FILE")"; }

# name:partitions[:compact],... from scripts/topics.txt
topic_specs() {
  grep -vE '^\s*(#|$)' "$ROOT/scripts/topics.txt" | awk '{s=$1":"$2; if ($3=="compact") s=s":compact"; printf "%s%s", sep, s; sep=","}'
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
