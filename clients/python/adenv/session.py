"""One server session of N env copies: OPEN, RESET, STEP, ORACLE, PING and CLOSE with tensor decoding.

:class:`Session` is the layer both :class:`adenv.AdEnv` (N = 1) and :class:`adenv.AdVectorEnv` build on.
Its ``reset``/``step``/``oracle`` return **read-only numpy views of the reply frames** (no copy);
the views stay valid as long as the caller holds them (each reply has its own frames), and callers
that hand arrays to users copy or convert them.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Union

import numpy as np

from .connection import Connection
from .errors import ClosedError, ProtocolError, UnknownSessionError
from .protocol import (
    ACTION_DTYPES,
    FLAG_DTYPE,
    INFO_DTYPE,
    MASK_DTYPE,
    OBS_DTYPE,
    REWARD_DTYPE,
    MessageType,
    decode_json,
    encode_json,
    seeds_field,
    tensor,
    tensor_frame,
)

__all__ = ["Session", "ResetFrames", "StepFrames"]

# Replies at least this big are received without copying (zmq.Frame buffers back the arrays);
# smaller ones are cheaper as bytes.
_ZERO_COPY_BYTES = 1 << 16


class ResetFrames(NamedTuple):
    observations: np.ndarray  # f32 N×O
    infos: np.ndarray  # f64 N×F
    masks: np.ndarray  # u8 N×M


class StepFrames(NamedTuple):
    observations: np.ndarray  # f32 N×O
    rewards: np.ndarray  # f64 N
    terminated: np.ndarray  # u8 N
    truncated: np.ndarray  # u8 N
    infos: np.ndarray  # f64 N×F
    masks: np.ndarray  # u8 N×M


class Session:
    """An open session on a server.

    Args:
        connection: the connection to send on (not owned: closing the session leaves it open).
        env: a registered env ID, e.g. ``"AdMarket-v0"``; or ``scenario``, an inline scenario
            document (the schema of ``Envs/*.json``). Exactly one of the two.
        overrides: ``{"dotted.path[i]": json_value}`` applied to the scenario's parameters.
        num_envs: N, the number of env copies stepped per message.
        threads: worker threads for this session on the server (capped by the server).

    Raises:
        AdEnvError: the server refused the OPEN (``UNKNOWN_ENV``, ``BAD_SCENARIO`` with ``field``,
            ``BAD_REQUEST``, ``CAPACITY``).
    """

    def __init__(
        self,
        connection: Connection,
        env: Optional[str] = None,
        *,
        scenario: Optional[Mapping[str, Any]] = None,
        overrides: Optional[Mapping[str, Any]] = None,
        num_envs: int = 1,
        threads: Optional[int] = None,
    ) -> None:
        if (env is None) == (scenario is None):
            raise ValueError("give exactly one of env (a registered ID) and scenario (an inline scenario document)")
        if isinstance(num_envs, bool) or not isinstance(num_envs, (int, np.integer)) or num_envs < 1:
            raise ValueError(f"num_envs must be an integer >= 1, got {num_envs!r}")
        request: Dict[str, Any] = {"num_envs": int(num_envs), "autoreset_mode": "next_step"}
        if env is not None:
            request["env"] = env
        else:
            request["scenario"] = dict(scenario)  # type: ignore[arg-type]
        if overrides:
            request["overrides"] = dict(overrides)
        if threads is not None:
            request["threads"] = int(threads)
        self.connection = connection
        self.closed = True
        header, body = connection.request(MessageType.OPEN, [encode_json(request)])
        if not body:
            raise ProtocolError("OPEN reply has no body")
        reply = decode_json(body[0], "OPEN reply")
        self.id: int = header.session
        self.closed = False
        try:
            self.num_envs = int(reply["num_envs"])
            self.observation_count = int(reply["observation_count"])
            self.action_count = int(reply["action_count"])
            self.action_dtype_name = str(reply["action_dtype"])
            self.mask_width = int(reply["mask_width"])
            self.info_fields: List[str] = [str(f) for f in reply["info_fields"]]
            self.spec: Dict[str, Any] = dict(reply["spec"])
        except (KeyError, TypeError, ValueError) as error:
            self.close()
            raise ProtocolError(f"OPEN reply is missing or has a malformed field: {error!r}") from None
        if self.id == 0 or self.num_envs != num_envs or self.action_dtype_name not in ACTION_DTYPES:
            self.close()
            raise ProtocolError(
                f"OPEN reply is inconsistent: session {self.id}, num_envs {self.num_envs} (asked {num_envs}), "
                f"action_dtype {self.action_dtype_name!r}"
            )
        self.action_dtype = ACTION_DTYPES[self.action_dtype_name]
        n = self.num_envs
        self._shape_obs = (n, self.observation_count)
        self._shape_n = (n,)
        self._shape_infos = (n, len(self.info_fields))
        self._shape_masks = (n, self.mask_width)
        self._shape_actions = (n, self.action_count)
        #: Whether replies arrive as bytes (True) or zmq.Frame buffers (False, for big replies).
        self.copy_replies = n * self.observation_count * OBS_DTYPE.itemsize < _ZERO_COPY_BYTES
        self._action_bytes = n * self.action_count * self.action_dtype.itemsize
        self._step_sizes = (
            n * self.observation_count * OBS_DTYPE.itemsize,
            n * REWARD_DTYPE.itemsize,
            n,
            n,
            n * len(self.info_fields) * INFO_DTYPE.itemsize,
            n * self.mask_width,
        )

    # ------------------------------------------------------------------ requests

    def reset(self, seed: Union[None, int, Sequence[Optional[int]]] = None, options: Optional[Mapping[str, Any]] = None) -> ResetFrames:
        """RESET: ``seed`` None (continue each copy's stream; copy i starts from seed i on the first
        reset), an int s (copy i gets s + i) or a list of N ints/None.

        Raises:
            ValueError: a seed is not a u64, or a seed list is not N long.
        """
        seeds = seeds_field(seed)
        if isinstance(seeds, list) and len(seeds) != self.num_envs:
            raise ValueError(f"a seed list needs {self.num_envs} entries (one per env), got {len(seeds)}")
        request: Dict[str, Any] = {"seed": seeds}
        if options:
            request["options"] = dict(options)
        _, body = self._request(MessageType.RESET, [encode_json(request)])
        if len(body) != 3:
            raise ProtocolError(f"RESET reply has {len(body)} body frames, expected 3")
        return ResetFrames(
            tensor(body[0], OBS_DTYPE, self._shape_obs, "observations"),
            tensor(body[1], INFO_DTYPE, self._shape_infos, "infos"),
            tensor(body[2], MASK_DTYPE, self._shape_masks, "masks"),
        )

    def step(self, actions: np.ndarray) -> StepFrames:
        """STEP with ``actions``, an array of N×A values (any shape with that many elements) that is
        sent as the session's action dtype.

        Raises:
            InvalidActionError: (from the server) an action is out of the space, masked or not finite;
                ``index`` names the copy. Nothing changed on the server.
            NeedsResetError: no RESET yet.
            ValueError: ``actions`` does not have N×A elements.
        """
        frame = tensor_frame(actions, self.action_dtype)
        if frame.nbytes != self._action_bytes:
            raise ValueError(
                f"actions have {frame.nbytes // self.action_dtype.itemsize} values, the session needs "
                f"{self.num_envs} x {self.action_count}"
            )
        body = self.step_raw(frame)
        return StepFrames(
            np.frombuffer(getattr(body[0], "buffer", body[0]), OBS_DTYPE).reshape(self._shape_obs),
            np.frombuffer(getattr(body[1], "buffer", body[1]), REWARD_DTYPE),
            np.frombuffer(getattr(body[2], "buffer", body[2]), FLAG_DTYPE),
            np.frombuffer(getattr(body[3], "buffer", body[3]), FLAG_DTYPE),
            np.frombuffer(getattr(body[4], "buffer", body[4]), INFO_DTYPE).reshape(self._shape_infos),
            np.frombuffer(getattr(body[5], "buffer", body[5]), MASK_DTYPE).reshape(self._shape_masks),
        )

    def step_raw(self, frame: Any) -> List[Any]:
        """STEP with an already encoded action frame (exactly N×A little-endian values); returns the
        six reply frames (bytes, or zmq.Frame for large replies), their lengths checked against the
        session's shapes. The fast path of :class:`adenv.AdEnv`.

        Raises:
            ProtocolError: the reply does not have six frames of the session's sizes.
        """
        if self.closed:
            raise ClosedError(f"session {self.id} is closed")
        _, body = self.connection.request(4, (frame,), session=self.id, copy=self.copy_replies)
        sizes = self._step_sizes
        if len(body) != 6 or any(len(f) != n for f, n in zip(body, sizes)):
            raise ProtocolError(
                f"STEP reply frames have {[len(f) for f in body]} bytes, expected {list(sizes)}"
            )
        return body

    def oracle(self) -> np.ndarray:
        """ORACLE: the scenario oracle's N×A actions for the current states (rows of copies the next
        step resets are zeros). Never changes the envs."""
        _, body = self._request(MessageType.ORACLE, [])
        if len(body) != 1:
            raise ProtocolError(f"ORACLE reply has {len(body)} body frames, expected 1")
        return tensor(body[0], self.action_dtype, self._shape_actions, "oracle actions")

    def ping(self) -> None:
        """PING with this session: refreshes its idle timer.

        Raises:
            UnknownSessionError: the session expired or was closed on the server.
        """
        self._request(MessageType.PING, [])

    def close(self) -> bool:
        """CLOSE. Idempotent; returns whether the server still had the session open. A closed
        connection or an unreachable server is not an error here (the server expires the session)."""
        if self.closed:
            return False
        self.closed = True
        liveness = self.connection.liveness
        if self.connection.closed or (liveness is not None and liveness() is not None):
            return False  # nobody to tell: a dead local server took the session with it
        try:
            _, body = self.connection.request(
                MessageType.CLOSE, session=self.id, retries=0, timeout=min(self.connection.timeout, 2.0)
            )
        except (ClosedError, TimeoutError, UnknownSessionError):
            return False
        return bool(decode_json(body[0], "CLOSE reply").get("closed", False)) if body else False

    # ------------------------------------------------------------------ internals

    def _request(self, type: int, body: List[Any]):
        if self.closed:
            raise ClosedError(f"session {self.id} is closed")
        return self.connection.request(type, body, session=self.id, copy=self.copy_replies)

    def __repr__(self) -> str:
        return f"Session(id={self.id}, env={self.spec.get('id')!r}, num_envs={self.num_envs})"
