"""Ranks on every ranking: equal scores share a rank, and the next counts the places taken."""

import pytest

from portal.rankings import competition_ranks


@pytest.mark.parametrize(
    ("scores", "ranks"),
    [
        ([], []),
        ([9], [1]),
        ([50, 30, 30, 10], [1, 2, 2, 4]),
        ([7, 7, 7], [1, 1, 1]),
        ([5, 4, 3], [1, 2, 3]),
        ([9, 9, 8, 8, 1], [1, 1, 3, 3, 5]),
    ],
)
def test_equal_scores_share_a_rank(scores, ranks):
    assert competition_ranks(scores) == ranks
