"""Uploaded CSV points: huge coordinates, quoted cells, byte-order marks, and the line named in
every error (the lab's API is tested in tests/web/test_security.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuronlab.data.points_csv import CSVError, fit_to_plane, read_points_csv


@pytest.mark.parametrize("big", [1e308, 1.7976931348623157e308, -1e308])
def test_coordinates_near_the_float_limit_are_scaled_without_overflow(big):
    text = f"{big},0,a\n{-big},0,b\n0,{big},a\n0,{-big},b\n"
    points = np.array(read_points_csv(text)["points"])
    assert np.isfinite(points).all()
    expected = np.array([[5.5, 0], [-5.5, 0], [0, 5.5], [0, -5.5]]) * math.copysign(1, big)
    np.testing.assert_allclose(points[:, :2], expected)


def test_fit_to_plane_matches_the_direct_formula_where_that_cannot_overflow():
    xy = np.random.default_rng(3).normal(size=(50, 2)) * 1e3 + 7
    scaled, centre, factor = fit_to_plane(xy, 5.5)
    direct_centre = (xy.max(axis=0) + xy.min(axis=0)) / 2
    direct_half = np.abs(xy - direct_centre).max()
    np.testing.assert_allclose(centre, direct_centre)
    np.testing.assert_allclose(scaled, (xy - direct_centre) / direct_half * 5.5, atol=1e-12)
    assert factor == pytest.approx(5.5 / direct_half)


def test_quoted_numbers_are_numbers():
    out = read_points_csv('"x1","x2","label"\n"0","0","a"\n"1.5", "2",b\n"3","0",a\n0,"3",b\n')
    assert out["rows"] == 4 and out["class_names"] == ["a", "b"]


def test_only_the_first_row_can_be_a_header_and_errors_name_the_line():
    with pytest.raises(CSVError, match=r"^line 3: 'p' is not a finite number"):
        read_points_csv("x1,x2,label\n0,0,a\np,q,b\n1,1,a\n")


@pytest.mark.parametrize("bom", ["\ufeff", b"\xef\xbb\xbf"])
def test_a_byte_order_mark_is_not_part_of_the_first_number(bom):
    body = "0,0,a\n1,0,b\n0,1,a\n1,1,b\n"
    data = bom + body if isinstance(bom, str) else bom + body.encode()
    assert read_points_csv(data)["rows"] == 4


def test_unreadable_lines_are_named():
    huge = "b" * 140_000  # longer than the csv module reads in one field
    with pytest.raises(CSVError, match=r"line 2: the line cannot be read as CSV \(field larger"):
        read_points_csv(f"0,0,a\n1,1,{huge}\n")
