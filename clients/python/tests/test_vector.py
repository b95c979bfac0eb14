"""AdVectorEnv against a real server: batched spaces, NEXT_STEP autoreset equal to single envs,
vector info dicts, fresh arrays, masks, the oracle and refused batches."""

from __future__ import annotations

import gymnasium
import numpy as np
import pytest
from gymnasium import spaces
from gymnasium.vector import AutoresetMode

import adenv
from adenv import AdEnv, AdVectorEnv, InvalidActionError, NeedsResetError


def test_spaces_metadata_and_make_vec(address):
    envs = gymnasium.make_vec("adenv/AdMarket-v0", num_envs=8, address=address)
    try:
        assert isinstance(envs, AdVectorEnv) and envs.num_envs == 8
        assert envs.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
        assert isinstance(envs.single_action_space, spaces.Discrete)
        assert envs.action_space.shape == (8,)
        assert envs.observation_space.shape == (8, *envs.single_observation_space.shape)
        obs, infos = envs.reset(seed=1)
        assert obs.shape == envs.observation_space.shape and obs.dtype == np.float32 and obs in envs.observation_space
    finally:
        envs.close()


def test_next_step_autoreset_matches_single_envs_that_reset_by_hand(address):
    """Copy i seeded s + i and autoreset equals an AdEnv reset(seed=s + i) that calls reset() itself
    after each episode end (the autoreset continues the copy's stream)."""
    n, seed, steps = 3, 40, 12
    overrides = {"max_episode_steps": 4}
    envs = AdVectorEnv("ContextualBanner-v0", n, address=address, overrides=overrides)
    singles = [AdEnv("ContextualBanner-v0", address=address, overrides=overrides) for _ in range(n)]
    try:
        obs, _ = envs.reset(seed=seed)
        single_obs = [env.reset(seed=seed + i)[0] for i, env in enumerate(singles)]
        assert obs.tolist() == [o.tolist() for o in single_obs]
        ended = np.zeros(n, dtype=bool)
        autoresets = 0
        for t in range(steps):
            actions = np.array([(t + i) % 5 for i in range(n)])
            obs, rewards, terminated, truncated, infos = envs.step(actions)
            for i, env in enumerate(singles):
                if ended[i]:  # NEXT_STEP: this step is the reset
                    expected_obs, info = env.reset()
                    autoresets += 1
                    assert rewards[i] == 0.0 and not terminated[i] and not truncated[i]
                    assert obs[i].tolist() == expected_obs.tolist()
                else:
                    o, r, te, tr, info = env.step(actions[i])
                    assert (obs[i].tolist(), rewards[i], terminated[i], truncated[i]) == (o.tolist(), r, te, tr)
                for name in envs.info_fields:
                    assert infos[name][i] == info[name]
            ended = terminated | truncated
        assert autoresets == 2 * n  # after steps 4 and 9 (each episode: 4 steps, then the reset step)
    finally:
        envs.close()
        for env in singles:
            env.close()


def test_infos_are_gymnasium_vector_dicts_and_every_array_is_fresh(address):
    envs = AdVectorEnv("AdMarket-v0", 4, address=address)
    try:
        obs0, infos0 = envs.reset(seed=2)
        obs1, rewards, terminated, truncated, infos1 = envs.step(envs.sample_valid_actions())
        expected = set(envs.info_fields) | {"action_mask"}
        assert set(infos1) == expected | {"_" + k for k in expected}
        for name in envs.info_fields:
            assert infos1[name].shape == (4,) and infos1[name].dtype == np.float64
            assert infos1["_" + name].dtype == bool and infos1["_" + name].all()
        assert infos1["action_mask"].shape == (4, 7) and infos1["action_mask"].dtype == np.int8
        assert rewards.dtype == np.float64 and terminated.dtype == bool and truncated.dtype == bool
        returned0 = [obs0, *infos0.values()]
        returned1 = [obs1, rewards, terminated, truncated, *infos1.values()]
        for a in returned0:
            for b in returned1:
                assert not np.shares_memory(a, b)
        assert all(array.flags.writeable for array in returned1)
    finally:
        envs.close()


