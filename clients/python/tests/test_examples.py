"""The Python examples run (briefly) against the test server and print what they promise."""

from __future__ import annotations

import re
import subprocess

from conftest import PYTHON, REPO, python_env

EXAMPLES = REPO / "Examples" / "python"


def run(script, *args):
    result = subprocess.run(
        [PYTHON, str(EXAMPLES / script), *args], env=python_env(), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_random_agent_prints_random_and_oracle_returns(address):
    out = run("random_agent.py", "--address", address, "--env", "BudgetedBandit-v0", "--episodes", "2",
              "--max-episode-steps", "50")
    episodes = re.findall(r"episode \d \(seed \d\): (\d+) steps, random return ([\d.-]+), oracle return ([\d.-]+)", out)
    assert len(episodes) == 2 and all(int(steps) <= 50 for steps, _, _ in episodes)


def test_random_agent_starts_its_own_server_without_an_address():
    out = run("random_agent.py", "--env", "SlateRanking-v0", "--episodes", "1", "--max-episode-steps", "20")
    assert "episode 0 (seed 0): 20 steps" in out


def test_train_loop_learns_to_show_only_to_fresh_users(address):
    out = run("train_loop.py", "--address", address, "--steps", "2000", "--num-envs", "64")
    learned = re.search(r"learned ([\d.]+), always show ([\d.]+)", out)
    assert learned, out
    assert "learned policy (1 = show) by fatigue level: [1, 0, 0, 0, 0]" in out
    assert float(learned.group(1)) > float(learned.group(2))
