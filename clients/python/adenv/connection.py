"""One DEALER socket to an AdEnv server: framing, timeouts, retries and the HELLO handshake.

Behaviour at the edges:

- Every request carries a fresh sequence number (one counter per connection, so it grows within
  every session). On a timeout the SAME message (same seq) is sent again, up to ``retries`` times:
  the server replays its cached reply for a repeated seq, so a retried STEP never steps twice.
  Sessionless requests are not cached by the server: a retried OPEN whose first copy did arrive
  leaves one extra session behind, which expires after the server's idle timeout.
- Replies whose seq or type do not match the outstanding request (late replies to an earlier,
  already retried request) are discarded.
- After the last retry, :class:`~adenv.errors.ServerTimeoutError` names the address and the time
  waited. When the connection knows the local server process (``liveness``), a dead server is
  reported at once with its exit status instead of after the timeout.
- ERROR replies raise the typed :class:`~adenv.errors.AdEnvError` subclass of their code.
- The socket has ``LINGER 0``: closing never blocks on unsent messages. ``close()`` is idempotent.
- A connection (and so an env) is not thread-safe: use it from one thread at a time, as ZeroMQ
  sockets require. Open one env per thread instead; they may share a server.
"""

from __future__ import annotations

import itertools
import os
import struct
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import zmq

from ._version import __version__ as _version
from .errors import ClosedError, ProtocolError, ServerTimeoutError, error_from_reply
from .protocol import (
    HEADER,
    MAGIC,
    MAJOR,
    MINOR,
    Header,
    MessageType,
    decode_json,
    encode_json,
    unpack_header,
)

__all__ = ["Connection", "DEFAULT_TIMEOUT", "DEFAULT_RETRIES"]

DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 2
# How long one blocking receive waits before the client checks the deadline and the local server.
_SLICE_MS = 250
_SNDMORE = int(zmq.SNDMORE)
_RCVMORE = int(zmq.RCVMORE)


