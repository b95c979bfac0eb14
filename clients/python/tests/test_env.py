"""AdEnv (N = 1) against a real server: Gymnasium's checker on every scenario, semantics, dtypes,
seeding, masks, the oracle and errors."""

from __future__ import annotations

import json
import warnings

import gymnasium
import numpy as np
import pytest
from gymnasium import spaces
from gymnasium.utils.env_checker import check_env

import adenv
from adenv import (
    AdEnv,
    BadScenarioError,
    ClosedError,
    InvalidActionError,
    NeedsResetError,
    UnknownEnvError,
)

from conftest import REPO


def valid_action(env: AdEnv, rng: np.random.Generator, info: dict):
    """A random action the env accepts now (honouring the mask)."""
    if "action_mask" in info:
        return env.action_space.sample(mask=info["action_mask"])
    return env.action_space.sample()


def trajectory(address, env_id, seed, steps, action_seed=0, **kwargs):
    env = AdEnv(env_id, address=address, **kwargs)
    env.action_space.seed(action_seed)
    rng = np.random.default_rng(action_seed)
    try:
        obs, info = env.reset(seed=seed)
        out = [(obs.tolist(), sorted((k, np.asarray(v).tolist()) for k, v in info.items()))]
        for _ in range(steps):
            obs, reward, terminated, truncated, info = env.step(valid_action(env, rng, info))
            out.append((obs.tolist(), reward, terminated, truncated, sorted((k, np.asarray(v).tolist()) for k, v in info.items())))
            if terminated or truncated:
                obs, info = env.reset()
        return out
    finally:
        env.close()


def test_list_serves_exactly_the_ids_registered_at_import(address):
    listed = [entry["id"] for entry in adenv.list_envs(address)]
    assert sorted(listed) == sorted(adenv.KNOWN_IDS)
    for env_id in listed:
        assert adenv.gym_id(env_id) in gymnasium.registry


SPACE_ADVICE = ("is -infinity", "is infinity", "maximum and minimum values are equal", "symmetric and normalized space")
#: Gymnasium's advice to move to a newer version of an ID (AdMarket-v0 beside AdMarket-v1): published
#: versions stay registered on purpose, for reproducibility.
VERSION_ADVICE = ("is out of date. You should consider upgrading to version",)


@pytest.mark.parametrize("env_id", adenv.KNOWN_IDS)
def test_gymnasium_check_env_passes_without_other_warnings(address, env_id):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        env = gymnasium.make(adenv.gym_id(env_id), address=address)  # its passive checker warns too
    try:
        with warnings.catch_warnings(record=True) as more:
            warnings.simplefilter("always")
            check_env(env.unwrapped)
        caught += more
        # Advice about the scenario's space design (unbounded features, a constant bias feature,
        # bid multipliers in [0, 4] rather than [-1, 1]) is not an API problem; any other warning is.
        advice = SPACE_ADVICE + VERSION_ADVICE
        messages = [str(w.message) for w in caught if not any(a in str(w.message) for a in advice)]
        assert messages == []
    finally:
        env.close()


def test_reset_and_step_return_gymnasium_types(address):
    env = AdEnv("AdMarket-v0", address=address)
    try:
        obs, info = env.reset(seed=3)
        assert isinstance(obs, np.ndarray) and obs.dtype == np.float32 and obs.shape == env.observation_space.shape
        assert obs.flags.writeable and obs in env.observation_space
        assert set(info) == set(env.info_fields) | {"action_mask"}
        assert info["action_mask"].dtype == np.int8 and info["action_mask"].shape == (env.action_space.n,)
        obs2, reward, terminated, truncated, info2 = env.step(int(env.action_space.n) - 1)  # the exchange: always valid
        assert type(reward) is float and type(terminated) is bool and type(truncated) is bool
        assert all(type(info2[name]) is float for name in env.info_fields)
        assert obs2.dtype == np.float32 and not np.shares_memory(obs, obs2)
        assert env.action_masks().dtype == bool and env.action_masks().tolist() == info2["action_mask"].astype(bool).tolist()
        assert isinstance(env.scenario_spec, dict) and env.scenario_spec["id"] == "AdMarket-v0"
    finally:
        env.close()