def test_masks_sampling_and_oracle_over_many_steps(address, rng):
    envs = AdVectorEnv("AdMarket-v0", 16, address=address)
    try:
        envs.reset(seed=7)
        saw_masked = False
        for _ in range(300):
            masks = envs.action_masks()
            assert masks.shape == (16, 7) and masks.dtype == bool
            saw_masked |= not masks.all()
            oracle = envs.oracle_actions()
            assert oracle.shape == (16,) and oracle.dtype == np.int64
            assert all(masks[i, a] for i, a in enumerate(oracle))
            actions = envs.sample_valid_actions(rng)
            assert all(masks[i, a] for i, a in enumerate(actions))
            envs.step(actions if rng.random() < 0.5 else oracle)
        assert saw_masked
    finally:
        envs.close()


def test_slate_and_box_vector_envs_sample_valid_actions(address, rng):
    for env_id in ("SlateRanking-v0", "BudgetPacing-v0"):
        envs = AdVectorEnv(env_id, 8, address=address)
        try:
            envs.reset(seed=1)
            for _ in range(30):
                envs.step(envs.sample_valid_actions(rng))
            oracle = envs.oracle_actions()
            assert oracle.shape == (8, *envs.single_action_space.shape)
            envs.step(oracle)
        finally:
            envs.close()


def test_a_batch_with_one_invalid_action_is_refused_whole_and_changes_nothing(address):
    envs = AdVectorEnv("BannerBandit-v0", 5, address=address)
    twin = AdVectorEnv("BannerBandit-v0", 5, address=address)
    try:
        envs.reset(seed=3)
        twin.reset(seed=3)
        with pytest.raises(InvalidActionError) as info:
            envs.step(np.array([0, 1, 2, 9, 3]))
        assert info.value.index == 3 and info.value.reason == "out_of_space"
        with pytest.raises(InvalidActionError) as info:
            envs.step(np.array([0, 1, 2]))
        assert info.value.reason == "wrong_count" and info.value.local
        actions = np.array([0, 1, 2, 3, 0])
        a, b = envs.step(actions), twin.step(actions)
        assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist()
    finally:
        envs.close()
        twin.close()


def test_reset_with_a_seed_per_copy_and_step_before_reset(address):
    envs = AdVectorEnv("ContextualBanner-v0", 3, address=address)
    single = AdEnv("ContextualBanner-v0", address=address)
    try:
        with pytest.raises(NeedsResetError):
            envs.step(np.zeros(3, dtype=np.int64))
        obs, _ = envs.reset(seed=[5, None, 2**63])
        assert obs[0].tolist() == single.reset(seed=5)[0].tolist()
        assert obs[2].tolist() == single.reset(seed=2**63)[0].tolist()
        with pytest.raises(ValueError):
            envs.reset(seed=[1, 2])
        with pytest.raises(ValueError):
            envs.reset(seed=-1)
    finally:
        envs.close()
        single.close()


def test_close_is_idempotent(address):
    envs = AdVectorEnv("BannerBandit-v0", 2, address=address)
    envs.close()
    envs.close()
    assert envs.closed
    with pytest.raises(adenv.ClosedError):
        envs.reset()


def test_masked_sampling_is_uniform_over_the_valid_actions():
    from adenv.vector import _sample_masked

    mask = np.array([[1, 0, 1, 1, 0], [0, 0, 0, 0, 1], [0, 0, 0, 0, 0]] * 4000, dtype=np.uint8)
    picks = _sample_masked(mask, np.random.default_rng(3)).reshape(-1, 3)
    assert set(picks[:, 1]) == {4} and set(picks[:, 2]) == {0}
    counts = np.bincount(picks[:, 0], minlength=5)
    assert counts[1] == counts[4] == 0
    assert np.all(np.abs(counts[[0, 2, 3]] / 4000 - 1 / 3) < 0.03)  # 4000 draws: sd of a share is 0.0075


def test_big_batches_received_without_copying_decode_like_small_ones(address):
    big = AdVectorEnv("AdMarket-v0", 1024, address=address)  # 196 KB of observations: zmq.Frame path
    small = AdVectorEnv("AdMarket-v0", 4, address=address)  # bytes path
    try:
        assert not big._session.copy_replies and small._session.copy_replies
        obs_big, _ = big.reset(seed=30)
        obs_small, _ = small.reset(seed=30)
        assert obs_big[:4].tolist() == obs_small.tolist()
        for _ in range(5):
            actions = np.full(1024, 6)  # the exchange: always valid
            step_big, step_small = big.step(actions), small.step(actions[:4])
            for a, b in zip(step_big[:4], step_small[:4]):
                assert a[:4].tolist() == b.tolist()
            assert step_big[4]["cost"][:4].tolist() == step_small[4]["cost"].tolist()
    finally:
        big.close()
        small.close()
