"""_core.ParetoSketch (custometrics/pareto_sketch.hpp) through the bindings: hand-worked bounds,
merging equal to sketching the union, the bins round trip through from_bins (as
custometrics.spark.pareto_fast merges them), and errors."""

import numpy as np
import pytest

import custometrics as cm
from custometrics import _core


def test_hand_worked_bin():
    # eps = 1: one octave bin [4, 8) holds 7, 6, 5, 4 (c = 4, s = 22, m = 4, M = 7); Gini in
    # [9/88, 12/88] (splits 7, 5.5, 5.5, 4 and 7, 7, 4, 4; pareto_sketch.hpp), true 10/88.
    s = _core.ParetoSketch(1.0)
    s.add(np.array([7.0, 6.0, 5.0, 4.0, 0.0, -2.0]))
    assert (s.count, s.total, s.nonpositive_count, s.nonpositive_total) == (4, 22.0, 2, -2.0)
    index, count, total, low, high = s.bins()
    assert (count.tolist(), total.tolist(), low.tolist(), high.tolist()) == ([4], [22.0], [4.0],
                                                                              [7.0])
    f = s.figures()
    assert (f.gini.lower, f.gini.upper) == pytest.approx((9 / 88, 12 / 88))
    assert f.gini.lower <= cm.gini([7.0, 6.0, 5.0, 4.0]).gini <= f.gini.upper
    # S(3) in [7 + 2 * 5.5, min(21, 22 - 4)] = [18, 18] >= 17.6: 3 of 4 make 80%.
    assert (f.entities_for_80pct.lower, f.entities_for_80pct.upper) == (0.75, 0.75)
    assert f.top20_share.estimate == pytest.approx(7 / 22)


def test_merge_and_from_bins_round_trip():
    rng = np.random.default_rng(3)
    v = rng.lognormal(2.0, 2.0, 2000)
    whole = _core.ParetoSketch(0.01)
    whole.add(v)
    a = _core.ParetoSketch(0.01)
    a.add(v[:700])
    b = _core.ParetoSketch(0.01)
    b.add(v[700:])
    a.merge(b)
    for x, y in zip(a.bins(), whole.bins()):
        np.testing.assert_allclose(x, y, rtol=1e-13)
    again = _core.ParetoSketch.from_bins(0.01, *a.bins(), 0, 0.0)
    f, g = again.figures(), whole.figures()
    assert f.gini.lower == pytest.approx(g.gini.lower, rel=1e-12)
    exact = cm.pareto(v)
    assert f.gini.lower <= exact.gini <= f.gini.upper  # bounds allow for rounding
    assert f.top20_share.lower <= exact.top20_share <= f.top20_share.upper


def test_errors():
    with pytest.raises(ValueError, match=r"eps: the relative bin width must be in \(0, 1\], got 0"):
        _core.ParetoSketch(0.0)
    s = _core.ParetoSketch(0.01)
    with pytest.raises(ValueError, match=r"values: entity 1: value is nan"):
        s.add(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match=r"cannot merge sketches of different precision"):
        s.merge(_core.ParetoSketch(0.5))
    with pytest.raises(ValueError, match=r"rule: expected 'before' or 'including'"):
        s.figures(rule="after")
    with pytest.raises(ValueError, match=r"count is 0"):
        _core.ParetoSketch.from_bins(0.01, np.array([130944]), np.array([0]), np.array([0.0]),
                                     np.array([1.0]), np.array([1.0]), 0, 0.0)
    with pytest.raises(ValueError, match=r"the same length"):
        _core.ParetoSketch.from_bins(0.01, np.array([1, 2]), np.array([1]), np.array([1.0]),
                                     np.array([1.0]), np.array([1.0]), 0, 0.0)
