"""Queries compiled once: the hot pages' fixed-shape reads skip Django's SQL compiler.

Turning a queryset into SQL is most of what the ORM costs on the hot pages: on the candidate
page the compiler took about 40 % of the time the page spent building its data, more than
the database took to answer (`bench/pipeline.py`). Most of those queries have the same
shape on every request, only the ids in them change: "the stage changes of applications
(a, b, c), with their stages and actors".

`@compiled` marks a function that builds such a queryset from values (an int, a string or
an aware datetime, or a list of ints, per argument) and nothing else. The queryset it
returns is an ordinary one, but when it is run as it is, its SQL comes from a cache: the
builder's queryset is compiled once per process, database and shape (the length of each
list), with stand-in values ("probes") whose places in the SQL's parameters are then filled
with the real ones. A probe the database layer changes on its way into the SQL (SQLite
turns datetimes into text; `startswith` adds a `%`) is not found there, and that shape is
then compiled as usual every time. Anything done to the queryset afterwards (`filter`,
`get`, `count`, `exists`, a slice, use as a subquery) works on a copy, which compiles as
usual.

The rule for a builder: its SQL may depend on its lists' lengths only, never on their
values, and on nothing else (not the user's roles, not the time, not a setting). Visibility
is decided before, by the caller: a builder gets ids the user may already see. Under the
tests, `CHECK` is on: every use also compiles the queryset as usual and fails loudly if the
two differ, so a builder that breaks the rule fails its page's tests.

django-prepared-queries does this too, but it has not been kept up since Django 2.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar, cast

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query

P = ParamSpec("P")
Q = TypeVar("Q", bound=QuerySet[Any])

CHECK = False  # tests/conftest.py: compare each cached SQL with the compiler's own
MAX_SHAPES = 2_000  # per process; beyond it, new shapes compile as usual
# Int probes: near the top of a 32-bit integer column's range, as PostgreSQL's Django
# drops a lookup on a value its column cannot hold (the query becomes empty).
PROBE = 2_147_000_001
SCALARS = (int, str, dt.datetime)


@dataclass(frozen=True)
class _Use:
    """What a query needs to be compiled from the cache: its builder, the shape of its
    arguments (a scalar's type, or a list's length) and the real values, flattened."""

    build: Callable[..., QuerySet[Any]]
    shape: tuple[type | int, ...]
    values: tuple[Any, ...]


@dataclass(frozen=True)
class _Entry:
    sql: str
    params: tuple[Any, ...]  # the probes' parameters; those at `slots` are replaced
    slots: tuple[tuple[int, int], ...]  # (index in params, index in the real values)
    state: dict[str, Any]  # what the compiler sets while compiling: its columns, models


_UNCACHEABLE = _Entry("", (), (), {})
_cache: dict[tuple[Any, ...], _Entry] = {}
# What the iterables read from a compiler after as_sql (ModelIterable, results_iter).
_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")


def compiled(build: Callable[P, Q]) -> Callable[P, Q]:
    """The builder, its querysets compiled once per shape (see the module's docstring)."""

    builder = cast(Callable[..., Q], build)

    @functools.wraps(build)
    def run(*args: Any) -> Any:
        values: list[Any] = []
        shape: list[type | int] = []
        for arg in args:
            if type(arg) in SCALARS and not (isinstance(arg, dt.datetime) and arg.tzinfo is None):
                values.append(arg)
                shape.append(type(arg))
            elif isinstance(arg, list | tuple) and arg and all(type(i) is int for i in arg):
                unique = list(dict.fromkeys(arg))  # Django drops repeats from IN lists
                values.append(unique)
                shape.append(len(unique))
            else:  # None, an empty list, anything else: an ordinary queryset
                return builder(*args)
        queryset = builder(*values)
        flat = itertools.chain.from_iterable(v if isinstance(v, list) else (v,) for v in values)
        queryset.query.__class__ = _CompiledQuery
        queryset.query.compiled_use = _Use(build, tuple(shape), tuple(flat))  # type: ignore[attr-defined]
        return queryset

    return run  # type: ignore[return-value]


class _CompiledQuery(Query):
    compiled_use: _Use

    def clone(self) -> Query:
        # Any change to the queryset makes a copy: an ordinary query, compiled as usual.
        copy = super().clone()
        copy.__class__ = Query
        copy.__dict__.pop("compiled_use", None)
        return copy

    def get_compiler(
        self, using: str | None = None, connection: Any = None, elide_empty: bool = True
    ) -> SQLCompiler:
        compiler = super().get_compiler(using, connection, elide_empty)
        compiler.as_sql = functools.partial(_as_sql, compiler, self.compiled_use)
        return compiler


def _as_sql(
    compiler: SQLCompiler, use: _Use, with_limits: bool = True, with_col_aliases: bool = False
) -> tuple[str, tuple[Any, ...]]:
    key = (use.build, use.shape, compiler.connection.alias, with_limits, with_col_aliases)
    entry = _cache.get(key)
    if entry is None:
        entry = _compile(use, compiler.connection, with_limits, with_col_aliases)
        if len(_cache) < MAX_SHAPES:
            _cache[key] = entry
    if entry is _UNCACHEABLE:
        return _compiler_sql(compiler, with_limits, with_col_aliases)
    params = list(entry.params)
    for at, index in entry.slots:
        params[at] = use.values[index]
    if CHECK:
        expected = _compiler_sql(compiler, with_limits, with_col_aliases)
        if expected != (entry.sql, tuple(params)):
            raise AssertionError(
                f"{use.build.__qualname__} is not a fixed shape: its SQL depends on more "
                f"than its ids' number.\ncached:   {entry.sql} {params}\ncompiled: {expected}"
            )
    for name, value in entry.state.items():
        setattr(compiler, name, value)
    return entry.sql, tuple(params)


def _compiler_sql(
    compiler: SQLCompiler, with_limits: bool, with_col_aliases: bool
) -> tuple[str, tuple[Any, ...]]:
    """The compiler's own SQL (its class's as_sql, not the cache's)."""
    sql, params = type(compiler).as_sql(compiler, with_limits, with_col_aliases)
    return sql, tuple(params)


def _compile(use: _Use, connection: Any, with_limits: bool, with_col_aliases: bool) -> _Entry:
    """The builder's SQL with probes for values, and where each probe landed in its
    parameters."""
    numbers = itertools.count()
    args: list[Any] = [
        [_probe(int, next(numbers)) for _ in range(part)]
        if isinstance(part, int)
        else _probe(part, next(numbers))
        for part in use.shape
    ]
    flat = itertools.chain.from_iterable(a if isinstance(a, list) else (a,) for a in args)
    probes = {(type(p), p): index for index, p in enumerate(flat)}
    compiler = use.build(*args).query.get_compiler(connection=connection)
    try:
        sql, params = compiler.as_sql(with_limits, with_col_aliases)
    except EmptyResultSet:
        return _UNCACHEABLE
    slots = [
        (at, probes[type(p), p])
        for at, p in enumerate(params)
        if type(p) in SCALARS and (type(p), p) in probes
    ]
    if sorted(index for _, index in slots) != list(range(len(probes))):
        return _UNCACHEABLE  # a probe was changed, dropped or repeated on its way to SQL
    state = {name: getattr(compiler, name) for name in _STATE}
    return _Entry(sql, tuple(params), tuple(slots), state)


def _probe(kind: type, n: int) -> Any:
    """The n-th stand-in of its type: a value no real query holds."""
    if kind is int:
        return PROBE + n
    if kind is str:
        return f"~probe~{n}~"
    return dt.datetime(2999, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=n)


def cached_shapes() -> Sequence[tuple[Any, ...]]:
    """The shapes whose SQL is cached in this process (for the tests)."""
    return [key for key, entry in _cache.items() if entry is not _UNCACHEABLE]
