"""Ranks for every ranking on the site (points, news views): equal scores share a rank and the
next rank counts the places taken, 1, 2, 2, 4 (standard competition ranking)."""

from collections.abc import Sequence


def competition_ranks(scores: Sequence) -> list[int]:
    """The rank of each score of `scores`, which are sorted best first."""
    ranks: list[int] = []
    for place, score in enumerate(scores, start=1):
        ranks.append(ranks[-1] if ranks and score == scores[place - 2] else place)
    return ranks
