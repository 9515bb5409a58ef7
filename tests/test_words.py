"""How messages word a number of things."""

from __future__ import annotations

import pytest

from ecmgraph.words import counted


@pytest.mark.parametrize(
    ("number", "one", "many", "words"),
    [
        (1, "triple", None, "1 triple"),
        (0, "triple", None, "0 triples"),
        (12, "request", None, "12 requests"),
        (1421, "gap", None, "1,421 gaps"),
        (2, "breach", None, "2 breaches"),
        (3, "box", None, "3 boxes"),
        (1, "authority", "authorities", "1 authority"),
        (152, "authority", "authorities", "152 authorities"),
    ],
)
def test_one_thing_is_singular_and_any_other_number_plural(number: int, one: str, many: str | None, words: str) -> None:
    assert counted(number, one, many) == words
