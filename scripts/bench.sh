#!/usr/bin/env bash
# The main job on sensible defaults: set up, build in release, and run `adenv bench` with no
# arguments: the default suite (Benchmarks/suites/default.json: bandits, DQN/PPO/REINFORCE on the
# fatigue MDP, PID and PPO pacing a budget, PPO against the myopic baseline on AdMarket-v1; about two
# minutes on two cores). It prints a table per
# scenario and writes every run's results and a report (report.md with SVG figures) into
# out/bench/default. Extra arguments go to `adenv bench` (for example `--suite full`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product adenv
if [[ $# -eq 0 ]]; then
    # The main job's directory is rewritten on every run (results are identical bit for bit anyway).
    rm -rf out/bench/default
fi
.build/release/adenv bench "$@"
