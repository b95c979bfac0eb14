"""Shared fixtures: a real ``adenv serve`` for the whole session, a second one with small limits,
and a health check that proves a server still serves a client correctly.

The binary is found as ``adenv.find_binary`` does: ``ADENV_BINARY``, else ``<repo>/.build/release/adenv``,
else ``<repo>/.build/debug/adenv``, else ``adenv`` on PATH. Tests that need a server fail (not skip)
when there is none, so a CI run cannot pass without exercising the server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

import adenv
from adenv import LocalServer

REPO = Path(__file__).resolve().parents[3]
CLIENT_DIR = Path(__file__).resolve().parents[1]
# The healthy client's reference run: the same seed and actions always give this trajectory.
HEALTH_ENV = "ContextualBanner-v0"
HEALTH_SEED = 2024
HEALTH_STEPS = 20


def run_health_trajectory(address: str):
    """A short seeded episode prefix on a fresh connection and session: observations, rewards and
    info values, as plain lists."""
    env = adenv.AdEnv(HEALTH_ENV, address=address, timeout=10, retries=0)
    try:
        obs, info = env.reset(seed=HEALTH_SEED)
        trajectory = [obs.tolist(), sorted(info.items())]
        for t in range(HEALTH_STEPS):
            obs, reward, terminated, truncated, info = env.step(t % 5)
            trajectory.append((obs.tolist(), reward, terminated, truncated, sorted(info.items())))
        return trajectory
    finally:
        env.close()


class Health:
    """Proves a server is healthy: a new client gets exactly the reference trajectory."""

    def __init__(self, server: LocalServer):
        self.server = server
        self.reference = run_health_trajectory(server.address)

    def check(self) -> None:
        assert self.server.running, f"the server died: {self.server.liveness()}"
        assert run_health_trajectory(self.server.address) == self.reference


@pytest.fixture(scope="session")
def binary() -> str:
    try:
        return adenv.find_binary()
    except adenv.ServerStartError as error:
        pytest.fail(f"these tests need the adenv server binary: {error}")


@pytest.fixture(scope="session")
def server(binary):
    with LocalServer(binary) as local:
        yield local


@pytest.fixture(scope="session")
def address(server) -> str:
    return server.address


@pytest.fixture(scope="session")
def health(server) -> Health:
    return Health(server)


# A server with small limits: 1 MB messages, 6 sessions, 1 s idle timeout (for TOO_LARGE,
# CAPACITY and expiry). Function-scoped: each test gets an empty one.
LIMITED_ARGS = ["--max-message-bytes", "1000000", "--max-sessions", "6", "--idle-timeout", "1"]


@pytest.fixture
def limited_server(binary):
    with LocalServer(binary, args=LIMITED_ARGS) as local:
        yield local


@pytest.fixture
def limited_health(limited_server) -> Health:
    return Health(limited_server)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


def python_env() -> dict:
    """The environment for Python subprocesses: this package importable, the same binary."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(CLIENT_DIR), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    try:
        env["ADENV_BINARY"] = adenv.find_binary()
    except adenv.ServerStartError:
        pass
    return env


PYTHON = sys.executable
