"""Bad input from Python, each case followed by a healthy client being served correctly
(``health.check()`` replays a seeded reference trajectory on a new connection)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time

import numpy as np
import pytest
import zmq

import adenv
from adenv import protocol
from adenv.connection import Connection
from adenv.errors import (
    BadMessageError,
    BadRequestError,
    BadSequenceError,
    BadTensorError,
    BadVersionError,
    CapacityError,
    InvalidActionError,
    NeedsResetError,
    TooLargeError,
    UnknownSessionError,
    UnknownTypeError,
)
from adenv.session import Session

from conftest import PYTHON, python_env

T = protocol.MessageType


def error_of(connection: Connection, frames, *, type=0, seq=0):
    """Sends raw frames and returns the ERROR reply's (header, body dict)."""
    connection.send_raw(frames)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        header, body = connection.receive_any(timeout=10)
        if header.type == type and header.seq == seq:
            assert header.status == protocol.Status.ERROR, f"expected an ERROR, got OK {body}"
            return header, protocol.decode_json(body[0])
    raise AssertionError("no matching reply")


@pytest.fixture
def raw(address):
    with Connection(address, timeout=10, retries=0) as connection:
        yield connection


def header(type, session=0, seq=1, **kwargs):
    return protocol.pack_header(type, session=session, seq=seq, **kwargs)


# ---------------------------------------------------------------- non-ZeroMQ traffic


