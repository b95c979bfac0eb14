"""``AdEnv``: one AdEnv environment on a server, as a ``gymnasium.Env``."""

from __future__ import annotations

import struct
from typing import Any, Dict, Mapping, Optional, Tuple

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from ._common import Address, flat_actions, resolve_address
from .connection import DEFAULT_RETRIES, DEFAULT_TIMEOUT, Connection
from .errors import ClosedError, InvalidActionError, NeedsResetError
from .protocol import OBS_DTYPE
from .session import Session
from .spaces import action_space_from_spec, observation_space_from_spec

__all__ = ["AdEnv"]


class AdEnv(gym.Env):
    """One AdEnv environment served by ``adenv serve`` (a session with N = 1).

    Args:
        env_id: a registered ID such as ``"AdMarket-v0"`` (see :func:`adenv.list_envs`), or
        scenario: an inline scenario document (the schema of ``Envs/*.json``) instead.
        overrides: ``{"dotted.path[i]": value}`` parameter overrides, e.g. ``{"max_episode_steps": 100}``.
        address: the server's endpoint (``"tcp://127.0.0.1:5555"``), a :class:`adenv.LocalServer`,
            or None to use a local server started on demand (shared by all such envs).
        timeout, retries: per-request timeout in seconds and resends of the same request.
        render_mode: must be None (AdEnv has no renderer).

    Semantics (Gymnasium's):

    - ``reset(seed=s)`` reseeds the env (and ``self.np_random``); ``reset()`` continues the env's
      random stream, so ``reset(seed=s); reset()`` is reproducible. The very first ``reset()`` without
      a seed uses the server's default seed 0.
    - ``step`` returns ``(obs, reward, terminated, truncated, info)``: ``obs`` a fresh float32 array
      of the observation space's shape, ``reward`` a Python float, the flags Python bools.
    - ``info`` has one Python float per name in :attr:`info_fields`, plus ``"action_mask"`` (a fresh
      ``np.int8`` array, 1 = valid, usable as ``action_space.sample(mask=...)``) when the env masks actions.
    - After an episode ends (terminated or truncated), ``step`` raises :class:`adenv.NeedsResetError`
      until ``reset`` is called (the server-side autoreset of the session never leaks through).
    - Invalid actions raise :class:`adenv.InvalidActionError` and change nothing.
    - ``close()`` is idempotent; later ``reset``/``step`` raise :class:`adenv.ClosedError`.
    """

    metadata: Dict[str, Any] = {"render_modes": []}

    def __init__(
        self,
        env_id: Optional[str] = None,
        *,
        scenario: Optional[Mapping[str, Any]] = None,
        overrides: Optional[Mapping[str, Any]] = None,
        address: Address = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        render_mode: Optional[str] = None,
        curve_server_key: Optional[str] = None,
    ) -> None:
        if render_mode is not None:
            raise ValueError(f"AdEnv has no render modes, got render_mode={render_mode!r}")
        self.render_mode = None
        self._session: Optional[Session] = None
        self._connection: Optional[Connection] = None
        endpoint, liveness = resolve_address(address)
        self._connection = Connection(
            endpoint, timeout=timeout, retries=retries, liveness=liveness, curve_server_key=curve_server_key
        )
        try:
            self._session = Session(self._connection, env_id, scenario=scenario, overrides=overrides, num_envs=1)
        except BaseException:
            self._connection.close()
            raise
        session = self._session
        #: The SPEC document of this env (spaces, parameters, oracle, ...), as the server sent it.
        self.scenario_spec: Dict[str, Any] = session.spec
        self.observation_space = observation_space_from_spec(session.spec)
        self.action_space = action_space_from_spec(session.spec)
        #: The names of the info floats, in the server's column order.
        self.info_fields: Tuple[str, ...] = tuple(session.info_fields)
        self.has_action_mask = session.mask_width > 0
        self._obs_shape = self.observation_space.shape
        self._action_count = session.action_count
        self._needs_reset = True
        self._mask: Optional[bytes] = None  # the last reply's mask frame (u8 per action)
        session.copy_replies = True  # one env's frames are small: bytes beat zmq.Frame objects
        self._unpack_infos = struct.Struct(f"<{len(self.info_fields)}d").unpack
        # Discrete actions given as Python or numpy ints skip numpy entirely.
        self._scalar_action = session.action_dtype_name == "int64" and session.action_count == 1

    # ------------------------------------------------------------------ Gymnasium API

    def reset(self, *, seed: Optional[int] = None, options: Optional[Dict[str, Any]] = None) -> Tuple[np.ndarray, Dict[str, Any]]:
        super().reset(seed=seed)
        frames = self._live_session().reset(seed, options)
        self._needs_reset = False
        self._mask = frames.masks[0].tobytes()
        info = dict(zip(self.info_fields, frames.infos[0].tolist()))
        if self.has_action_mask:
            info["action_mask"] = frames.masks[0].astype(np.int8)
        return frames.observations[0].reshape(self._obs_shape).astype(np.float32), info

    def step(self, action: Any) -> Tuple[np.ndarray, float, bool, bool, Dict[str, Any]]:
        session = self._session
        if session is None:
            raise ClosedError("this AdEnv is closed")
        if self._needs_reset:
            raise NeedsResetError(
                None, "call reset() before step(): no episode is running (not reset yet, or the last one ended)",
                local=True,
            )
        # The hot path decodes the six reply frames with struct, not numpy, where a scalar is wanted.
        body = session.step_raw(self._encode(action))
        terminated = body[2] != b"\x00"
        truncated = body[3] != b"\x00"
        self._needs_reset = terminated or truncated
        info = dict(zip(self.info_fields, self._unpack_infos(body[4])))
        if self.has_action_mask:
            self._mask = body[5]
            info["action_mask"] = np.frombuffer(body[5], np.int8).copy()
        return (
            np.frombuffer(body[0], OBS_DTYPE).reshape(self._obs_shape).astype(np.float32),  # a fresh native copy
            _unpack_reward(body[1])[0],
            terminated,
            truncated,
            info,
        )

    def close(self) -> None:
        """Closes the session and the connection. Idempotent; never raises for a dead server."""
        session, self._session = self._session, None
        connection, self._connection = self._connection, None
        if session is not None:
            try:
                session.close()
            except Exception:
                pass
        if connection is not None:
            connection.close()
        super().close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    # ------------------------------------------------------------------ extras

    @property
    def closed(self) -> bool:
        return self._session is None

    @property
    def session_id(self) -> int:
        """The server's id of this env's session."""
        return self._live_session().id

    def action_masks(self) -> Optional[np.ndarray]:
        """The valid actions now, as a bool array (sb3-contrib's ``MaskablePPO`` convention).

        All True for Discrete/MultiDiscrete envs without a mask (one entry per sub-action for
        MultiDiscrete, concatenated); None for Box action spaces. Before the first reset, all True.
        """
        if self.has_action_mask and self._mask is not None:
            return np.frombuffer(self._mask, np.uint8).astype(bool)
        if isinstance(self.action_space, spaces.Discrete):
            return np.ones(int(self.action_space.n), dtype=bool)
        if isinstance(self.action_space, spaces.MultiDiscrete):
            return np.ones(int(np.sum(self.action_space.nvec)), dtype=bool)
        return None

    def oracle_action(self) -> Any:
        """The scenario oracle's action in the current state (see ``scenario_spec["oracle"]``), as
        an element of ``action_space``: ``np.int64`` for Discrete, an array otherwise.

        Raises:
            NeedsResetError: no episode is running.
        """
        session = self._live_session()
        if self._needs_reset:
            raise NeedsResetError(None, "oracle_action() needs a running episode; call reset() first", local=True)
        row = session.oracle()[0]
        if isinstance(self.action_space, spaces.Discrete):
            return np.int64(row[0])
        return row.reshape(self.action_space.shape).astype(self.action_space.dtype)

    def ping(self) -> None:
        """Refreshes the session's idle timer on the server (sessions expire when idle)."""
        self._live_session().ping()

    def __repr__(self) -> str:
        state = "closed" if self._session is None else f"session {self._session.id}"
        return f"<AdEnv {self.scenario_spec.get('id')} ({state})>"

    # ------------------------------------------------------------------ internals

    def _live_session(self) -> Session:
        session = self._session
        if session is None:
            raise ClosedError("this AdEnv is closed")
        return session

    def _encode(self, action: Any) -> Any:
        """The STEP frame for one action: 8 bytes for a Discrete action, else N×A values."""
        if self._scalar_action and isinstance(action, (int, np.integer)) and not isinstance(action, (bool, np.bool_)):
            try:
                return _pack_int64(action)
            except struct.error:
                raise InvalidActionError(
                    None, f"action {action} does not fit in int64", False, reason="out_of_space", local=True
                ) from None
        session = self._session
        assert session is not None
        return flat_actions(action, self._action_count, session.action_dtype)


_pack_int64 = struct.Struct("<q").pack
_unpack_reward = struct.Struct("<d").unpack
