"""Drain3's inner loop on a file of log message contents, for bench/templates.ts.

Usage: python3 drain3_inner_loop.py LINES_FILE   (with PYTHONPATH pointing at a Drain3 checkout)
Prints one JSON object: lines, clusters, seconds (wall) and cpu_seconds (process time) of the
loop `TemplateMiner().add_log_message(line)` alone, default settings (no drain3.ini: no masking),
the file read before timing.
"""
import json
import os
import sys
import time

import logging
logging.disable(logging.CRITICAL)

from drain3 import TemplateMiner  # noqa: E402

with open(sys.argv[1], encoding="utf-8") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
devnull = open(os.devnull, "w")
stdout, sys.stdout = sys.stdout, devnull  # Drain3 prints a note when drain3.ini is absent
miner = TemplateMiner()
sys.stdout = stdout
cpu0 = time.process_time()
t0 = time.perf_counter()
for line in lines:
    miner.add_log_message(line)
seconds = time.perf_counter() - t0
cpu = time.process_time() - cpu0
print(json.dumps({"lines": len(lines), "clusters": len(miner.drain.clusters), "seconds": seconds, "cpu_seconds": cpu}))
