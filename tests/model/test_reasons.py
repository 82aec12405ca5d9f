"""The reason-code kernel against its numpy twin (ties, fewer losers than k, layouts)."""

import numpy as np
import pytest

from scorecard.model._reasons import top_losses, top_losses_reference


@pytest.mark.parametrize("k", [1, 3, 8])
@pytest.mark.parametrize("order", ["C", "F"])
def test_kernel_equals_the_numpy_twin_with_ties(k, order):
    rng = np.random.default_rng(k)
    per_bin = [rng.integers(-20, 40, size=rng.integers(2, 7)).astype(float) for _ in range(6)]
    bins = [rng.integers(0, len(v), size=5000) for v in per_bin]
    points = np.array(np.column_stack([v[b] for v, b in zip(per_bin, bins)]), order=order)
    got = top_losses(points, per_bin, k)
    assert np.array_equal(got, top_losses_reference(points, per_bin, k))
    # Ties exist and rows without k losers get the "no reason" index.
    assert (got == len(per_bin)).any()
    if k <= 6:
        losses = np.max(per_bin[0]) - points[:, 0]
        assert (losses > 0).any()


def test_best_row_has_no_reason_and_ties_go_to_the_first_characteristic():
    per_bin = [np.array([0.0, 10.0]), np.array([5.0, 15.0]), np.array([1.0, 2.0])]
    points = np.array([[10.0, 15.0, 2.0], [0.0, 5.0, 2.0], [0.0, 15.0, 1.0]])
    got = top_losses(points, per_bin, 3)
    assert got.tolist() == [[3, 3, 3], [0, 1, 3], [0, 2, 3]]
    assert np.array_equal(got, top_losses_reference(points, per_bin, 3))


def test_single_characteristic_and_no_rows():
    per_bin = [np.array([1.0, 3.0])]
    points = np.array([[1.0], [3.0]])
    assert top_losses(points, per_bin, 2).tolist() == [[0, 1], [1, 1]]
    assert top_losses(np.empty((0, 1)), per_bin, 2).shape == (0, 2)