@pytest.mark.parametrize(
    "payload",
    [
        b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test\r\n\r\n",
        bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8)),
        b"\xff" + bytes(8) + b"\x7f" + b"\x03\x00NULL" + bytes(60),  # a ZMTP greeting from the future
    ],
)
def test_non_zeromq_traffic_on_the_port_is_dropped_and_the_server_serves_on(server, health, payload):
    host, port = server.address.rsplit("//", 1)[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as plain:
        plain.sendall(payload)
        plain.settimeout(1)
        try:
            plain.recv(4096)  # whatever libzmq answers (a greeting, or it closes): no crash
        except (socket.timeout, ConnectionResetError):
            pass
    health.check()


# ---------------------------------------------------------------- header and framing


def test_wrong_magic_gets_bad_message_with_a_zero_header(raw, health):
    reply, body = error_of(raw, [b"", header(T.PING, magic=b"XDEV")])
    assert body["code"] == "BAD_MESSAGE" and (reply.type, reply.session, reply.seq) == (0, 0, 0)
    health.check()


@pytest.mark.parametrize("length", [0, 1, 23, 25, 1000])
def test_truncated_or_long_headers_get_bad_message(raw, health, length):
    frames = [b"", bytes(header(T.PING) * 50)[:length]] if length else [b""]  # [b""] = the empty message
    _, body = error_of(raw, frames)
    assert body["code"] == "BAD_MESSAGE"
    health.check()


def test_wrong_version_gets_bad_version_echoing_the_request(raw, health):
    reply, body = error_of(raw, [b"", header(T.PING, seq=77, major=2)], type=T.PING, seq=77)
    assert body["code"] == "BAD_VERSION" and reply.major == 1
    health.check()


def test_a_nonzero_request_status_gets_bad_message(raw, health):
    _, body = error_of(raw, [b"", header(T.PING, seq=5, status=1)], type=T.PING, seq=5)
    assert body["code"] == "BAD_MESSAGE"
    health.check()


@pytest.mark.parametrize("type", [0, 10, 42, 255])
def test_unknown_type_gets_unknown_type(raw, health, type):
    _, body = error_of(raw, [b"", header(type, seq=9)], type=type, seq=9)
    assert body["code"] == "UNKNOWN_TYPE"
    with pytest.raises(UnknownTypeError):
        raw.request(type)
    health.check()


def test_missing_and_extra_frames_get_bad_message(raw, health):
    with pytest.raises(BadMessageError):
        raw.request(T.OPEN)  # OPEN needs its JSON
    session = Session(raw, "BannerBandit-v0")
    try:
        session.reset(seed=0)
        with pytest.raises(BadMessageError):
            raw.request(T.STEP, [], session=session.id)  # no action frame
        with pytest.raises(BadMessageError):
            raw.request(T.STEP, [bytes(8), bytes(8)], session=session.id)
        with pytest.raises(BadMessageError):
            raw.request(T.RESET, [b"{}", b"{}"], session=session.id)
        assert session.step(np.array([1])).rewards.shape == (1,)  # unharmed
    finally:
        session.close()
    health.check()


def test_hundreds_of_frames_get_bad_message(raw, health):
    with pytest.raises(BadMessageError):
        raw.request(T.PING, [b"x"] * 300)
    with pytest.raises(BadMessageError):
        raw.request(T.STEP, [bytes(8)] * 500, session=12345)
    health.check()


def test_tensor_length_mismatch_and_wrong_action_count_get_bad_tensor(raw, health):
    session = Session(raw, "AdMarket-v0", num_envs=4)
    try:
        session.reset(seed=0)
        for length in (0, 7, 8 * 3, 8 * 4 + 1, 8 * 5):
            with pytest.raises(BadTensorError):
                raw.request(T.STEP, [bytes(length)], session=session.id)
        assert session.step(np.full(4, 6)).observations.shape == (4, session.observation_count)
    finally:
        session.close()
    health.check()


def test_an_oversized_message_gets_too_large(limited_server, limited_health):
    with Connection(limited_server.address, timeout=10, retries=0) as connection:
        with pytest.raises(TooLargeError):
            connection.request(T.PING, [bytes(1_500_000)])  # over the 1 MB soft limit, under the 2 MB hard one
        with pytest.raises(TooLargeError):
            connection.request(T.OPEN, [b" " * 1_200_000 + b'{"env": "BannerBandit-v0"}'])
    limited_health.check()


# ---------------------------------------------------------------- control messages


@pytest.mark.parametrize(
    "request_body, error",
    [
        (b"not json", BadRequestError),
        (b"[1, 2]", BadRequestError),
        (b'{"env": "BannerBandit-v0", "num_envs": 0}', BadRequestError),
        (b'{"env": "BannerBandit-v0", "num_envs": -5}', BadRequestError),
        (b'{"env": "BannerBandit-v0", "num_envs": "many"}', BadRequestError),
        (b'{"env": "BannerBandit-v0", "num_envs": 1e300}', (BadRequestError, CapacityError)),
        (b'{"env": "BannerBandit-v0", "num_envs": 1000000000000}', CapacityError),
        (b'{"env": "BannerBandit-v0", "autoreset_mode": "same_step"}', BadRequestError),
        (b'{"env": "BannerBandit-v0", "num_env": 2}', BadRequestError),
        (b'{"env": "BannerBandit-v0", "scenario": {}}', BadRequestError),
        (b'{"env": "../../etc/passwd"}', adenv.UnknownEnvError),
        (b'{"env": "BannerBandit-v0", "overrides": {"means": [2]}}', adenv.BadScenarioError),
        (b'\xff\xfe{}', BadRequestError),
    ],
)
def test_bad_open_requests_get_typed_errors(raw, health, request_body, error):
    with pytest.raises(error) as info:
        raw.request(T.OPEN, [request_body])
    if isinstance(info.value, CapacityError):
        assert info.value.retryable is False  # an absurd N never fits
    health.check()


def test_absurd_n_from_the_python_api(address, health):
    with pytest.raises(CapacityError):
        adenv.AdVectorEnv("AdMarket-v0", 10**9, address=address)
    with pytest.raises(ValueError):
        adenv.AdVectorEnv("AdMarket-v0", 0, address=address)
    health.check()


def test_bad_reset_requests(raw, health):
    session = Session(raw, "BannerBandit-v0", num_envs=2)
    try:
        for body in (b'{"seed": -1}', b'{"seed": 1.5}', b'{"seed": [1]}', b'{"seed": "x"}',
                     b'{"options": {"a": 1}}', b'{"seed": 1, "extra": 2}', b"nope"):
            with pytest.raises(BadRequestError):
                raw.request(T.RESET, [body], session=session.id)
        with pytest.raises(BadRequestError):
            session.reset(seed=0, options={"difficulty": 3})
    finally:
        session.close()
    health.check()


# ---------------------------------------------------------------- actions


@pytest.mark.parametrize(
    "env_id, n, actions, index, reason",
    [
        ("BudgetPacing-v0", 3, np.array([0.5, np.nan, 0.5], dtype=np.float32), 1, "not_finite"),
        ("BudgetPacing-v0", 3, np.array([0.5, 0.5, -np.inf], dtype=np.float32), 2, "not_finite"),
        ("BudgetPacing-v0", 3, np.array([0.5, 0.5, 400], dtype=np.float32), 2, "out_of_space"),
        ("AdMarket-v0", 2, np.array([7, 0]), 0, "out_of_space"),
        ("AdMarket-v0", 2, np.array([0, np.iinfo(np.int64).min]), 1, "out_of_space"),
        ("SlateRanking-v0", 2, np.array([[0, 1, 2], [3, 3, 4]]), 1, "out_of_space"),
    ],
)
def test_invalid_actions_get_invalid_action_with_index_and_reason(raw, health, env_id, n, actions, index, reason):
    session = Session(raw, env_id, num_envs=n)
    try:
        session.reset(seed=1)
        with pytest.raises(InvalidActionError) as info:
            session.step(actions)
        assert (info.value.index, info.value.reason) == (index, reason)
    finally:
        session.close()
    health.check()


def test_step_and_oracle_before_reset_get_needs_reset(raw, health):
    session = Session(raw, "BannerBandit-v0")
    try:
        with pytest.raises(NeedsResetError):
            session.step(np.array([0]))
        with pytest.raises(NeedsResetError):
            session.oracle()
    finally:
        session.close()
    health.check()


# ---------------------------------------------------------------- sessions and sequence numbers


def test_step_after_close_double_close_and_guessed_sessions(raw, health):
    session = Session(raw, "BannerBandit-v0")
    session.reset(seed=0)
    _, body = raw.request(T.CLOSE, session=session.id)
    assert json.loads(body[0]) == {"closed": True}
    _, body = raw.request(T.CLOSE, session=session.id)
    assert json.loads(body[0]) == {"closed": False}
    with pytest.raises(UnknownSessionError):
        raw.request(T.STEP, [bytes(8)], session=session.id)
    for guess in (1, 2**53 - 1, 2**64 - 1, session.id + 1):
        with pytest.raises(UnknownSessionError):
            raw.request(T.PING, session=guess)
        with pytest.raises(UnknownSessionError):
            raw.request(T.RESET, [b"{}"], session=guess)
    session.closed = True
    health.check()


def test_a_repeated_seq_replays_the_reply_and_never_steps_twice(raw, health):
    session = Session(raw, "ContextualBanner-v0")
    twin = Session(raw, "ContextualBanner-v0")
    try:
        session.reset(seed=6)
        twin.reset(seed=6)
        seq = raw.next_seq()
        action = np.array([3], dtype=np.int64).tobytes()
        _, first = raw.request(T.STEP, [action], session=session.id, seq=seq)
        _, again = raw.request(T.STEP, [action], session=session.id, seq=seq)
        assert [bytes(f) for f in first] == [bytes(f) for f in again]
        twin.step(np.array([3]))
        assert session.step(np.array([1])).observations.tolist() == twin.step(np.array([1])).observations.tolist()
        with pytest.raises(BadSequenceError):
            raw.request(T.STEP, [action], session=session.id, seq=seq)  # now below the last seq
    finally:
        session.close()
        twin.close()
    health.check()


def test_an_idle_session_expires(limited_server, limited_health):
    with Connection(limited_server.address, timeout=10, retries=0) as connection:
        session = Session(connection, "BannerBandit-v0")
        session.reset(seed=0)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # bounded wait for an event, not a timing assertion
            time.sleep(0.3)
            try:
                connection.request(T.PING, session=session.id)
            except UnknownSessionError:
                break
            time.sleep(1.2)  # stay idle past the 1 s timeout
        else:
            pytest.fail("the idle session never expired")
        with pytest.raises(UnknownSessionError):
            session.step(np.array([0]))
        assert session.close() is False
    limited_health.check()


def test_capacity_at_the_session_limit_is_retryable(limited_server, limited_health):
    with Connection(limited_server.address, timeout=10, retries=0) as connection:
        sessions = []
        with pytest.raises(CapacityError) as info:
            for _ in range(7):
                sessions.append(Session(connection, "BannerBandit-v0"))
        assert info.value.retryable and len(sessions) == 6
        sessions.pop().close()
        sessions.append(Session(connection, "BannerBandit-v0"))  # room again
        for s in sessions[1:]:
            s.close()
        sessions[0].close()
    limited_health.check()


CHILD = r"""
import sys, numpy as np, adenv
env = adenv.AdVectorEnv("AdMarket-v0", 64, address=sys.argv[1])
env.reset(seed=1)
print(env.session_id, flush=True)
while True:
    env.step(env.sample_valid_actions())
"""


def test_a_client_killed_mid_episode_leaves_the_server_serving_and_its_session_expires(limited_server, limited_health):
    child = subprocess.Popen([PYTHON, "-c", CHILD, limited_server.address], stdout=subprocess.PIPE, env=python_env())
    try:
        session_id = int(child.stdout.readline())
        time.sleep(0.2)  # let it step a while
        child.send_signal(signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    limited_health.check()
    with Connection(limited_server.address, timeout=10, retries=0) as connection:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:  # a seq above the dead client's (sequence numbers are per session)
                connection.request(T.PING, session=session_id, seq=2**62 + connection.next_seq())
            except UnknownSessionError:
                break
            time.sleep(1.5)
        else:
            pytest.fail("the killed client's session never expired")
    limited_health.check()


def _open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def test_fifty_clients_opening_and_closing_leave_fds_and_sessions_flat(server, health):
    def churn():
        connections = [Connection(server.address, timeout=10, retries=0) for _ in range(50)]
        try:
            for _ in range(3):
                sessions = [Session(c, "BannerBandit-v0", num_envs=2) for c in connections]
                for s in sessions:
                    s.reset(seed=0)
                    s.step(np.array([0, 1]))
                assert all(s.close() for s in sessions)
        finally:
            for c in connections:
                c.close()

    churn()
    time.sleep(0.5)  # let the server see the disconnects
    before = _open_fds(server.pid)
    churn()
    churn()
    deadline = time.monotonic() + 10
    while _open_fds(server.pid) > before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _open_fds(server.pid) <= before
    health.check()