def test_box_env_takes_float_actions_and_discrete_env_whole_numbers(address):
    box = AdEnv("BudgetPacing-v0", address=address)
    discrete = AdEnv("BannerBandit-v0", address=address)
    try:
        box.reset(seed=1)
        assert box.step(np.array([0.7]))[0].dtype == np.float32
        assert box.step(0.5)[0] in box.observation_space
        discrete.reset(seed=1)
        discrete.step(np.int64(2))
        discrete.step(2.0)  # a whole float is accepted
        with pytest.raises(InvalidActionError) as info:
            discrete.step(2.5)
        assert info.value.local and info.value.reason == "wrong_dtype"
        with pytest.raises(InvalidActionError) as info:
            discrete.step([1, 2])
        assert info.value.reason == "wrong_count"
        with pytest.raises(InvalidActionError):
            discrete.step("1")
    finally:
        box.close()
        discrete.close()


@pytest.mark.parametrize("env_id", ["AdMarket-v0", "SlateRanking-v0", "BudgetPacing-v0", "BudgetedBandit-v0"])
def test_same_seed_gives_identical_trajectories_and_another_seed_differs(address, env_id):
    first = trajectory(address, env_id, seed=11, steps=30)
    assert trajectory(address, env_id, seed=11, steps=30) == first
    assert trajectory(address, env_id, seed=12, steps=30) != first


def test_episode_end_requires_reset_and_the_server_autoreset_never_leaks(address):
    env = AdEnv("StrategyBandit-v0", address=address, overrides={"max_episode_steps": 3})
    try:
        env.reset(seed=5)
        flags = [env.step(0)[3] for _ in range(3)]
        assert flags == [False, False, True]
        with pytest.raises(NeedsResetError) as info:
            env.step(0)
        assert info.value.local
        with pytest.raises(NeedsResetError):
            env.oracle_action()
        env.reset()
        assert env.step(0)[3] is False  # a new episode of 3 steps
    finally:
        env.close()


def test_reset_without_seed_continues_the_stream_reproducibly(address):
    def run():
        env = AdEnv("ContextualBanner-v0", address=address)
        try:
            env.reset(seed=8)
            return [env.reset()[0].tolist() for _ in range(5)]
        finally:
            env.close()

    first = run()
    assert first == run()
    assert len({tuple(obs) for obs in first}) > 1  # the stream moves on


def test_step_before_reset_and_after_close(address):
    env = AdEnv("BannerBandit-v0", address=address)
    with pytest.raises(NeedsResetError):
        env.step(0)
    env.reset(seed=0)
    env.close()
    env.close()  # idempotent
    assert env.closed
    with pytest.raises(ClosedError):
        env.step(0)
    with pytest.raises(ClosedError):
        env.reset()


def test_masked_action_is_refused_and_changes_nothing(address):
    """Finds a state of AdMarket with a masked campaign, steps it (refused), then checks the env
    continues exactly like a twin that never saw the refused action."""
    env, twin = AdEnv("AdMarket-v0", address=address), AdEnv("AdMarket-v0", address=address)
    try:
        _, info = env.reset(seed=21)
        twin.reset(seed=21)
        for _ in range(2000):
            mask = info["action_mask"]
            if not mask.all():
                break
            action = int(np.flatnonzero(mask)[0])  # campaigns first: they get masked once shown on a page
            _, _, _, _, info = env.step(action)
            twin.step(action)
        else:
            pytest.fail("no masked action in 2000 steps")
        masked = int(np.flatnonzero(mask == 0)[0])
        assert env.action_masks()[masked] == False  # noqa: E712
        with pytest.raises(InvalidActionError) as refused:
            env.step(masked)
        assert refused.value.reason == "masked" and refused.value.index == 0 and not refused.value.local
        exchange = int(env.action_space.n) - 1
        a, b = env.step(exchange), twin.step(exchange)
        assert a[0].tolist() == b[0].tolist() and a[1:4] == b[1:4]
    finally:
        env.close()
        twin.close()


