"""The codec against bytes built by hand (no server needed)."""

import json
import struct

import numpy as np
import pytest

from adenv import protocol
from adenv.errors import (
    AdEnvError,
    BadScenarioError,
    CapacityError,
    InvalidActionError,
    ProtocolError,
    UnknownSessionError,
)


def test_header_is_24_little_endian_bytes_in_the_documented_layout():
    frame = protocol.pack_header(protocol.MessageType.STEP, session=0x1234, seq=5)
    assert frame == bytes.fromhex("41444556" "01" "00" "04" "00" "3412000000000000" "0500000000000000")
    assert len(frame) == protocol.HEADER_SIZE == 24


def test_header_round_trips_every_field_at_its_extremes():
    for type_ in protocol.MessageType:
        for session, seq in ((0, 0), (1, 2), (2**64 - 1, 2**64 - 1)):
            header = protocol.unpack_header(protocol.pack_header(type_, session=session, seq=seq, status=1))
            assert (header.type, header.session, header.seq, header.status) == (type_, session, seq, 1)
            assert header.is_error


def test_pack_header_refuses_fields_that_do_not_fit():
    with pytest.raises(ValueError):
        protocol.pack_header(1, session=2**64)
    with pytest.raises(ValueError):
        protocol.pack_header(1, seq=-1)
    with pytest.raises(ValueError):
        protocol.pack_header(256)


@pytest.mark.parametrize(
    "frame",
    [b"", b"ADEV", b"ADEV" + bytes(19), b"ADEV" + bytes(21), b"XDEV\x01\x00\x01\x00" + bytes(16)],
)
def test_unpack_header_refuses_wrong_length_and_magic(frame):
    with pytest.raises(ProtocolError):
        protocol.unpack_header(frame)


def test_unpack_header_refuses_another_major_version_and_accepts_any_minor():
    with pytest.raises(ProtocolError, match="protocol 2"):
        protocol.unpack_header(struct.pack("<4sBBBBQQ", b"ADEV", 2, 0, 1, 0, 0, 0))
    assert protocol.unpack_header(struct.pack("<4sBBBBQQ", b"ADEV", 1, 7, 1, 0, 0, 3)).minor == 7


def test_tensor_is_a_zero_copy_view_of_the_frame_with_the_declared_shape():
    payload = np.arange(6, dtype="<f4").tobytes()
    view = protocol.tensor(payload, protocol.OBS_DTYPE, (2, 3), "observations")
    assert view.shape == (2, 3) and view.dtype == np.float32
    assert view[1, 2] == 5.0
    assert not view.flags.writeable  # a view of immutable bytes, not a copy
    assert np.shares_memory(view, np.frombuffer(payload, dtype="<f4"))


def test_tensor_accepts_zero_length_frames_for_empty_shapes():
    assert protocol.tensor(b"", protocol.MASK_DTYPE, (4, 0), "masks").shape == (4, 0)


@pytest.mark.parametrize("length", [0, 23, 25, 48])
def test_tensor_refuses_frames_whose_length_does_not_match(length):
    with pytest.raises(ProtocolError, match="expected 24"):
        protocol.tensor(bytes(length), protocol.OBS_DTYPE, (2, 3), "observations")


def test_tensor_frame_is_zero_copy_for_contiguous_arrays_of_the_wire_dtype():
    actions = np.array([1, 4], dtype=np.int64)
    frame = protocol.tensor_frame(actions, protocol.ACTION_DTYPES["int64"])
    assert bytes(frame) == bytes.fromhex("0100000000000000" "0400000000000000")
    assert np.shares_memory(np.frombuffer(frame, dtype=np.int64), actions)
    converted = protocol.tensor_frame(np.array([[0.5], [2]], dtype=np.float64), protocol.ACTION_DTYPES["float32"])
    assert np.frombuffer(converted, dtype="<f4").tolist() == [0.5, 2.0]


def test_json_frames_are_compact_utf8_objects_and_refuse_nan():
    assert protocol.encode_json({"env": "Ä", "n": 1}) == '{"env":"Ä","n":1}'.encode()
    with pytest.raises(ValueError):
        protocol.encode_json({"x": float("nan")})
    assert protocol.decode_json(b'{"a": [1, null]}') == {"a": [1, None]}
    for bad in (b"[1]", b"\xff", b"{"):
        with pytest.raises(ProtocolError):
            protocol.decode_json(bad)


def test_seeds_are_u64_and_large_ones_travel_as_strings():
    assert protocol.seeds_field(None) is None
    assert protocol.seeds_field(7) == 7
    assert protocol.seeds_field(np.uint64(2**53)) == 2**53
    assert protocol.seeds_field(2**64 - 1) == "18446744073709551615"
    assert protocol.seeds_field([1, None, 2**60]) == [1, None, str(2**60)]
    for bad in (-1, 2**64, 1.5, True, "3"):
        with pytest.raises(ValueError):
            protocol.seeds_field(bad)


def test_error_replies_map_to_typed_exceptions_with_their_details():
    error = protocol.error_from_reply(
        {"code": "INVALID_ACTION", "message": "env 3: masked", "retryable": False, "index": 3, "reason": "masked"}
    )
    assert isinstance(error, InvalidActionError) and isinstance(error, ValueError)
    assert (error.code, error.index, error.reason, error.retryable) == ("INVALID_ACTION", 3, "masked", False)
    assert "env 3" in str(error)
    scenario = protocol.error_from_reply({"code": "BAD_SCENARIO", "message": "m", "retryable": False, "field": "parameters.x"})
    assert isinstance(scenario, BadScenarioError) and scenario.field == "parameters.x"
    assert isinstance(protocol.error_from_reply({"code": "CAPACITY", "message": "", "retryable": True}), CapacityError)
    assert isinstance(protocol.error_from_reply({"code": "UNKNOWN_SESSION", "message": ""}), UnknownSessionError)
    future = protocol.error_from_reply({"code": "SOMETHING_NEW", "message": "later minor", "retryable": True})
    assert type(future) is AdEnvError and future.code == "SOMETHING_NEW" and future.retryable


def test_every_documented_code_has_its_own_exception_class():
    classes = {type(protocol.error_from_reply({"code": code.value})) for code in protocol.ErrorCode}
    assert len(classes) == len(protocol.ErrorCode) and AdEnvError not in classes


def test_errors_survive_pickling():
    import pickle

    error = InvalidActionError("INVALID_ACTION", "bad", False, 2, reason="out_of_space")
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is InvalidActionError and clone.index == 2 and clone.reason == "out_of_space"
