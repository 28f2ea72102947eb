"""Prints the summary table of scripts/bench.sh from its JSON results (Markdown)."""
import json
import os
import platform
import subprocess
import sys


def machine(seconds):
    cpu = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return "Machine: %s cores, %.0f GB, %s; broker, load generator and jobs on the same machine. Bench took %s s." % (
        cpu, mem_gb, platform.platform(), seconds)


def catalog_summary(d, shapes, events, simulated_rate, par, job_args, seconds):
    """scripts/bench.sh --catalog-categories: stage 2 once per number of categories."""
    print()
    print(machine(seconds))
    print()
    print("%s events per shape at %s events/s of simulated time; 100,000 products; parallelism %s (%s)." % (
        events, simulated_rate, par, job_args))
    print()
    sustained_table(d, "categories", [("categories-" + c, c) for c in shapes.split(",")])


def sustained_table(d, first_column, runs):
    """One row per stage-2 run: (the run's name in its result files, its label)."""
    print("| %s | engine: all four jobs, events/s | recommendations lists appended, events/s (steady) |" % first_column)
    print("|---|---|---|")
    for name, label in runs:
        with open(os.path.join(d, "sustained-%s.json" % name)) as f:
            sustained = json.load(f)
        with open(os.path.join(d, "recommendations-%s.json" % name)) as f:
            recs = json.load(f)
        print("| %s | %.0f | %.0f (%.0f) |" % (label, sustained["events_per_second"], recs.get("events_per_second", 0),
                                             recs.get("steady_events_per_second", 0)))


def cluster_summary(d, events, taskmanagers, par, job_args, seconds):
    """scripts/bench.sh --cluster: stage 2 in one JVM and on the standalone cluster."""
    print()
    print(machine(seconds))
    print()
    print("%s events, the default catalog (1,000 categories, 100,000 products); parallelism %s (%s)." % (events, par, job_args))
    print()
    sustained_table(d, "where the four jobs run", [
        ("jvm", "one JVM (MiniCluster), as the other stages"),
        ("cluster", "standalone cluster: a JobManager and %s TaskManager processes" % taskmanagers)])


def ceilings_summary(d, events, job_args, throughput_args, seconds):
    """scripts/bench.sh --ceilings-only: stage 1 alone."""
    print()
    print(machine(seconds))
    print()
    print("%s events." % events)
    print()
    ceilings_table(d, job_args, throughput_args, None)


def ceilings_table(d, job_args, throughput_args, engine):
    def load(name):
        with open(os.path.join(d, name + ".json")) as f:
            return json.load(f)

    def row(label, x):
        share = "%.0f%%" % (100.0 * engine / x) if engine and x else "-"
        print("| %s | %.0f | %s |" % (label, x, share))

    kafka, passthrough = load("kafka"), load("passthrough")
    reference, tuned = load("reference"), load("reference-throughput")
    print("| measure | events/s | engine as a share |")
    print("|---|---|---|")
    row("raw Kafka produce (%d B records)" % kafka["mean_record_bytes"], kafka["produce_events_per_second"])
    row("raw Kafka consume", kafka["consume_events_per_second"])
    row("Flink pass-through, parallelism 2", passthrough["events_per_second"])
    row("single-stage reference job, parallelism 2, the engine's settings (%s)" % job_args, reference["events_per_second"])
    row("single-stage reference job, parallelism 2, throughput settings (%s)" % throughput_args, tuned["events_per_second"])


def targets(engine, reference, at_5000):
    """The throughput and latency targets against this run's figures."""
    def met(ok):
        return "met" if ok else "**not met**"

    print("| target | this run | |")
    print("|---|---|---|")
    print("| sustained >= 10,000 events/s | %.0f | %s |" % (engine, met(engine >= 10000)))
    print("| engine >= 50%% of the reference job (engine's settings) | %.0f%% | %s |" % (
        100.0 * engine / reference, met(engine >= reference / 2)))
    if at_5000:
        p = at_5000["percentiles_ms"]
        print("| at 5,000 events/s: p99 event -> list < 100 ms, p50 < 20 ms | p99 %d ms, p50 %d ms | %s |" % (
            p["99.0"], p["50.0"], met(p["99.0"] < 100 and p["50.0"] < 20 and at_5000["events_without_list"] == 0)))


