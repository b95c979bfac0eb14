"""AdEnv's Python client: Gymnasium environments served by ``adenv serve`` over ZeroMQ.

Two lines to connect::

    import gymnasium as gym, adenv
    env = gym.make("adenv/AdMarket-v0", address="tcp://127.0.0.1:5555")   # or no address: local server

Main names: :class:`AdEnv` (one env, ``gymnasium.Env``), :class:`AdVectorEnv` (N envs in one
session, ``gymnasium.vector.VectorEnv`` with NEXT_STEP autoreset), :class:`LocalServer`,
:func:`make`, :func:`make_vec`, :func:`list_envs`, and the typed errors (:class:`AdEnvError` ...).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ._version import __version__
from .connection import Connection
from .env import AdEnv
from .errors import (
    AdEnvError,
    BadMessageError,
    BadRequestError,
    BadScenarioError,
    BadSequenceError,
    BadTensorError,
    BadVersionError,
    CapacityError,
    ClientError,
    ClosedError,
    InternalError,
    InvalidActionError,
    NeedsResetError,
    ProtocolError,
    ServerStartError,
    ServerTimeoutError,
    ShuttingDownError,
    TooLargeError,
    UnknownEnvError,
    UnknownSessionError,
    UnknownTypeError,
)
from .registration import GENERIC_ID, KNOWN_IDS, _register_at_import, gym_id, register_envs
from .server import LocalServer, default_server, find_binary, stop_default_server
from .session import Session
from .vector import AdVectorEnv

__all__ = [
    "__version__",
    "AdEnv",
    "AdVectorEnv",
    "Connection",
    "Session",
    "LocalServer",
    "default_server",
    "stop_default_server",
    "find_binary",
    "make",
    "make_vec",
    "list_envs",
    "register_envs",
    "gym_id",
    "KNOWN_IDS",
    "GENERIC_ID",
    "AdEnvError",
    "BadMessageError",
    "BadRequestError",
    "BadScenarioError",
    "BadSequenceError",
    "BadTensorError",
    "BadVersionError",
    "CapacityError",
    "ClientError",
    "ClosedError",
    "InternalError",
    "InvalidActionError",
    "NeedsResetError",
    "ProtocolError",
    "ServerStartError",
    "ServerTimeoutError",
    "ShuttingDownError",
    "TooLargeError",
    "UnknownEnvError",
    "UnknownSessionError",
    "UnknownTypeError",
]


def make(env_id: str, **kwargs: Any):
    """``gymnasium.make("adenv/<env_id>", **kwargs)``: an :class:`AdEnv` with Gymnasium's wrappers
    (order enforcing, passive checker). Without ``address`` a local server is started on demand."""
    import gymnasium

    name = env_id if env_id.startswith("adenv/") else gym_id(env_id)
    if name not in gymnasium.registry:
        register_envs([name.split("/", 1)[1]])
    return gymnasium.make(name, **kwargs)


def make_vec(env_id: str, num_envs: int, **kwargs: Any) -> AdVectorEnv:
    """An :class:`AdVectorEnv` of ``num_envs`` copies of ``env_id`` in one server session."""
    return AdVectorEnv(env_id[len("adenv/"):] if env_id.startswith("adenv/") else env_id, num_envs, **kwargs)


def list_envs(address: Optional[str] = None) -> List[Dict[str, Any]]:
    """The server's registered envs (LIST), each ``{"id", "kind", "summary"}``. Without
    ``address``, asks the shared local server."""
    from ._common import resolve_address

    endpoint, liveness = resolve_address(address)
    with Connection(endpoint, liveness=liveness) as connection:
        return connection.list_envs()


_register_at_import()
