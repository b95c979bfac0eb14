#!/usr/bin/env bash
# Measures in-process env throughput for every registered scenario (random policy) and prints a
# Markdown table: single env on one thread, and a vector env on 1 and 2 threads.
# Usage: bash scripts/perf.sh [seconds-per-configuration] [vector-copies]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
seconds="${1:-2}"
copies="${2:-4096}"
swift build -c release --product adenv >/dev/null
adenv=".build/release/adenv"
echo "| scenario | single env, 1 thread | vector ${copies}, 1 thread | vector ${copies}, 2 threads | 2 threads ÷ 1 thread | 2 threads ÷ single |"
echo "|---|---:|---:|---:|---:|---:|"
for id in $("$adenv" list | awk '{print $1}'); do
    "$adenv" perf "$id" --seconds "$seconds" --envs "$copies" --threads 2 --json | python3 scripts/perf_row.py
done