@pytest.mark.parametrize(
    "env_id, action, reason",
    [
        ("BudgetPacing-v0", [float("nan")], "not_finite"),
        ("BudgetPacing-v0", [float("inf")], "not_finite"),
        ("BudgetPacing-v0", [-1.0], "out_of_space"),
        ("BudgetPacing-v0", [1e9], "out_of_space"),
        ("BannerBandit-v0", 99, "out_of_space"),
        ("BannerBandit-v0", -1, "out_of_space"),
        ("SlateRanking-v0", [1, 1, 2], "out_of_space"),
    ],
)
def test_invalid_actions_are_refused_by_the_server_with_their_reason(address, health, env_id, action, reason):
    env = AdEnv(env_id, address=address)
    try:
        env.reset(seed=0)
        with pytest.raises(InvalidActionError) as info:
            env.step(action)
        assert info.value.reason == reason and info.value.index == 0 and not info.value.local
        env.step(env.action_space.sample())  # the session still works
    finally:
        env.close()
    health.check()


def test_oracle_of_a_bandit_picks_the_best_arm(address):
    env = AdEnv("BannerBandit-v0", address=address)  # CTRs 1%, 3%, 5%, 2%
    try:
        env.reset(seed=4)
        for _ in range(5):
            action = env.oracle_action()
            assert action == 2 and action in env.action_space
            env.step(action)
    finally:
        env.close()


@pytest.mark.parametrize("env_id", ["AdMarket-v0", "SlateRanking-v0", "BudgetPacing-v0"])
def test_oracle_actions_are_valid_and_reproducible(address, env_id):
    def run():
        env = AdEnv(env_id, address=address)
        try:
            _, info = env.reset(seed=9)
            actions = []
            for _ in range(10):
                action = env.oracle_action()
                assert action in env.action_space
                if "action_mask" in info:
                    assert info["action_mask"][action] == 1
                actions.append(np.asarray(action).tolist())
                _, _, terminated, truncated, info = env.step(action)
                if terminated or truncated:
                    break
            return actions
        finally:
            env.close()

    assert run() == run()


def test_overrides_inline_scenarios_and_their_errors(address):
    scenario = json.loads((REPO / "Envs" / "BannerBandit-v0.json").read_text())
    by_id = AdEnv("BannerBandit-v0", address=address, overrides={"max_episode_steps": 7})
    inline = AdEnv(scenario=scenario, address=address, overrides={"max_episode_steps": 7})
    try:
        assert by_id.scenario_spec["max_episode_steps"] == 7
        by_id.reset(seed=1)
        inline.reset(seed=1)
        assert [by_id.step(t % 4)[1:4] for t in range(7)] == [inline.step(t % 4)[1:4] for t in range(7)]
    finally:
        by_id.close()
        inline.close()
    with pytest.raises(UnknownEnvError):
        AdEnv("NoSuchEnv-v0", address=address)
    with pytest.raises(BadScenarioError) as info:
        AdEnv("BannerBandit-v0", address=address, overrides={"means[0]": "high"})
    assert info.value.field


def test_gymnasium_make_and_the_generic_entry(address):
    env = gymnasium.make("adenv/FatigueMDP-v0", address=address)
    generic = gymnasium.make(adenv.GENERIC_ID, env_id="FatigueMDP-v0", address=address)
    try:
        assert env.spec.id == "adenv/FatigueMDP-v0"
        assert env.reset(seed=3)[0].tolist() == generic.reset(seed=3)[0].tolist()
        assert isinstance(env.unwrapped, AdEnv) and isinstance(env.action_space, spaces.Discrete)
    finally:
        env.close()
        generic.close()
