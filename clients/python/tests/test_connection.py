"""Connection behaviour against a scripted fake ROUTER in a thread (no adenv server needed):
same-seq retries, late replies, timeouts, typed errors, a dead local server."""

import json
import threading

import pytest
import zmq

from adenv import protocol
from adenv.connection import Connection
from adenv.errors import ClosedError, InvalidActionError, ProtocolError, ServerTimeoutError


class FakeServer:
    """A ROUTER that hands each request to ``script(header, body, identity, delimiter)``, which
    returns a list of replies ``[(header_bytes, body_frames)]`` to send (possibly none). Records
    every request header."""

    def __init__(self, script):
        self.script = script
        self.headers = []
        self._context = zmq.Context()
        self._socket = self._context.socket(zmq.ROUTER)
        self._socket.setsockopt(zmq.LINGER, 0)
        self._socket.bind("tcp://127.0.0.1:*")
        self.address = self._socket.getsockopt_string(zmq.LAST_ENDPOINT)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        poller = zmq.Poller()
        poller.register(self._socket, zmq.POLLIN)
        while not self._stop.is_set():
            if not poller.poll(20):
                continue
            frames = self._socket.recv_multipart()
            identity, rest = frames[0], frames[1:]
            delimiter = bool(rest) and rest[0] == b""
            if delimiter:
                rest = rest[1:]
            header = protocol.unpack_header(rest[0])
            self.headers.append(header)
            for reply_header, body in self.script(header, rest[1:]):
                self._socket.send_multipart([identity] + ([b""] if delimiter else []) + [reply_header] + list(body))
        self._socket.close(linger=0)
        self._context.term()

    def close(self):
        self._stop.set()
        self._thread.join(5)


def ok(header, body=(), **changes):
    fields = dict(type=header.type, session=header.session, seq=header.seq)
    fields.update(changes)
    return protocol.pack_header(**fields), list(body)


def hello_reply(header):
    return ok(header, [json.dumps({"server": "adenv", "protocol": [1, 0], "limits": {}}).encode()])


@pytest.fixture
def fake():
    servers = []

    def start(script):
        server = FakeServer(script)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def test_hello_records_the_server_capabilities_and_sends_the_delimiter(fake):
    server = fake(lambda h, b: [hello_reply(h)])
    with Connection(server.address, timeout=2) as connection:
        assert connection.server_info["server"] == "adenv"
    assert server.headers[0].type == protocol.MessageType.HELLO and server.headers[0].status == 0


def test_a_timed_out_request_is_resent_with_the_same_seq(fake):
    seen = []

    def script(header, body):
        if header.type == protocol.MessageType.HELLO:
            return [hello_reply(header)]
        seen.append(header.seq)
        return [] if len(seen) == 1 else [ok(header)]  # drop the first copy, answer the retry

    server = fake(script)
    with Connection(server.address, timeout=0.3, retries=2) as connection:
        connection.request(protocol.MessageType.PING, session=7)
    assert len(seen) == 2 and seen[0] == seen[1]


def test_a_late_reply_to_a_retried_request_is_not_taken_for_the_next_reply(fake):
    held = []

    def script(header, body):
        if header.type == protocol.MessageType.HELLO:
            return [hello_reply(header)]
        if header.type == protocol.MessageType.LIST and not held:
            held.append(header)  # answer this one only after the retry arrives
            return []
        if header.type == protocol.MessageType.LIST:
            late = ok(held[0], [b'{"envs": [{"id": "first"}]}'])
            return [late, ok(header, [b'{"envs": [{"id": "first"}]}'])]
        return [ok(header, [json.dumps({"envs": [{"id": f"seq{header.seq}"}]}).encode()])]

    server = fake(script)
    with Connection(server.address, timeout=0.3, retries=1) as connection:
        assert connection.list_envs() == [{"id": "first"}]
        # The duplicate reply of the retried LIST is still queued; the next request must skip it.
        reply = connection.request(protocol.MessageType.SPEC, [b"{}"])
        assert json.loads(reply[1][0])["envs"][0]["id"] == f"seq{reply[0].seq}"


def test_no_reply_at_all_raises_a_timeout_naming_the_address(fake):
    server = fake(lambda h, b: [hello_reply(h)] if h.type == protocol.MessageType.HELLO else [])
    with Connection(server.address, timeout=0.2, retries=1) as connection:
        with pytest.raises(ServerTimeoutError, match=server.address.replace(".", r"\.")) as info:
            connection.request(protocol.MessageType.PING)
        assert "2 attempts" in str(info.value)
        assert isinstance(info.value, TimeoutError)


def test_an_unreachable_server_fails_the_handshake_with_a_timeout():
    with pytest.raises(ServerTimeoutError):
        Connection("tcp://127.0.0.1:1", timeout=0.2, retries=0)


def test_a_dead_local_server_is_reported_without_waiting_for_the_timeout(fake):
    server = fake(lambda h, b: [hello_reply(h)] if h.type == protocol.MessageType.HELLO else [])
    with Connection(server.address, timeout=60, retries=5, liveness=lambda: "exited with status 9") as connection:
        with pytest.raises(ServerTimeoutError, match="exited with status 9"):
            connection.request(protocol.MessageType.PING)


def test_error_replies_raise_the_typed_exception(fake):
    def script(header, body):
        if header.type == protocol.MessageType.HELLO:
            return [hello_reply(header)]
        error = {"code": "INVALID_ACTION", "message": "env 1: nope", "retryable": False, "index": 1, "reason": "masked"}
        return [ok(header, [json.dumps(error).encode()], status=1)]

    server = fake(script)
    with Connection(server.address, timeout=2) as connection:
        with pytest.raises(InvalidActionError) as info:
            connection.request(protocol.MessageType.STEP, [bytes(8)], session=3)
    assert info.value.index == 1 and info.value.reason == "masked" and not info.value.local


def test_a_reply_with_a_broken_header_is_a_protocol_error(fake):
    def script(header, body):
        if header.type == protocol.MessageType.HELLO:
            return [hello_reply(header)]
        return [(b"JUNK", [])]

    server = fake(script)
    with Connection(server.address, timeout=2) as connection:
        with pytest.raises(ProtocolError):
            connection.request(protocol.MessageType.PING)


def test_another_major_protocol_in_hello_is_refused(fake):
    server = fake(lambda h, b: [ok(h, [b'{"server": "adenv", "protocol": [2, 0]}'])])
    with pytest.raises(ProtocolError, match="protocol"):
        Connection(server.address, timeout=2)


def test_close_is_idempotent_and_later_requests_raise_closed(fake):
    server = fake(lambda h, b: [hello_reply(h)])
    connection = Connection(server.address, timeout=2)
    connection.close()
    connection.close()
    assert connection.closed
    with pytest.raises(ClosedError):
        connection.request(protocol.MessageType.PING)
