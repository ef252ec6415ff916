"""Coordinates and lens maths: the original call forms, correct maths, errors not defaults."""

import math

import pytest

from cinematic.tracking import (
    InvalidValueError,
    convert_yup_to_zup_position,
    convert_yup_to_zup_rotation,
    convert_zup_to_yup_position,
    convert_zup_to_yup_rotation,
    focal_length_to_fov,
    fov_to_focal_length,
)


def rx(a):
    c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
    return [[1, 0, 0], [0, c, -s], [0, s, c]]


def ry(a):
    c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
    return [[c, 0, s], [0, 1, 0], [-s, 0, c]]


def rz(a):
    c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
    return [[c, -s, 0], [s, c, 0], [0, 0, 1]]


def mul(*ms):
    out = [[1.0 if i == j else 0.0 for j in range(3)] for i in range(3)]
    for m in ms:
        out = [[sum(out[i][k] * m[k][j] for k in range(3)) for j in range(3)] for i in range(3)]
    return out


def blender_xyz(angles):  # Blender Euler XYZ: R = Rz·Ry·Rx
    x, y, z = angles
    return mul(rz(z), ry(y), rx(x))


def nuke_zxy(angles):  # Nuke ZXY (Z applied first): R = Ry·Rx·Rz
    x, y, z = angles
    return mul(ry(y), rx(x), rz(z))


def close(a, b, tol=1e-9):
    return all(abs(a[i][j] - b[i][j]) < tol for i in range(3) for j in range(3))


def test_position_conversion_keeps_the_camera_above_the_floor():
    # Y-up (x, y, z) is Z-up (x, -z, y): a camera 2 units up stays 2 units up.
    assert convert_yup_to_zup_position(1.0, 2.0, 3.0) == (1.0, -3.0, 2.0)
    # The original returned (x, z, -y) = (1, 3, -2): the inverse, under the floor.
    assert convert_yup_to_zup_position(1.0, 2.0, 3.0) != (1.0, 3.0, -2.0)
    assert convert_yup_to_zup_position(0, 2, 0)[2] == 2.0
    assert convert_zup_to_yup_position(*convert_yup_to_zup_position(1, 2, 3)) == (1.0, 2.0, 3.0)


def test_positions_accept_one_sequence_of_three():
    class Vector:
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return (1.0, 2.0, 3.0)[i]

    assert convert_yup_to_zup_position([1, 2, 3]) == (1.0, -3.0, 2.0)
    assert convert_yup_to_zup_position(Vector()) == (1.0, -3.0, 2.0)
    assert convert_zup_to_yup_position((1, -3, 2)) == (1.0, 2.0, 3.0)
    with pytest.raises(TypeError):
        convert_yup_to_zup_position(1.0, 2.0)
    with pytest.raises(ValueError):
        convert_yup_to_zup_position([1, 2])
    with pytest.raises(TypeError):
        convert_yup_to_zup_position("abc")


def test_rotation_conversion_is_a_left_multiply_by_rx_90_compared_as_matrices():
    for angles in [(0, 0, 0), (10, 20, 30), (-12.5, 145, 7.25), (170, 80, 170), (0, 90, 0)]:
        blender = convert_yup_to_zup_rotation(*angles)
        assert close(blender_xyz(blender), mul(rx(90), nuke_zxy(angles))), angles
    # Another source order: the same rule.
    angles = (10, 20, 30)
    blender = convert_yup_to_zup_rotation(*angles, order="XYZ")
    assert close(blender_xyz(blender), mul(rx(90), blender_xyz(angles)))
    assert convert_yup_to_zup_rotation(list(angles)) == convert_yup_to_zup_rotation(*angles)


def test_the_originals_rotation_formula_was_wrong():
    # A Nuke camera at rest looks down -Z (horizontal); in Blender it must look down +Y.
    view = lambda m: tuple(-m[i][2] for i in range(3))  # noqa: E731  (local -Z in world)
    ours = convert_yup_to_zup_rotation(0, 0, 0)
    assert all(abs(a - b) < 1e-12 for a, b in zip(view(blender_xyz(ours)), (0.0, 1.0, 0.0)))
    original = (0, 0 - 90, 0)  # the original's (rx, ry - 90, rz)
    assert not close(blender_xyz(original), blender_xyz(ours))
    assert all(abs(a - b) < 1e-12 for a, b in zip(view(blender_xyz(original)), (1.0, 0.0, 0.0)))


def test_zup_to_yup_rotation_inverts_the_conversion():
    for angles in [(10, 20, 30), (-40, 5, 100)]:
        back = convert_zup_to_yup_rotation(*convert_yup_to_zup_rotation(*angles))
        assert close(nuke_zxy(back), nuke_zxy(angles)), angles


def test_fov_and_focal_length_use_the_originals_horizontal_defaults():
    focal = fov_to_focal_length(45.0, 36.0)
    assert 40 < focal < 45  # the original's own doctest
    assert focal == pytest.approx(36.0 / (2 * math.tan(math.radians(22.5))), rel=1e-12)
    assert fov_to_focal_length(45.0) == focal
    assert focal_length_to_fov(focal) == pytest.approx(45.0, rel=1e-12)
    vertical = fov_to_focal_length(29.870985349889903, 24.576, axis="vertical", sensor_height=18.672)
    assert vertical == pytest.approx(35.0, abs=1e-9)
    assert focal_length_to_fov(35.0, 36.0, axis="diagonal", sensor_height=24.0) == pytest.approx(
        math.degrees(2 * math.atan(math.hypot(36, 24) / 70)), rel=1e-12
    )


@pytest.mark.parametrize("fov", [0.0, -10.0, 180.0, 200.0, math.nan, math.inf])
def test_bad_fovs_raise_instead_of_a_silent_50mm(fov):
    with pytest.raises(ValueError) as error:
        fov_to_focal_length(fov)
    assert isinstance(error.value, InvalidValueError)


@pytest.mark.parametrize("focal", [0.0, -35.0, math.nan, math.inf])
def test_bad_focal_lengths_raise_instead_of_a_silent_45_degrees(focal):
    with pytest.raises(ValueError):
        focal_length_to_fov(focal)


def test_bad_sensor_and_axis_raise():
    with pytest.raises(ValueError):
        fov_to_focal_length(45.0, 0.0)
    with pytest.raises(ValueError):
        fov_to_focal_length(45.0, axis="sideways")
    with pytest.raises(ValueError):
        convert_yup_to_zup_rotation(0, 0, 0, order="ABC")
