"""Gymnasium registration: ``gymnasium.make("adenv/<ID>", address=...)`` for every scenario.

Importing :mod:`adenv` registers, without contacting any server:

- every ID in :data:`KNOWN_IDS` (the scenarios shipped with this version of AdEnv), together with
  the ``id`` of every ``Envs/*.json`` file found in the source checkout this package sits in or
  above the working directory (so scenarios added to the repo register without a package update);
- ``adenv/Remote-v0``, a generic entry that takes any server-side ID or inline scenario:
  ``gymnasium.make("adenv/Remote-v0", env_id="MyScenario-v3", address=...)``.

Each registration has ``entry_point`` :class:`adenv.AdEnv` and ``vector_entry_point``
:class:`adenv.AdVectorEnv`, so ``gymnasium.make_vec("adenv/AdMarket-v0", num_envs=256)`` batches
all copies in one server session. No ``max_episode_steps`` is set on the Gymnasium side: the
server truncates episodes itself (at the scenario's ``max_episode_steps``), so a TimeLimit wrapper
would only duplicate it. :func:`register_envs` registers whatever a running server lists (LIST).

Passing no ``address`` starts (once per process) a local ``adenv serve``; see :mod:`adenv.server`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, List, Optional, Set

import gymnasium

__all__ = ["KNOWN_IDS", "NAMESPACE", "GENERIC_ID", "register_envs", "registered_ids", "gym_id"]

NAMESPACE = "adenv"
GENERIC_ID = f"{NAMESPACE}/Remote-v0"
#: The scenarios that ship with AdEnv (``adenv list``).
KNOWN_IDS = (
    "AdMarket-v0",
    "AdMarket-v1",
    "AutoBidding-v0",
    "BannerBandit-v0",
    "BudgetPacing-v0",
    "BudgetedBandit-v0",
    "ContextualBanner-v0",
    "FatigueMDP-v0",
    "SlateRanking-v0",
    "StrategyBandit-v0",
)

_registered: Set[str] = set()


def gym_id(env_id: str) -> str:
    """The Gymnasium ID of a server-side env ID: ``"AdMarket-v0"`` -> ``"adenv/AdMarket-v0"``."""
    return f"{NAMESPACE}/{env_id}"


def _scenario_ids_in_checkout() -> List[str]:
    from .server import _repo_roots

    ids: List[str] = []
    for root in _repo_roots():
        for path in sorted((root / "Envs").glob("*.json")):
            try:
                value = json.loads(path.read_text(encoding="utf-8")).get("id")
            except (OSError, ValueError, AttributeError):
                continue
            if isinstance(value, str) and value not in ids:
                ids.append(value)
    return ids


def _register(env_id: Optional[str], name: str) -> None:
    if name in _registered or name in gymnasium.registry:
        _registered.add(name)
        return
    kwargs = {} if env_id is None else {"env_id": env_id}
    gymnasium.register(
        id=name,
        entry_point="adenv.env:AdEnv",
        vector_entry_point="adenv.vector:AdVectorEnv",
        kwargs=kwargs,
        nondeterministic=False,
        disable_env_checker=False,
    )
    _registered.add(name)


def register_envs(env_ids: Optional[Iterable[str]] = None, *, address: Optional[str] = None) -> List[str]:
    """Registers ``adenv/<ID>`` for each ID (default: what the server at ``address`` lists, or the
    known and checked-out IDs when ``address`` is None too). Returns the Gymnasium IDs registered."""
    if env_ids is None:
        if address is not None:
            from .connection import Connection

            with Connection(address) as connection:
                env_ids = [entry["id"] for entry in connection.list_envs()]
        else:
            env_ids = list(dict.fromkeys([*KNOWN_IDS, *_scenario_ids_in_checkout()]))
    names = []
    for env_id in env_ids:
        _register(env_id, gym_id(env_id))
        names.append(gym_id(env_id))
    return names


def registered_ids() -> List[str]:
    """The Gymnasium IDs this package registered so far."""
    return sorted(_registered)


def _register_at_import() -> None:
    register_envs()
    _register(None, GENERIC_ID)
