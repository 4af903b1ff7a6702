"""Given-name equivalence from the packaged nickname table (`data/nicknames.csv`).

`same_given_name(a, b)` is True when one line of the table holds both names (upper or
lower case, already normalised); names are never chained across lines.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _groups() -> dict[str, frozenset[int]]:
    """Each name mapped to the indices of the lines (groups) that hold it."""
    text = resources.files("pipeline.matching").joinpath("data", "nicknames.csv").read_text("utf-8")
    index: dict[str, set[int]] = {}
    for number, raw in enumerate(text.splitlines()):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        for name in line.split(","):
            if name.strip():
                index.setdefault(name.strip().upper(), set()).add(number)
    return {name: frozenset(lines) for name, lines in index.items()}


@cache
def _members() -> dict[int, frozenset[str]]:
    """Each line (group) of the table mapped to the names it holds."""
    out: dict[int, set[str]] = {}
    for name, lines in _groups().items():
        for line in lines:
            out.setdefault(line, set()).add(name)
    return {line: frozenset(names) for line, names in out.items()}


def name_forms(name: str) -> frozenset[str]:
    """`name` and every name a line of the table gives for it ("ELIZABETH": LIZ, BETH...)."""
    up = name.upper()
    members = _members()
    return frozenset({up}.union(*(members[line] for line in _groups().get(up, ()))))


def same_given_name(a: str, b: str) -> bool:
    """True when `a` and `b` are the same name or one stands for the other."""
    a, b = a.upper(), b.upper()
    if a == b:
        return True
    groups = _groups()
    return bool(groups.get(a, frozenset()) & groups.get(b, frozenset()))


def is_given_name(name: str) -> bool:
    """True when the table knows `name` as a given name or a nickname ("BILL")."""
    return name.upper().strip(".,") in _groups()


def table_size() -> int:
    """How many distinct names the table knows."""
    return len(_groups())
