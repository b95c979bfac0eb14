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

# The built-in agents: three bandits on the 5-strategy bandit (pseudo-regret over 10,000 steps), and
# PPO on the fatigue MDP, evaluated against random and the exact optimum (normalized score).
out=out/demo
for agent in thompson ucb1 epsilon-greedy; do
    "$adenv" train StrategyBandit-v0 --agent "$agent" --steps 10000 --seed 0 --out "$out/$agent"
done
"$adenv" train FatigueMDP-v0 --agent ppo --envs 4 --steps 8192 --seed 1 --out "$out/ppo"
"$adenv" eval FatigueMDP-v0 --checkpoint "$out/ppo" --episodes 100 --seed 1000
echo "runs written under $out/"
