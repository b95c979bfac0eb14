"""Helpers shared by :class:`adenv.AdEnv` and :class:`adenv.AdVectorEnv`: server resolution and
action conversion."""

from __future__ import annotations

from typing import Any, Callable, Optional, Tuple, Union

import numpy as np

from .errors import InvalidActionError
from .server import LocalServer, default_server

Address = Union[None, str, LocalServer]


def resolve_address(address: Address) -> Tuple[str, Optional[Callable[[], Optional[str]]]]:
    """``(endpoint, liveness)`` for an ``address`` argument: an endpoint string, a
    :class:`LocalServer`, or None for the shared local server (started on first use)."""
    if address is None:
        address = default_server()
    if isinstance(address, LocalServer):
        if address.address is None:
            raise ValueError("the LocalServer has no address (it did not start)")
        return address.address, address.liveness
    if not isinstance(address, str) or "://" not in address:
        raise ValueError(f"address must be a ZeroMQ endpoint like 'tcp://127.0.0.1:5555', got {address!r}")
    return address, None


def flat_actions(actions: Any, count: int, dtype: np.dtype, what: str = "action") -> np.ndarray:
    """``actions`` as a C-contiguous 1-D array of ``count`` values of the wire ``dtype``.

    Integers (and bools) convert to int64; floats convert to int64 only when they are finite whole
    numbers. Float32 actions (Box) take any real numbers: NaN, infinities and out-of-range values are
    passed on for the server to refuse with ``INVALID_ACTION`` (a refused step changes nothing).

    Raises:
        InvalidActionError: (``local=True``) the wrong number of values (``wrong_count``), a
            non-numeric dtype or a fractional/non-finite value for an integer space (``wrong_dtype``
            / ``not_finite``).
    """
    array = np.asarray(actions)
    if array.size != count:
        raise InvalidActionError(
            None, f"{what} has {array.size} values, the action space needs {count}", False,
            reason="wrong_count", local=True,
        )
    kind = array.dtype.kind
    if dtype.kind == "i":
        if kind in "iub":
            return np.ascontiguousarray(array, dtype=dtype).reshape(-1)
        if kind == "f":
            if not np.all(np.isfinite(array)):
                raise InvalidActionError(None, f"{what} {array.tolist()} is not finite", False, reason="not_finite", local=True)
            if np.any(array != np.round(array)):
                raise InvalidActionError(
                    None, f"{what} {array.tolist()} is not a whole number (the action space is integer)", False,
                    reason="wrong_dtype", local=True,
                )
            return np.ascontiguousarray(array, dtype=dtype).reshape(-1)
    else:
        if kind in "fiub":
            return np.ascontiguousarray(array, dtype=dtype).reshape(-1)
    raise InvalidActionError(
        None, f"{what} has dtype {array.dtype}, the action space needs numbers ({dtype})", False,
        reason="wrong_dtype", local=True,
    )
