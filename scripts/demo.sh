#!/usr/bin/env bash
# The main job on sensible defaults: set up, build in release, and compare the random and oracle
# policies on every scenario (mean return with a 95% CI and a trajectory digest).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product adenv
adenv=".build/release/adenv"
for id in $("$adenv" list | awk '{print $1}'); do
    "$adenv" rollout "$id" --policy random,oracle --seed 0 --episodes 10
    echo
done
