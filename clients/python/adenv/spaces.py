"""Gymnasium spaces from the SPEC document's space descriptions.

The server describes spaces as JSON (see ``EnvSpec.jsonDescription``)::

    {"type": "Discrete", "n": 5, "start": 0, "dtype": "int64"}
    {"type": "Box", "low": [0, null], "high": [1, null], "shape": [2], "dtype": "float32"}
    {"type": "MultiDiscrete", "nvec": [4, 4], "dtype": "int64"}
    {"type": "MultiBinary", "n": 3, "dtype": "int8"}
    {"type": "Dict", "spaces": {"a": {...}, "b": {...}}}

``null`` Box bounds are infinite (``null`` in ``low`` is -inf, in ``high`` +inf).

One refinement the JSON cannot express: SlateRanking's action is a MultiDiscrete whose entries must
be distinct (a slate shows each ad once). :func:`action_space_from_spec` returns
:class:`DistinctMultiDiscrete` for it (also for any MultiDiscrete description with
``"distinct": true``), whose ``sample()`` draws valid slates and whose ``contains()`` refuses
repeats, so random agents and Gymnasium's ``check_env`` only produce actions the server accepts.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Sequence

import numpy as np
from gymnasium import spaces

from .errors import ProtocolError

__all__ = ["space_from_description", "observation_space_from_spec", "action_space_from_spec", "DistinctMultiDiscrete"]

_DTYPES = {"int64": np.int64, "float32": np.float32, "int8": np.int8}
# Scenario kinds whose MultiDiscrete action needs distinct entries.
_DISTINCT_ACTION_KINDS = {"slate-ranking"}


class DistinctMultiDiscrete(spaces.MultiDiscrete):
    """A MultiDiscrete whose elements have pairwise distinct entries (an ordered slate).

    Requires every ``nvec`` entry to be the same n with ``n >= len(nvec)``. ``sample()`` draws a
    uniformly random ordered slate of distinct items (a ``mask`` argument is honoured per slot, then
    repeats are removed by redrawing among the allowed unused items).
    """

    def __init__(self, nvec: Sequence[int], dtype: Any = np.int64, seed: Any = None, start: Any = None) -> None:
        super().__init__(nvec, dtype=dtype, seed=seed, start=start)
        if self.nvec.ndim != 1 or len(set(self.nvec.tolist())) != 1 or int(self.nvec[0]) < len(self.nvec):
            raise ValueError(f"DistinctMultiDiscrete needs equal nvec entries of at least {len(self.nvec)}, got {self.nvec}")

    def sample(self, mask: Optional[tuple] = None, probability: Optional[tuple] = None) -> np.ndarray:
        if mask is not None or probability is not None:
            return super().sample(mask=mask, probability=probability)
        n, k = int(self.nvec[0]), len(self.nvec)
        return (self.np_random.permutation(n)[:k] + self.start).astype(self.dtype)

    def contains(self, x: Any) -> bool:
        if not super().contains(x):
            return False
        flat = np.asarray(x).reshape(-1)
        return len(np.unique(flat)) == flat.size

    def __repr__(self) -> str:
        return f"DistinctMultiDiscrete({self.nvec})"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, DistinctMultiDiscrete) and super().__eq__(other)


def _bounds(values: Any, count: int, infinity: float, where: str) -> np.ndarray:
    if not isinstance(values, list) or len(values) != count:
        raise ProtocolError(f"{where} must be a list of {count} numbers or nulls")
    out = np.empty(count, dtype=np.float32)
    for i, value in enumerate(values):
        if value is None:
            out[i] = infinity
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[i] = value
        else:
            raise ProtocolError(f"{where}[{i}] is {value!r}, expected a number or null")
    return out


def space_from_description(description: Mapping[str, Any], *, distinct: bool = False, path: str = "space") -> spaces.Space:
    """The Gymnasium space for one JSON space description.

    Raises:
        ProtocolError: the description is malformed or of an unknown type.
    """
    if not isinstance(description, Mapping):
        raise ProtocolError(f"{path} is not an object")
    kind = description.get("type")
    try:
        if kind == "Discrete":
            return spaces.Discrete(int(description["n"]), start=int(description.get("start", 0)))
        if kind == "Box":
            shape = tuple(int(s) for s in description["shape"])
            count = int(np.prod(shape)) if shape else 1
            low = _bounds(description["low"], count, -np.inf, f"{path}.low").reshape(shape)
            high = _bounds(description["high"], count, np.inf, f"{path}.high").reshape(shape)
            dtype = _DTYPES[description.get("dtype", "float32")]
            return spaces.Box(low=low, high=high, shape=shape, dtype=dtype)
        if kind == "MultiDiscrete":
            nvec = [int(n) for n in description["nvec"]]
            if distinct or description.get("distinct") is True:
                return DistinctMultiDiscrete(nvec, dtype=np.int64)
            return spaces.MultiDiscrete(nvec, dtype=np.int64)
        if kind == "MultiBinary":
            return spaces.MultiBinary(int(description["n"]))
        if kind == "Dict":
            nested = description["spaces"]
            if not isinstance(nested, Mapping):
                raise ProtocolError(f"{path}.spaces is not an object")
            return spaces.Dict({key: space_from_description(value, path=f"{path}.{key}") for key, value in nested.items()})
    except ProtocolError:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise ProtocolError(f"{path} ({kind}) is malformed: {error!r}") from None
    raise ProtocolError(f"{path} has unknown type {kind!r}")


def observation_space_from_spec(spec: Mapping[str, Any]) -> spaces.Space:
    """The observation space of a SPEC document (a float32 Box)."""
    return space_from_description(spec.get("observation_space"), path="observation_space")


def action_space_from_spec(spec: Mapping[str, Any]) -> spaces.Space:
    """The action space of a SPEC document (DistinctMultiDiscrete for slate scenarios)."""
    return space_from_description(
        spec.get("action_space"), distinct=spec.get("kind") in _DISTINCT_ACTION_KINDS, path="action_space"
    )


def action_dtype(space: spaces.Space) -> Optional[str]:
    """The wire dtype of a space's flat actions: ``int64``, ``float32``; None if not steppable."""
    if isinstance(space, (spaces.Discrete, spaces.MultiDiscrete)):
        return "int64"
    if isinstance(space, spaces.Box):
        return "float32"
    return None


def describe(spec: Dict[str, Any]) -> str:
    """A one-line summary of a spec: ``ID: obs Box(...) action Discrete(7)``."""
    return f"{spec.get('id')}: observation {observation_space_from_spec(spec)}, action {action_space_from_spec(spec)}"
