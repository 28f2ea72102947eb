"""Where a JFR recording's execution samples went (scripts/bench.sh --jfr writes the recordings).

    python3 scripts/jfr_samples.py REC.jfr [--thread "Customer lists"] [--match REGEX] [--top 10]

Prints the share of samples per task thread, or, with --thread, per innermost frame of our own code
(dev.rtpe.*) on the threads whose name contains it; --match adds the share of samples whose stack
matches REGEX (e.g. "GlobalTrending|TrendingCategories"). Needs the JDK's jfr tool on the PATH.
"""
import argparse
import re
import subprocess
from collections import Counter

p = argparse.ArgumentParser()
p.add_argument("recording")
p.add_argument("--thread")
p.add_argument("--match")
p.add_argument("--top", type=int, default=10)
a = p.parse_args()

text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", a.recording],
                      capture_output=True, text=True, check=True).stdout
samples = text.split("jdk.ExecutionSample {")[1:]


def thread(sample):
    m = re.search(r'sampledThread = "([^"]*)"', sample)
    return re.sub(r"\d+", "N", m.group(1)) if m else "?"


if a.thread:
    samples = [s for s in samples if a.thread in thread(s)]
print("%s: %d samples%s" % (a.recording, len(samples), " on threads with '%s'" % a.thread if a.thread else ""))
if not samples:
    raise SystemExit(0)
if a.match:
    matching = sum(1 for s in samples if re.search(a.match, s))
    print("  stacks matching %s: %.1f%%" % (a.match, 100.0 * matching / len(samples)))
shares = Counter()
for s in samples:
    if a.thread:
        ours = [f for f in re.findall(r"^\s+([\w$.<>]+)\(", s, re.M) if f.startswith("dev.rtpe.")]
        shares[ours[0] if ours else "(no frame of ours)"] += 1
    else:
        shares[thread(s)] += 1
for key, n in shares.most_common(a.top):
    print("  %5.1f%%  %s" % (100.0 * n / len(samples), key))
