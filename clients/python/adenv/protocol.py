"""The AdEnv wire protocol v1: header codec, message types, error codes and tensor frames.

Every message (request and reply) is ``[header (24 bytes)] + body frames``. The header is
little-endian ``struct '<4sBBBBQQ'``: magic ``b"ADEV"``, major 1, minor 0, type, status (requests
0; replies 0 OK / 1 ERROR), session id (u64), sequence number (u64). JSON bodies are one UTF-8
object frame; tensors are raw little-endian C-order frames whose shapes the session fixes. See the
server's ``docs/PROTOCOL.md`` for the full specification.

This module only encodes and decodes; :mod:`adenv.connection` does the I/O.
"""

from __future__ import annotations

import enum
import json
import struct
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np

from .errors import (  # re-exported: the protocol's typed errors
    AdEnvError,
    BadMessageError,
    BadRequestError,
    BadScenarioError,
    BadSequenceError,
    BadTensorError,
    BadVersionError,
    CapacityError,
    InternalError,
    InvalidActionError,
    NeedsResetError,
    ProtocolError,
    ShuttingDownError,
    TooLargeError,
    UnknownEnvError,
    UnknownSessionError,
    UnknownTypeError,
    error_from_reply,
)

__all__ = [
    "MAGIC",
    "MAJOR",
    "MINOR",
    "HEADER",
    "HEADER_SIZE",
    "MessageType",
    "Status",
    "ErrorCode",
    "Header",
    "pack_header",
    "unpack_header",
    "encode_json",
    "decode_json",
    "tensor",
    "tensor_frame",
    "OBS_DTYPE",
    "REWARD_DTYPE",
    "FLAG_DTYPE",
    "INFO_DTYPE",
    "MASK_DTYPE",
    "ACTION_DTYPES",
    "AdEnvError",
    "BadMessageError",
    "BadRequestError",
    "BadScenarioError",
    "BadSequenceError",
    "BadTensorError",
    "BadVersionError",
    "CapacityError",
    "InternalError",
    "InvalidActionError",
    "NeedsResetError",
    "ShuttingDownError",
    "TooLargeError",
    "UnknownEnvError",
    "UnknownSessionError",
    "UnknownTypeError",
    "error_from_reply",
]

MAGIC = b"ADEV"
MAJOR = 1
MINOR = 0
HEADER = struct.Struct("<4sBBBBQQ")
HEADER_SIZE = HEADER.size  # 24
U64_MAX = (1 << 64) - 1


class MessageType(enum.IntEnum):
    """The header's type byte. A reply carries its request's type."""

    HELLO = 1
    OPEN = 2
    RESET = 3
    STEP = 4
    CLOSE = 5
    PING = 6
    LIST = 7
    SPEC = 8
    ORACLE = 9


class Status(enum.IntEnum):
    """The header's status byte: 0 in requests and OK replies, 1 in ERROR replies."""

    OK = 0
    ERROR = 1


class ErrorCode(str, enum.Enum):
    """The ``code`` of an ERROR reply. ``retryable`` is true for CAPACITY and SHUTTING_DOWN."""

    BAD_MESSAGE = "BAD_MESSAGE"
    BAD_VERSION = "BAD_VERSION"
    UNKNOWN_TYPE = "UNKNOWN_TYPE"
    BAD_TENSOR = "BAD_TENSOR"
    TOO_LARGE = "TOO_LARGE"
    BAD_REQUEST = "BAD_REQUEST"
    UNKNOWN_ENV = "UNKNOWN_ENV"
    BAD_SCENARIO = "BAD_SCENARIO"
    INVALID_ACTION = "INVALID_ACTION"
    NEEDS_RESET = "NEEDS_RESET"
    UNKNOWN_SESSION = "UNKNOWN_SESSION"
    BAD_SEQUENCE = "BAD_SEQUENCE"
    CAPACITY = "CAPACITY"
    SHUTTING_DOWN = "SHUTTING_DOWN"
    INTERNAL = "INTERNAL"


# Tensor dtypes on the wire (always little-endian).
OBS_DTYPE = np.dtype("<f4")
REWARD_DTYPE = np.dtype("<f8")
FLAG_DTYPE = np.dtype("u1")
INFO_DTYPE = np.dtype("<f8")
MASK_DTYPE = np.dtype("u1")
ACTION_DTYPES = {"int64": np.dtype("<i8"), "float32": np.dtype("<f4")}


class Header(NamedTuple):
    """A decoded 24-byte header."""

    type: int
    status: int
    session: int
    seq: int
    major: int = MAJOR
    minor: int = MINOR

    @property
    def is_error(self) -> bool:
        return self.status == Status.ERROR


