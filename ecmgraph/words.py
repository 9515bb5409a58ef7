"""How ecmgraph words a number of things in its messages: "1 triple", "12 triples", "1 authority"."""

from __future__ import annotations


def counted(number: int, one: str, many: str | None = None) -> str:
    """``number`` with the noun ``one`` or, for any other number, ``many`` (default: ``one`` and an s, or es
    after ch, sh, s or x), with thousands separated: ``counted(1, "triple")`` is "1 triple", ``counted(1200,
    "breach")`` "1,200 breaches"."""
    if number == 1:
        return f"1 {one}"
    if many is None:
        many = one + ("es" if one.endswith(("ch", "sh", "s", "x")) else "s")
    return f"{number:,} {many}"
