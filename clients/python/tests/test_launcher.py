"""LocalServer: start, READY parsing, clean stop without zombies, and no orphan server when the
Python process that started it is killed with SIGKILL."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import adenv
from adenv import LocalServer, ServerStartError

from conftest import PYTHON, python_env


def process_state(pid: int):
    """The /proc state letter of ``pid`` (``Z`` for a zombie), or None when it no longer exists."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


def test_local_server_reports_its_endpoint_serves_and_is_reaped_on_close(binary):
    server = LocalServer(binary)
    pid = server.pid
    assert server.address.startswith("tcp://127.0.0.1:") and not server.address.endswith(":*")
    assert server.running and process_state(pid) not in (None, "Z")
    assert [e["id"] for e in adenv.list_envs(server.address)]
    assert server.close() == 0  # stdin EOF: a graceful exit
    assert server.close() == 0  # idempotent
    assert not server.running and process_state(pid) is None  # waited for: no zombie


def test_an_env_on_a_stopped_server_fails_fast_with_a_clear_error(binary):
    with LocalServer(binary) as server:
        env = adenv.AdEnv("BannerBandit-v0", address=server, timeout=30, retries=3)
        env.reset(seed=0)
    with pytest.raises(adenv.ServerTimeoutError, match="exited with status"):
        env.step(0)
    env.close()  # never raises for a dead server


def test_startup_failures_raise_server_start_error(tmp_path):
    with pytest.raises(ServerStartError, match="cannot run"):
        LocalServer(str(tmp_path / "no-such-adenv"))
    failing = tmp_path / "failing"
    failing.write_text("#!/bin/sh\necho 'adenv: bad flag' >&2\nexit 64\n")
    failing.chmod(0o755)
    with pytest.raises(ServerStartError, match="status 64.*bad flag"):
        LocalServer(str(failing))
    chatty = tmp_path / "chatty"
    chatty.write_text("#!/bin/sh\necho hello\nexec sleep 30\n")
    chatty.chmod(0o755)
    with pytest.raises(ServerStartError, match="READY"):
        LocalServer(str(chatty))
    silent = tmp_path / "silent"
    silent.write_text("#!/bin/sh\nexec sleep 30\n")
    silent.chmod(0o755)
    with pytest.raises(ServerStartError, match="no READY line"):
        LocalServer(str(silent), startup_timeout=0.5)


def test_find_binary_order_is_env_var_then_release_then_debug_then_path(monkeypatch, tmp_path):
    import adenv.server

    monkeypatch.setenv("ADENV_BINARY", "/somewhere/adenv")
    assert adenv.find_binary() == "/somewhere/adenv"
    monkeypatch.delenv("ADENV_BINARY")
    monkeypatch.setattr(adenv.server, "_repo_roots", lambda: [tmp_path])
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(ServerStartError, match="no adenv binary found"):
        adenv.find_binary()
    built = {}
    for where in ("bin", ".build/debug", ".build/release"):
        path = tmp_path / where / "adenv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
        built[where] = str(path)
        assert adenv.find_binary() == built[where]  # each new one outranks the ones before


# The supervisor becomes a child subreaper, so the server orphaned by the victim's death is
# re-parented to it and can be waited for: that proves the server exited (not merely vanished
# from view) and left no zombie.
SUPERVISOR = textwrap.dedent(
    r"""
    import ctypes, os, signal, subprocess, sys, time
    PR_SET_CHILD_SUBREAPER = 36
    assert ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    victim = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdout=subprocess.PIPE)
    server_pid = int(victim.stdout.readline())
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        pid, status = os.waitpid(server_pid, os.WNOHANG)
        if pid == server_pid:
            print("server exited", os.waitstatus_to_exitcode(status), flush=True)
            break
        time.sleep(0.05)
    else:
        os.kill(server_pid, signal.SIGKILL)
        os.waitpid(server_pid, 0)
        print("server outlived its parent", flush=True)
    """
)

VICTIM = textwrap.dedent(
    r"""
    import sys, time, adenv
    env = adenv.AdEnv("AdMarket-v0")          # no address: starts the shared local server
    env.reset(seed=1)
    env.step(6)
    print(adenv.default_server().pid, flush=True)
    time.sleep(60)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses prctl(PR_SET_CHILD_SUBREAPER)")
def test_the_server_dies_with_a_python_process_killed_by_sigkill(binary):
    result = subprocess.run(
        [PYTHON, "-c", SUPERVISOR, VICTIM], env=python_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "server exited 0"


def test_the_shared_local_server_stops_when_python_exits(binary):
    script = "import adenv; env = adenv.make('BannerBandit-v0'); env.reset(seed=0); print(adenv.default_server().pid)"
    result = subprocess.run([PYTHON, "-c", script], env=python_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert process_state(int(result.stdout)) is None  # stopped and reaped at exit


def test_curve_encrypted_server_serves_clients_with_its_public_key_only(binary, tmp_path):
    import zmq

    public, secret = zmq.curve_keypair()
    key_file = tmp_path / "server.key"
    key_file.write_bytes(secret + b"\n")
    with LocalServer(binary, args=["--curve-secret-key", str(key_file)]) as server:
        env = adenv.AdEnv("BannerBandit-v0", address=server, curve_server_key=public.decode())
        try:
            env.reset(seed=1)
            assert env.step(2)[0] in env.observation_space
        finally:
            env.close()
        with pytest.raises(adenv.ServerTimeoutError):  # a plain client gets no CURVE handshake, no reply
            adenv.Connection(server.address, timeout=0.5, retries=0)
        wrong_public, _ = zmq.curve_keypair()
        with pytest.raises(adenv.ServerTimeoutError):
            adenv.Connection(server.address, timeout=0.5, retries=0, curve_server_key=wrong_public.decode())
