#!/usr/bin/env bash
# Runs every test: unit and operator-harness tests, MiniCluster pipelines with RocksDB, and
# end-to-end tests against a real Kafka broker that the tests start themselves (KRaft, in-JVM).
# Needs only a JDK 17 and Maven; extra arguments go to Maven (e.g. -Dtest=IngestPipelineTest).
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp verify "$@"