if sys.argv[1] == "--ceilings":
    ceilings_summary(*sys.argv[2:7])
    sys.exit(0)

if sys.argv[1] == "--cluster":
    cluster_summary(*sys.argv[2:8])
    sys.exit(0)

if sys.argv[1] == "--catalog":
    catalog_summary(*sys.argv[2:9])
    sys.exit(0)

d, events, rate, par, job_args, throughput_args, customers, seconds = sys.argv[1:9]


def load(name):
    with open(os.path.join(d, name + ".json")) as f:
        return json.load(f)


recs, sustained = load("recommendations"), load("sustained")
latencies = [(r, load("latency-" + r)) for r in rate.split(",")]
states = [load("state-" + c) for c in customers.split(",")]
engine = sustained["events_per_second"]


print()
print(machine(seconds))
print()
ceilings_table(d, job_args, throughput_args, engine)
print("| **engine: ingest + recommendations + abandonment + metrics**, parallelism %s (%s) | **%.0f** | |" % (
    par, job_args, engine))
print("| of which recommendations lists appended (steady) | %.0f (%.0f) | |" % (
    recs.get("events_per_second", 0), recs.get("steady_events_per_second", 0)))
print()
print("| latency | p50 | p95 | p99 | max | measured |")
print("|---|---|---|---|---|---|")
for r, latency in latencies:
    p = latency["percentiles_ms"]
    t = latency["trigger_delay"]["percentiles_ms"]
    at = "at %s events/s (achieved %.0f)" % (r, latency["achieved_events_per_second"])
    print("| event appended → list appended, %s | %d ms | %d ms | %d ms | %d ms | %d events (%d without a list) |" % (
        at, p["50.0"], p["95.0"], p["99.0"], p["100.0"], latency["measured_events"], latency["events_without_list"]))
    print("| trigger due → read committed, %s | %d ms | %d ms | %d ms | %d ms | %d triggers |" % (
        at, t["50.0"], t["95.0"], t["99.0"], t["100.0"], latency["trigger_delay"]["triggers"]))
    for part, name in (("appended_percentiles_ms", "due → appended"), ("commit_wait_percentiles_ms", "appended → read committed")):
        q = latency["trigger_delay"].get(part)
        if q:  # results from before 2026-12-05 lack the parts
            print("| of which %s | %d ms | %d ms | %d ms | %d ms | |" % (name, q["50.0"], q["95.0"], q["99.0"], q["100.0"]))
print()
targets(engine, load("reference")["events_per_second"], dict(latencies).get("5000"))
print()
print("| customers | taking in new customers, events/s | RocksDB on disk | checkpoint, full | checkpoint, incremental | slowest checkpoint |")
print("|---|---|---|---|---|---|")
for s in states:
    slowest = max(j["checkpoint_ms"] for j in s["jobs"].values())
    print("| %s | %.0f | %.1f MB | %.1f MB | %.1f MB | %d ms |" % (
        format(s["customers"], ","), s.get("events_per_second", 0), s["rocksdb_dir_bytes"] / 1e6, s["checkpoint_full_bytes"] / 1e6,
        s["checkpoint_incremental_bytes"] / 1e6, slowest))
if len(states) >= 2:
    a, b = states[0], states[-1]
    n = b["customers"] - a["customers"]
    print()
    print("Per customer (from %s to %s customers): %.0f bytes in RocksDB on disk, %.0f bytes of checkpoint." % (
        format(a["customers"], ","), format(b["customers"], ","),
        (b["rocksdb_dir_bytes"] - a["rocksdb_dir_bytes"]) / n, (b["checkpoint_full_bytes"] - a["checkpoint_full_bytes"]) / n))
    print()
    print("| job | checkpoint at %s customers |" % format(b["customers"], ","))
    print("|---|---|")
    for name, j in sorted(b["jobs"].items()):
        print("| %s | %.1f MB, %d ms |" % (name, j["checkpoint_full_bytes"] / 1e6, j["checkpoint_ms"]))
