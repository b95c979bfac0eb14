"""``AdVectorEnv``: N AdEnv environments in one server session, as a ``gymnasium.vector.VectorEnv``."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from ._common import Address, flat_actions, resolve_address
from .connection import DEFAULT_RETRIES, DEFAULT_TIMEOUT, Connection
from .errors import ClosedError
from .protocol import seeds_field
from .session import Session
from .spaces import action_space_from_spec, observation_space_from_spec

__all__ = ["AdVectorEnv"]


class AdVectorEnv(VectorEnv):
    """N copies of an AdEnv environment stepped by one server session: one message per batch.

    Args:
        env_id: a registered ID such as ``"AdMarket-v0"``, or ``scenario``: an inline scenario document.
        num_envs: N.
        overrides: ``{"dotted.path[i]": value}`` parameter overrides.
        address: endpoint, :class:`adenv.LocalServer`, or None for the shared local server.
        threads: server worker threads for this session (capped by the server; results do not
            depend on it).
        timeout, retries: per-request timeout in seconds and resends of the same request.

    Semantics (Gymnasium 1.x vector envs):

    - ``metadata["autoreset_mode"]`` is ``AutoresetMode.NEXT_STEP``: the step after copy i's episode
      ends returns its new episode's first observation, reward 0, both flags False and the reset's
      info, and ignores copy i's action (which must still be well-formed).
    - ``reset(seed=s)`` seeds copy i with ``s + i``; a list gives one seed (or None) per copy; None
      continues every copy's stream.
    - ``step(actions)`` takes ``(N,)`` (Discrete) or ``(N, *action_shape)`` actions and returns
      ``(obs (N, *obs_shape) float32, rewards (N,) float64, terminations (N,) bool, truncations (N,) bool,
      infos)``.
    - ``infos`` is a Gymnasium vector info dict: for each name in :attr:`info_fields` a float64
      ``(N,)`` array and a bool ``(N,)`` array under ``"_" + name`` (all True: every copy reports every
      field), plus ``"action_mask"`` (``(N, n)`` int8, 1 = valid) and ``"_action_mask"`` when the env
      masks actions.
    - **Every returned array is a fresh copy owned by the caller**: nothing is a view into a buffer
      that a later call reuses, so keeping references (replay buffers, rollouts) is safe. (Copying
      N×O float32 is cheap next to the round trip.)
    - An invalid action anywhere refuses the whole batch with :class:`adenv.InvalidActionError`
      (``index`` = the first offending copy) and changes nothing.
    """

    def __init__(
        self,
        env_id: Optional[str] = None,
        num_envs: int = 1,
        *,
        scenario: Optional[Mapping[str, Any]] = None,
        overrides: Optional[Mapping[str, Any]] = None,
        address: Address = None,
        threads: Optional[int] = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        render_mode: Optional[str] = None,
        curve_server_key: Optional[str] = None,
    ) -> None:
        if render_mode is not None:
            raise ValueError(f"AdVectorEnv has no render modes, got render_mode={render_mode!r}")
        self._session: Optional[Session] = None
        self._connection: Optional[Connection] = None
        endpoint, liveness = resolve_address(address)
        self._connection = Connection(
            endpoint, timeout=timeout, retries=retries, liveness=liveness, curve_server_key=curve_server_key
        )
        try:
            self._session = Session(
                self._connection, env_id, scenario=scenario, overrides=overrides, num_envs=num_envs, threads=threads
            )
        except BaseException:
            self._connection.close()
            raise
        session = self._session
        self.metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}
        self.render_mode = None
        self.num_envs = session.num_envs
        #: The SPEC document, as the server sent it.
        self.scenario_spec: Dict[str, Any] = session.spec
        self.single_observation_space = observation_space_from_spec(session.spec)
        self.single_action_space = action_space_from_spec(session.spec)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.info_fields: Tuple[str, ...] = tuple(session.info_fields)
        self.has_action_mask = session.mask_width > 0
        n = self.num_envs
        self._obs_shape = (n, *self.single_observation_space.shape)
        self._action_count = n * session.action_count
        self._action_dtype = session.action_dtype
        self._info_keys = [(name, "_" + name) for name in self.info_fields]
        self._mask: Optional[np.ndarray] = None  # the last reply's u8 N×M masks (read-only view)
        self._started = False

    # ------------------------------------------------------------------ Gymnasium API

    def reset(
        self, *, seed: Union[None, int, Sequence[Optional[int]]] = None, options: Optional[Dict[str, Any]] = None
    ) -> Tuple[np.ndarray, Dict[str, Any]]:
        seeds_field(seed)  # a bad seed raises ValueError before anything changes
        if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
            super().reset(seed=int(seed))
        frames = self._live_session().reset(seed, options)
        self._mask = frames.masks
        self._started = True
        return frames.observations.reshape(self._obs_shape).astype(np.float32), self._infos(frames.infos)

    def step(self, actions: Any) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Dict[str, Any]]:
        session = self._live_session()
        frames = session.step(flat_actions(actions, self._action_count, self._action_dtype, "actions"))
        self._mask = frames.masks
        return (
            frames.observations.reshape(self._obs_shape).astype(np.float32),  # fresh native copies
            frames.rewards.astype(np.float64),
            frames.terminated.astype(bool),
            frames.truncated.astype(bool),
            self._infos(frames.infos),
        )

    def close_extras(self, **kwargs: Any) -> None:
        session, self._session = self._session, None
        connection, self._connection = self._connection, None
        if session is not None:
            try:
                session.close()
            except Exception:
                pass
        if connection is not None:
            connection.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    # ------------------------------------------------------------------ extras

    @property
    def session_id(self) -> int:
        return self._live_session().id

    def action_masks(self) -> Optional[np.ndarray]:
        """The valid actions of every copy now, a bool ``(N, n)`` array (sb3-contrib's convention);
        all True for Discrete/MultiDiscrete envs without a mask (MultiDiscrete: the sub-actions'
        masks concatenated) and before the first reset; None for Box action spaces."""
        if self.has_action_mask and self._mask is not None:
            return self._mask.astype(bool)
        space = self.single_action_space
        if isinstance(space, spaces.Discrete):
            return np.ones((self.num_envs, int(space.n)), dtype=bool)
        if isinstance(space, spaces.MultiDiscrete):
            return np.ones((self.num_envs, int(np.sum(space.nvec))), dtype=bool)
        return None

    def oracle_actions(self) -> np.ndarray:
        """The scenario oracle's action for every copy's current state: ``(N,)`` int64 for Discrete,
        ``(N, *action_shape)`` otherwise. Copies whose episode just ended get zeros (the next step
        resets them and ignores their action).

        Raises:
            NeedsResetError: no reset yet.
        """
        actions = self._live_session().oracle()
        space = self.single_action_space
        if isinstance(space, spaces.Discrete):
            return actions[:, 0].copy()
        return actions.reshape((self.num_envs, *space.shape)).astype(space.dtype)

    def sample_valid_actions(self, rng: Optional[np.random.Generator] = None) -> np.ndarray:
        """A uniformly random valid action per copy, honouring the masks (vectorised: no per-copy
        Python loop for Discrete spaces). For Box spaces uniform within the bounds.

        Args:
            rng: the generator to draw from; default ``self.np_random``.
        """
        rng = self.np_random if rng is None else rng
        space = self.single_action_space
        n = self.num_envs
        if isinstance(space, spaces.Discrete):
            if self.has_action_mask and self._mask is not None:
                return _sample_masked(self._mask, rng) + space.start
            return rng.integers(space.start, space.start + space.n, size=n, dtype=np.int64)
        if isinstance(space, spaces.MultiDiscrete):
            from .spaces import DistinctMultiDiscrete

            if isinstance(space, DistinctMultiDiscrete):
                k, m = len(space.nvec), int(space.nvec[0])
                return np.argsort(rng.random((n, m)), axis=1)[:, :k].astype(np.int64)
            return (rng.random((n, *space.nvec.shape)) * space.nvec).astype(np.int64)
        if isinstance(space, spaces.Box):
            low = np.where(np.isfinite(space.low), space.low, -1.0)
            high = np.where(np.isfinite(space.high), space.high, 1.0)
            return rng.uniform(low, high, size=(n, *space.shape)).astype(np.float32)
        raise TypeError(f"cannot sample {space}")

    def __repr__(self) -> str:
        state = "closed" if self._session is None else f"session {self._session.id}"
        return f"<AdVectorEnv {self.scenario_spec.get('id')} x{self.num_envs} ({state})>"

    # ------------------------------------------------------------------ internals

    def _live_session(self) -> Session:
        session = self._session
        if session is None:
            raise ClosedError("this AdVectorEnv is closed")
        return session

    def _infos(self, matrix: np.ndarray) -> Dict[str, Any]:
        columns = matrix.T.copy()  # F×N, fresh and contiguous: each field a contiguous row
        present = np.ones((len(self._info_keys) + 1, self.num_envs), dtype=bool)
        infos: Dict[str, Any] = {}
        for j, (name, flag) in enumerate(self._info_keys):
            infos[name] = columns[j]
            infos[flag] = present[j]
        if self.has_action_mask and self._mask is not None:
            infos["action_mask"] = self._mask.astype(np.int8)
            infos["_action_mask"] = present[-1]
        return infos


def _sample_masked(mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One uniformly random valid index per row of a u8/bool ``(N, n)`` mask (index 0 when a row
    has none valid, as Gymnasium does): the argmax of i.i.d. uniforms zeroed where masked, which
    is uniform over the valid entries (float32 ties have probability ~n^2 / 2^25 per row)."""
    draws = rng.random(mask.shape, dtype=np.float32)
    draws *= mask
    return draws.argmax(axis=1).astype(np.int64, copy=False)