class Connection:
    """A DEALER connection to one server.

    Args:
        address: a ZeroMQ endpoint, e.g. ``"tcp://127.0.0.1:5555"`` or ``"ipc:///tmp/adenv.sock"``.
        timeout: seconds to wait for each reply before retrying.
        retries: how many times a timed-out request is sent again (same seq) before giving up.
        hello: whether to do the HELLO handshake now (checks the server speaks protocol 1).
        liveness: optional callable returning ``None`` while the server process is alive, or a
            description of why it is not (used by :class:`adenv.server.LocalServer`).
        curve_server_key: the server's CURVE public key (z85) for encrypted remote servers.
        context: a ``zmq.Context``; default the process-wide instance.
    """

    def __init__(
        self,
        address: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        hello: bool = True,
        liveness: Optional[Callable[[], Optional[str]]] = None,
        curve_server_key: Optional[str] = None,
        context: Optional[zmq.Context] = None,
        client_name: str = "adenv-python",
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        if retries < 0:
            raise ValueError(f"retries must be >= 0, got {retries}")
        self.address = address
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.liveness = liveness
        self.client_name = client_name
        self.server_info: Dict[str, Any] = {}
        self._seq = itertools.count(1)
        self._pid = os.getpid()
        self._context = context or zmq.Context.instance()
        self._socket: Optional[zmq.Socket] = self._context.socket(zmq.DEALER)
        try:
            self._socket.setsockopt(zmq.LINGER, 0)
            self._socket.setsockopt(zmq.RCVTIMEO, _SLICE_MS)
            if curve_server_key is not None:
                public, secret = zmq.curve_keypair()
                self._socket.curve_serverkey = curve_server_key.encode() if isinstance(curve_server_key, str) else curve_server_key
                self._socket.curve_publickey = public
                self._socket.curve_secretkey = secret
            self._socket.connect(address)
            if hello:
                self.hello()
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ lifecycle

    @property
    def closed(self) -> bool:
        return self._socket is None

    def close(self) -> None:
        """Closes the socket (LINGER 0: never blocks). Idempotent. In a forked child the parent's
        socket is abandoned, not closed (closing it there is unsafe)."""
        socket, self._socket = self._socket, None
        if socket is not None and os.getpid() == self._pid:
            socket.close(linger=0)

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    # ------------------------------------------------------------------ requests

    def next_seq(self) -> int:
        """A fresh sequence number (strictly increasing on this connection)."""
        return next(self._seq)

    def request(
        self,
        type: int,
        body: Sequence[Any] = (),
        *,
        session: int = 0,
        seq: Optional[int] = None,
        timeout: Optional[float] = None,
        retries: Optional[int] = None,
        copy: bool = True,
    ) -> Tuple[Header, List[Any]]:
        """Sends one request and returns ``(header, body frames)`` of its OK reply.

        ``body`` frames may be bytes or buffers (memoryview, numpy arrays). With ``copy=False`` the
        returned frames are ``zmq.Frame`` objects whose ``.buffer`` can back numpy arrays without
        a copy; else they are ``bytes``.

        Raises:
            AdEnvError: (a subclass for its code) the server answered ERROR.
            ServerTimeoutError: no reply after ``retries`` resends.
            ProtocolError: the reply does not follow the protocol.
            ClosedError: the connection is closed.
        """
        if seq is None:
            seq = next(self._seq)
        try:
            header = HEADER.pack(MAGIC, MAJOR, MINOR, type, 0, session, seq)
        except struct.error as error:
            raise ValueError(f"header field out of range (type {type}, session {session}, seq {seq}): {error}") from None
        return self.exchange([b"", header, *body], type=type, seq=seq, timeout=timeout, retries=retries, copy=copy)

    def exchange(
        self,
        frames: Sequence[Any],
        *,
        type: int,
        seq: int,
        timeout: Optional[float] = None,
        retries: Optional[int] = None,
        copy: bool = True,
    ) -> Tuple[Header, List[Any]]:
        """Sends raw ``frames`` (delimiter included) and waits for the reply with ``type`` and
        ``seq``; see :meth:`request`. Tests use it to send malformed messages."""
        socket = self._live_socket()
        timeout = self.timeout if timeout is None else timeout
        retries = self.retries if retries is None else retries
        # pyzmq's send_multipart/recv_multipart cost ~10 us per 8-frame exchange in flag enums and
        # option lookups; the plain calls with int flags below are the same operations.
        send, recv, get = socket.send, socket.recv, socket.get
        last = len(frames) - 1
        started = time.monotonic()
        for _ in range(retries + 1):
            for i in range(last):
                send(frames[i], _SNDMORE)
            send(frames[last], 0)
            deadline = time.monotonic() + timeout
            while True:
                try:
                    reply = [recv(0, copy)]
                    while get(_RCVMORE):  # a multipart message arrives whole: no Again past its first part
                        reply.append(recv(0, copy))
                except zmq.Again:
                    self._check_alive()
                    if time.monotonic() >= deadline:
                        break
                    continue
                header, body = self._split(reply)
                if header.seq != seq or header.type != type:
                    continue  # a late reply to an earlier request that was retried
                if header.status:
                    raise error_from_reply(decode_json(body[0] if body else b"{}", "ERROR reply"))
                return header, body
        waited = time.monotonic() - started
        raise ServerTimeoutError(
            f"no reply from {self.address} to {_type_name(type)} (seq {seq}) within {waited:.1f} s "
            f"({retries + 1} attempt{'s' if retries else ''} of {timeout:g} s); is the server running?"
        )

    def receive_any(self, timeout: Optional[float] = None, copy: bool = True) -> Tuple[Header, List[Any]]:
        """Waits for the next reply whatever its seq (for tests of header-less error replies).

        Raises:
            ServerTimeoutError: nothing arrived within ``timeout``.
        """
        socket = self._live_socket()
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            try:
                return self._split(socket.recv_multipart(copy=copy))
            except zmq.Again:
                self._check_alive()
                if time.monotonic() >= deadline:
                    raise ServerTimeoutError(f"no reply from {self.address} within {timeout} s") from None

    def send_raw(self, frames: Sequence[Any]) -> None:
        """Sends frames as they are (delimiter not added). For tests of malformed messages."""
        self._live_socket().send_multipart(list(frames), copy=True)

    # ------------------------------------------------------------------ control messages

    def hello(self) -> Dict[str, Any]:
        """The HELLO handshake: records and returns the server's capabilities
        (``server``, ``version``, ``protocol``, ``limits``, ``message_types``).

        Raises:
            ProtocolError: the server speaks another major protocol version.
        """
        _, body = self.request(
            MessageType.HELLO, [encode_json({"client": f"{self.client_name}/{_version}", "protocol": [MAJOR, MINOR]})]
        )
        info = decode_json(body[0], "HELLO reply") if body else {}
        protocol = info.get("protocol")
        if isinstance(protocol, list) and protocol and protocol[0] != MAJOR:
            raise ProtocolError(f"server at {self.address} speaks protocol {protocol}, this client speaks {MAJOR}.{MINOR}")
        self.server_info = info
        return info

    def ping(self, session: int = 0) -> None:
        """PING; with a session id it refreshes that session's idle timer."""
        self.request(MessageType.PING, session=session)

    def list_envs(self) -> List[Dict[str, Any]]:
        """LIST: the registered envs, each ``{"id", "kind", "summary"}``."""
        _, body = self.request(MessageType.LIST)
        envs = decode_json(body[0], "LIST reply").get("envs")
        if not isinstance(envs, list):
            raise ProtocolError("LIST reply has no 'envs' array")
        return envs

    def spec(
        self, env: Optional[str] = None, *, scenario: Optional[Dict[str, Any]] = None,
        overrides: Optional[Dict[str, Any]] = None,
    ) -> Dict[str, Any]:
        """SPEC: the spec document of an env ID or an inline scenario, with overrides applied."""
        request: Dict[str, Any] = {"env": env}
        if scenario is not None:
            request["scenario"] = scenario
        if overrides:
            request["overrides"] = dict(overrides)
        _, body = self.request(MessageType.SPEC, [encode_json(request)])
        return decode_json(body[0], "SPEC reply")

    # ------------------------------------------------------------------ internals

    def _live_socket(self) -> zmq.Socket:
        socket = self._socket
        if socket is None:
            raise ClosedError(f"the connection to {self.address} is closed")
        return socket

    def _check_alive(self) -> None:
        if self.liveness is not None:
            problem = self.liveness()
            if problem is not None:
                raise ServerTimeoutError(f"the server at {self.address} is gone: {problem}")

    @staticmethod
    def _split(reply: List[Any]) -> Tuple[Header, List[Any]]:
        start = 1 if reply and len(reply[0]) == 0 else 0  # the mirrored empty delimiter
        if len(reply) <= start:
            raise ProtocolError("reply has no header frame")
        header_frame = reply[start]
        header = unpack_header(getattr(header_frame, "bytes", header_frame))
        return header, reply[start + 1 :]


def _type_name(type: int) -> str:
    try:
        return MessageType(type).name
    except ValueError:
        return f"type {type}"
