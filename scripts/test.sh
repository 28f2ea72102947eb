#!/usr/bin/env bash
# Runs every test: unit and operator-harness tests, MiniCluster pipelines with RocksDB, end-to-end
# tests against a real Kafka broker that the tests start themselves (KRaft, in-JVM), then the short
# fault test on a real cluster (scripts/chaos.sh --short: a TaskManager killed, every job restarted
# from a savepoint at another parallelism, outputs compared with a fault-free run).
# Needs only a JDK 17 and Maven. Extra arguments go to Maven (e.g. -Dtest=IngestPipelineTest), and
# then the fault test is left out.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp verify "$@"
if [[ $# -eq 0 ]]; then
  echo "==> The short fault test on a real cluster (scripts/chaos.sh --short)"
  scripts/chaos.sh --short --events 20000
fi
