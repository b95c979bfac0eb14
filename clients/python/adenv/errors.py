"""Typed exceptions for everything that can go wrong talking to an AdEnv server.

Two families:

- :class:`AdEnvError` and its subclasses carry an ERROR reply of the wire protocol: ``code`` (the
  wire code, e.g. ``"INVALID_ACTION"``), ``message``, ``retryable``, and where the server gave them
  ``index`` (the env copy an INVALID_ACTION refers to), ``reason`` and ``field``. The client raises
  the same classes for mistakes it can see before sending (an action of the wrong shape, a step
  after the episode ended), with ``local=True``.
- :class:`ClientError` and its subclasses are failures of the client side itself: no reply in time
  (:class:`ServerTimeoutError`), a reply that does not follow the protocol (:class:`ProtocolError`),
  a local server that did not start (:class:`ServerStartError`), a closed env (:class:`ClosedError`).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type

__all__ = [
    "AdEnvError",
    "BadMessageError",
    "BadVersionError",
    "UnknownTypeError",
    "BadTensorError",
    "TooLargeError",
    "BadRequestError",
    "UnknownEnvError",
    "BadScenarioError",
    "InvalidActionError",
    "NeedsResetError",
    "UnknownSessionError",
    "BadSequenceError",
    "CapacityError",
    "ShuttingDownError",
    "InternalError",
    "ClientError",
    "ProtocolError",
    "ServerTimeoutError",
    "ServerStartError",
    "ClosedError",
    "error_from_reply",
]


class AdEnvError(Exception):
    """An ERROR reply from the server, or the same mistake caught by the client before sending.

    Attributes:
        code: the wire error code, e.g. ``"INVALID_ACTION"``.
        message: the server's (or client's) explanation.
        retryable: whether sending the same request again later may succeed (``CAPACITY``,
            ``SHUTTING_DOWN``).
        index: for ``INVALID_ACTION``, the env copy whose action was refused; otherwise ``None``.
        reason: for ``INVALID_ACTION``, one of ``out_of_space``, ``masked``, ``not_finite``,
            ``wrong_count``, ``wrong_dtype`` when known.
        field: for ``BAD_SCENARIO``/``BAD_REQUEST``, the path of the offending field when known.
        local: True when the client raised it without asking the server.
    """

    code: str = "ERROR"

    def __init__(
        self,
        code: Optional[str] = None,
        message: str = "",
        retryable: bool = False,
        index: Optional[int] = None,
        *,
        reason: Optional[str] = None,
        field: Optional[str] = None,
        local: bool = False,
        details: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.code = code or type(self).code
        self.message = message
        self.retryable = bool(retryable)
        self.index = index
        self.reason = reason
        self.field = field
        self.local = local
        self.details = dict(details or {})
        super().__init__(self._text())

    def _text(self) -> str:
        extras = []
        if self.index is not None:
            extras.append(f"env {self.index}")
        if self.reason:
            extras.append(self.reason)
        if self.field:
            extras.append(f"field {self.field}")
        if self.retryable:
            extras.append("retryable")
        suffix = f" ({', '.join(extras)})" if extras else ""
        return f"{self.code}: {self.message}{suffix}"

    def __reduce__(self):  # picklable across processes (vector env workers, multiprocessing)
        return (
            _rebuild_error,
            (type(self), self.code, self.message, self.retryable, self.index, self.reason, self.field, self.local),
        )


def _rebuild_error(cls, code, message, retryable, index, reason, field, local):
    return cls(code, message, retryable, index, reason=reason, field=field, local=local)


class BadMessageError(AdEnvError):
    """The message could not be parsed: no or short header, wrong magic, wrong frame count."""

    code = "BAD_MESSAGE"


class BadVersionError(AdEnvError):
    """The protocol major version is not one the server speaks."""

    code = "BAD_VERSION"


class UnknownTypeError(AdEnvError):
    """The message type byte is not a known request type."""

    code = "UNKNOWN_TYPE"


class BadTensorError(AdEnvError):
    """A tensor frame's length does not match the session's shape times the dtype size."""

    code = "BAD_TENSOR"


class TooLargeError(AdEnvError):
    """The message is over the server's soft size limit."""

    code = "TOO_LARGE"