def pack_header(
    type: int, session: int = 0, seq: int = 0, status: int = Status.OK, major: int = MAJOR, minor: int = MINOR,
    magic: bytes = MAGIC,
) -> bytes:
    """The 24-byte header. ``major``/``minor``/``magic`` are parameters only so tests can build
    malformed headers; clients use the defaults.

    Raises:
        ValueError: a field does not fit its width (type/status/major/minor one byte, session/seq u64).
    """
    if not (0 <= session <= U64_MAX and 0 <= seq <= U64_MAX):
        raise ValueError(f"session and seq are u64 (got session={session}, seq={seq})")
    try:
        return HEADER.pack(magic, major, minor, int(type), int(status), session, seq)
    except struct.error as error:
        raise ValueError(f"header field out of range: {error}") from None


def unpack_header(frame: Union[bytes, bytearray, memoryview]) -> Header:
    """Decodes a reply header.

    Raises:
        ProtocolError: the frame is not 24 bytes long or its magic is not ``ADEV``, or its major
            version is not 1.
    """
    if len(frame) != HEADER_SIZE:
        raise ProtocolError(f"reply header has {len(frame)} bytes, expected {HEADER_SIZE}")
    magic, major, minor, type_, status, session, seq = HEADER.unpack(frame)
    if magic != MAGIC:
        raise ProtocolError(f"reply header has magic {magic!r}, expected {MAGIC!r}")
    if major != MAJOR:
        raise ProtocolError(f"reply speaks protocol {major}.{minor}, this client speaks {MAJOR}.{MINOR}")
    return Header(type_, status, session, seq, major, minor)


def encode_json(value: Dict[str, Any]) -> bytes:
    """One UTF-8 JSON object frame. NaN/inf are refused (JSON has none): a clear ValueError, not
    a frame the server would reject."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False, ensure_ascii=False).encode("utf-8")


def decode_json(frame: Union[bytes, bytearray, memoryview], what: str = "reply") -> Dict[str, Any]:
    """Decodes a JSON object frame.

    Raises:
        ProtocolError: the frame is not UTF-8 JSON or not an object.
    """
    try:
        value = json.loads(bytes(frame).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ProtocolError(f"{what} body is not UTF-8 JSON: {error}") from None
    if not isinstance(value, dict):
        raise ProtocolError(f"{what} body is a JSON {type(value).__name__}, expected an object")
    return value


def tensor(frame: Any, dtype: np.dtype, shape: Tuple[int, ...], what: str) -> np.ndarray:
    """A read-only numpy view of a tensor frame (no copy: it shares the frame's memory).

    ``frame`` is ``bytes``, a ``memoryview`` or a ``zmq.Frame`` (whose ``buffer`` is used).
    Callers that hand the array to users copy it.

    Raises:
        ProtocolError: the frame's length is not ``prod(shape) * dtype.itemsize``.
    """
    buffer = getattr(frame, "buffer", frame)
    expected = dtype.itemsize
    for size in shape:
        expected *= size
    got = buffer.nbytes if isinstance(buffer, memoryview) else len(buffer)
    if got != expected:
        raise ProtocolError(f"{what} frame has {got} bytes, expected {expected} ({'x'.join(map(str, shape))} {dtype})")
    return np.frombuffer(buffer, dtype=dtype).reshape(shape)


def tensor_frame(array: np.ndarray, dtype: np.dtype) -> Union[bytes, memoryview]:
    """The raw little-endian C-order bytes of ``array`` as ``dtype``: a zero-copy memoryview when
    the array already has that dtype and layout, else one converted copy."""
    if array.dtype != dtype or not array.flags.c_contiguous:
        array = np.ascontiguousarray(array, dtype=dtype)
    return memoryview(array).cast("B")


JSON_EXACT_MAX = 1 << 53


def seeds_field(seed: Union[None, int, Sequence[Optional[int]]]) -> Union[None, int, str, List[Union[None, int, str]]]:
    """The RESET request's ``seed`` field: ``None``, one u64, or one u64-or-None per env. Seeds
    above 2**53 travel as decimal strings (they are not exact as JSON numbers everywhere).

    Raises:
        ValueError: a seed is negative, over u64 or not an integer.
    """

    def one(value: Any) -> Union[None, int, str]:
        if value is None:
            return None
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"a seed is a non-negative integer or None, got {value!r}")
        value = int(value)
        if not 0 <= value <= U64_MAX:
            raise ValueError(f"a seed is a u64 (0 ... 2**64-1), got {value}")
        return value if value <= JSON_EXACT_MAX else str(value)

    if isinstance(seed, (list, tuple, np.ndarray)):
        return [one(s.item() if isinstance(s, np.generic) else s) for s in seed]
    return one(seed)
