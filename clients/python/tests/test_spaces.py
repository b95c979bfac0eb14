"""SPEC space descriptions -> Gymnasium spaces (no server needed)."""

import numpy as np
import pytest
from gymnasium import spaces

from adenv.errors import ProtocolError
from adenv.spaces import (
    DistinctMultiDiscrete,
    action_space_from_spec,
    observation_space_from_spec,
    space_from_description,
)


def test_discrete_keeps_n_and_start():
    space = space_from_description({"type": "Discrete", "n": 5, "start": -2, "dtype": "int64"})
    assert isinstance(space, spaces.Discrete) and space.n == 5 and space.start == -2
    assert -2 in space and 3 not in space


def test_box_null_bounds_are_infinite_and_dtype_is_float32():
    space = space_from_description(
        {"type": "Box", "low": [0, None, -1, None], "high": [1, 2, None, None], "shape": [2, 2], "dtype": "float32"}
    )
    assert isinstance(space, spaces.Box) and space.dtype == np.float32 and space.shape == (2, 2)
    assert space.low.tolist() == [[0, -np.inf], [-1, -np.inf]]
    assert space.high.tolist() == [[1, 2], [np.inf, np.inf]]


def test_multidiscrete_multibinary_and_dict():
    md = space_from_description({"type": "MultiDiscrete", "nvec": [3, 4], "dtype": "int64"})
    assert isinstance(md, spaces.MultiDiscrete) and md.nvec.tolist() == [3, 4] and md.dtype == np.int64
    mb = space_from_description({"type": "MultiBinary", "n": 3, "dtype": "int8"})
    assert isinstance(mb, spaces.MultiBinary) and mb.n == 3
    d = space_from_description(
        {"type": "Dict", "spaces": {"a": {"type": "Discrete", "n": 2}, "b": {"type": "MultiBinary", "n": 1}}}
    )
    assert isinstance(d, spaces.Dict) and list(d.spaces) == ["a", "b"] and d["a"].n == 2


@pytest.mark.parametrize(
    "description",
    [
        None,
        {"type": "Tuple"},
        {"type": "Discrete"},
        {"type": "Box", "low": [0], "high": [1, 2], "shape": [2]},
        {"type": "Box", "low": ["x", 0], "high": [1, 2], "shape": [2]},
        {"type": "Dict", "spaces": [1]},
    ],
)
def test_malformed_descriptions_raise_protocol_errors(description):
    with pytest.raises(ProtocolError):
        space_from_description(description)


def test_slate_scenarios_get_a_distinct_items_action_space():
    spec = {
        "kind": "slate-ranking",
        "observation_space": {"type": "Box", "low": [0], "high": [1], "shape": [1], "dtype": "float32"},
        "action_space": {"type": "MultiDiscrete", "nvec": [6, 6, 6], "dtype": "int64"},
    }
    space = action_space_from_spec(spec)
    assert isinstance(space, DistinctMultiDiscrete)
    space.seed(0)
    for _ in range(200):
        sample = space.sample()
        assert sample in space and len(set(sample.tolist())) == 3
    assert np.array([1, 1, 2]) not in space
    assert np.array([0, 5, 2]) in space
    assert isinstance(observation_space_from_spec(spec), spaces.Box)
    other = dict(spec, kind="ad-market")
    assert type(action_space_from_spec(other)) is spaces.MultiDiscrete
