"""Where an async-profiler CPU profile went (scripts/bench.sh --async-profiler writes collapsed stacks).

    python3 scripts/profile_shares.py REC.collapsed [--thread "Customer lists"] [--top 15]

Prints the share of CPU samples per thread (digits folded, so instances add up) and per kind of
work (RocksDB, Kafka clients, Flink's network stack, Jackson, GC, JIT, our code); with --thread, the
inclusive share of each of our own methods (dev.rtpe.*) on the threads whose name contains it.
"""
import argparse
import re
from collections import Counter

p = argparse.ArgumentParser()
p.add_argument("profile")
p.add_argument("--thread")
p.add_argument("--top", type=int, default=15)
a = p.parse_args()

# First match wins: the innermost kind of work a stack is in.
KINDS = [
    ("GC", r"^\[?(G1|GC Thread|VM Thread|Concurrent|Parallel)|G1|GCTask"),
    ("JIT compiler", r"C1 CompilerThre|C2 CompilerThre|CompileBroker"),
    ("RocksDB (native and JNI)", r"rocksdb|RocksDB|Java_org_rocksdb"),
    ("Kafka clients", r"org/apache/kafka|org\.apache\.kafka"),
    ("Jackson", r"com/fasterxml|com\.fasterxml"),
    ("Flink record serialization", r"typeutils|TypeSerializer|SpanningRecordSerializer|DataOutputSerializer|DataInputDeserializer"),
    ("Flink network stack", r"runtime/io/network|runtime\.io\.network|netty"),
    ("our code", r"dev/rtpe|dev\.rtpe"),
]


def thread_of(frames):
    name = re.sub(r"\s*tid=\d+\]$|\]$", "", frames[0].lstrip("["))
    return re.sub(r"\d+", "N", name)


stacks = []
for line in open(a.profile):
    stack, _, count = line.rstrip("\n").rpartition(" ")
    if stack:
        stacks.append((stack.split(";"), int(count)))
total = sum(n for _, n in stacks)
if a.thread:
    stacks = [(f, n) for f, n in stacks if a.thread in f[0]]
selected = sum(n for _, n in stacks)
print("%s: %d samples%s" % (a.profile, selected, " (%.1f%% of all) on threads with '%s'" % (
    100.0 * selected / max(total, 1), a.thread) if a.thread else ""))
if not selected:
    raise SystemExit(0)

kinds = Counter()
for frames, n in stacks:
    text = ";".join(frames)
    kind = "other (JVM, kernel, Flink's own)"
    for name, pattern in KINDS:
        # innermost first: search from the leaf
        if any(re.search(pattern, f) for f in reversed(frames[1:])) or (name == "GC" and re.search(pattern, frames[0])):
            kind = name
            break
    kinds[kind] += n
print("By kind of work (a stack counts once, under the first kind it contains, in this order):")
for key, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
    print("  %5.1f%%  %s" % (100.0 * n / selected, key))

if a.thread:
    ours = Counter()
    for frames, n in stacks:
        seen = set()
        for f in frames:
            m = re.match(r"(dev[/.]rtpe[\w/.$]+?)[.:](\w+|<init>)", f.replace("/", "."))
            if m:
                key = f.replace("/", ".").split("(")[0]
                key = re.sub(r"_\[j\]$|_\[i\]$|_\[0\]$", "", key)
                if key not in seen:
                    seen.add(key)
                    ours[key] += n
    print("Our methods, inclusive:")
    for key, n in ours.most_common(a.top):
        print("  %5.1f%%  %s" % (100.0 * n / selected, key))
else:
    threads = Counter()
    for frames, n in stacks:
        threads[thread_of(frames)] += n
    print("By thread:")
    for key, n in threads.most_common(a.top):
        print("  %5.1f%%  %s" % (100.0 * n / selected, key))
