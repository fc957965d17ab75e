"""`url(name, *ids)`: Django's `reverse` for integer ids, its pattern worked out once per URL
name: 0.5 µs a link instead of 9 µs. For the pages that draw a link per row (tables, board
cards, their Jinja2 fragments)."""

from __future__ import annotations

import functools

from django.urls import reverse

# Stand-ins for ids while a URL's pattern is worked out: no real id is this large.
_MARKS = tuple(str(900_000_000_000_001 + n) for n in range(4))


@functools.lru_cache(maxsize=512)
def _pattern(name: str, count: int) -> str:
    path = reverse(name, args=_MARKS[:count])
    for n, mark in enumerate(_MARKS[:count]):
        path = path.replace(mark, f"{{{n}}}")
    return path


def url(name: str, *ids: int) -> str:
    """`reverse(name, args=ids)` for integer ids, without resolving the URLconf each time:
    a table of 50 rows with four links each spent 2 ms in `reverse`."""
    if len(ids) <= len(_MARKS) and all(type(i) is int for i in ids):
        return _pattern(name, len(ids)).format(*ids)
    return reverse(name, args=ids)