class BadRequestError(AdEnvError, ValueError):
    """Bad JSON or a bad field in a control message (e.g. an absurd ``num_envs``)."""

    code = "BAD_REQUEST"


class UnknownEnvError(AdEnvError, KeyError):
    """No env is registered under the requested ID."""

    code = "UNKNOWN_ENV"

    def __str__(self) -> str:  # KeyError would quote the message
        return self._text()


class BadScenarioError(AdEnvError, ValueError):
    """The scenario or an override is invalid; ``field`` names the offending path."""

    code = "BAD_SCENARIO"


class InvalidActionError(AdEnvError, ValueError):
    """An action was refused (out of the space, masked, not finite, wrong count or dtype).

    A refused batch changes nothing on the server: the same step can be retried with valid actions.
    """

    code = "INVALID_ACTION"


class NeedsResetError(AdEnvError, RuntimeError):
    """``step`` before the first ``reset``, or (for :class:`adenv.AdEnv`) after the episode ended."""

    code = "NEEDS_RESET"


class UnknownSessionError(AdEnvError):
    """The session id is unknown, closed or expired (idle sessions expire on the server)."""

    code = "UNKNOWN_SESSION"


class BadSequenceError(AdEnvError):
    """The request's sequence number is below the session's last one."""

    code = "BAD_SEQUENCE"


class CapacityError(AdEnvError):
    """Too many sessions or envs on the server; retryable later."""

    code = "CAPACITY"


class ShuttingDownError(AdEnvError):
    """The server is shutting down; retryable against a restarted server."""

    code = "SHUTTING_DOWN"


class InternalError(AdEnvError):
    """A bug in the server."""

    code = "INTERNAL"


_BY_CODE: Dict[str, Type[AdEnvError]] = {
    cls.code: cls
    for cls in (
        BadMessageError,
        BadVersionError,
        UnknownTypeError,
        BadTensorError,
        TooLargeError,
        BadRequestError,
        UnknownEnvError,
        BadScenarioError,
        InvalidActionError,
        NeedsResetError,
        UnknownSessionError,
        BadSequenceError,
        CapacityError,
        ShuttingDownError,
        InternalError,
    )
}


def error_from_reply(body: Dict[str, Any]) -> AdEnvError:
    """The typed exception for an ERROR reply's JSON body. Unknown codes give a plain
    :class:`AdEnvError` carrying the code, so a newer server's codes still surface."""
    code = str(body.get("code", "ERROR"))
    cls = _BY_CODE.get(code, AdEnvError)
    index = body.get("index")
    return cls(
        code,
        str(body.get("message", "")),
        bool(body.get("retryable", False)),
        index if isinstance(index, int) else None,
        reason=body.get("reason") if isinstance(body.get("reason"), str) else None,
        field=body.get("field") if isinstance(body.get("field"), str) else None,
        details={k: v for k, v in body.items() if k not in ("code", "message", "retryable", "index", "reason", "field")},
    )


class ClientError(Exception):
    """A failure of the client side: no reply, a malformed reply, a server that did not start."""


class ProtocolError(ClientError):
    """A reply that does not follow the wire protocol (wrong header, frame count or tensor size)."""


class ServerTimeoutError(ClientError, TimeoutError):
    """No reply within the timeout after every retry: the server is dead, wedged or unreachable."""


class ServerStartError(ClientError):
    """A local ``adenv serve`` could not be started or did not print ``READY <endpoint>`` in time."""


class ClosedError(ClientError, RuntimeError):
    """The env or connection was closed."""
