"""Queries compiled once: the hot pages' fixed-shape reads skip Django's SQL compiler.

Turning a queryset into SQL is most of what the ORM costs on the hot pages: on the candidate
page the compiler took about 40 % of the time the page spent building its data, more than
the database took to answer (`bench/pipeline.py`). Most of those queries have the same
shape on every request, only the ids in them change: "the stage changes of applications
(a, b, c), with their stages and actors".

`@compiled` marks a function that builds such a queryset from values (an int, a string or
an aware datetime, or a list of ints, per argument) and nothing else; a frozenset or a None
is part of the shape itself (a user's reach: which rows a capability shows them; a filter
not asked for). The
queryset it returns is an ordinary one, but when it is run as it is, its SQL comes from a
cache: the builder's queryset is compiled once per process, database and shape (each
list's length, each frozenset), with stand-in values ("probes") whose places in the SQL's
parameters are then filled with the real ones. A probe the database layer changes on its
way into the SQL (SQLite turns datetimes into text; `startswith` adds a `%`) is not found
there, and that shape is then compiled as usual every time. Anything done to the queryset
afterwards (`filter`, `get`, `count`, `exists`, a slice, use as a subquery) works on a
copy, which compiles as usual.

The rule for a builder: its SQL may depend on its lists' lengths and its frozensets only,
never on the other values, and on nothing else (not the user's roles, not the time, not a
setting). What a user may see comes in as arguments: the ids they may see, or their reach
(a frozenset) and their id. Under the tests, `CHECK` is on: every use also compiles the
queryset as usual and fails loudly if the two differ, so a builder that breaks the rule
fails its page's tests.

django-prepared-queries does this too, but it has not been kept up since Django 2.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar, cast

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query
from django.http import Http404

P = ParamSpec("P")
Q = TypeVar("Q", bound=QuerySet[Any])
T = TypeVar("T")

CHECK = False  # tests/conftest.py: compare each cached SQL with the compiler's own
MAX_SHAPES = 2_000  # per process; beyond it, new shapes compile as usual
# Int probes: near the top of a 32-bit integer column's range, as PostgreSQL's Django
# drops a lookup on a value its column cannot hold (the query becomes empty).
PROBE = 2_147_000_001
SCALARS = (int, str, dt.datetime)


@dataclass(frozen=True)
class _Use:
    """What a query needs to be compiled from the cache: its builder, the shape of its
    arguments (a scalar's type, a list's length, or a frozenset itself), the real values
    flattened, and the queryset the builder makes of them (built only when needed)."""

    build: Callable[..., QuerySet[Any]]
    shape: tuple[type | int | frozenset[Any] | None, ...]
    values: tuple[Any, ...]
    real: Callable[[], QuerySet[Any]]


@dataclass(frozen=True)
class _Entry:
    sql: str
    params: tuple[Any, ...]  # the probes' parameters; those at `slots` are replaced
    slots: tuple[tuple[int, int], ...]  # (index in params, index in the real values)
    state: dict[str, Any]  # what the compiler sets while compiling: its columns, models


_UNCACHEABLE = _Entry("", (), (), {})
_cache: dict[tuple[Any, ...], _Entry] = {}
# Per builder and shape, the queryset built from probes: each use is a copy of it (copying
# is several times cheaper than building a filter anew: 0.1 against 0.5 ms for a session's).
_templates: dict[tuple[Any, ...], QuerySet[Any]] = {}
# What the iterables read from a compiler after as_sql (ModelIterable, results_iter).
_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")
Shape = tuple[type | int | frozenset[Any] | None, ...]


def compiled(build: Callable[P, Q]) -> Callable[P, Q]:
    """The builder, its querysets compiled once per shape (see the module's docstring)."""

    builder = cast(Callable[..., Q], build)

    @functools.wraps(build)
    def run(*args: Any) -> Any:
        values: list[Any] = []
        shape: list[type | int | frozenset[Any] | None] = []
        for arg in args:
            if arg is None or isinstance(arg, frozenset):  # part of the shape itself: e.g.
                # a user's reach, or None for a filter not asked for
                values.append(arg)
                shape.append(arg)
            elif type(arg) in SCALARS and not (isinstance(arg, dt.datetime) and arg.tzinfo is None):
                values.append(arg)
                shape.append(type(arg))
            elif isinstance(arg, list | tuple) and arg and all(type(i) is int for i in arg):
                unique = list(dict.fromkeys(arg))  # Django drops repeats from IN lists
                values.append(unique)
                shape.append(len(unique))
            else:  # an empty list, a naive datetime, anything else: an ordinary queryset
                return builder(*args)
        key = (build, tuple(shape))
        template = _templates.get(key)
        if template is None:
            template = builder(*_stand_ins(key[1])[0])
            if len(_templates) < MAX_SHAPES:
                _templates[key] = template
        queryset = template._chain()  # type: ignore[attr-defined]
        queryset.query.__class__ = _CompiledQuery
        queryset.query.compiled_use = _Use(
            build, key[1], _substituted(values), functools.partial(builder, *values)
        )
        return queryset

    return run  # type: ignore[return-value]


class _CompiledQuery(Query):
    """A copy of the probes' query: run as it is, its SQL comes from the cache, with the
    real values in it; anything else starts from the real query."""

    compiled_use: _Use

    def clone(self) -> Query:
        # Any change to the queryset (a filter, count(), a slice...) starts from the query
        # the builder makes of the real values: an ordinary one, compiled as usual.
        return self.compiled_use.real().query.clone()

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
        entry = _compile(compiler, use.shape, with_limits, with_col_aliases)
        if len(_cache) < MAX_SHAPES:
            _cache[key] = entry
    if entry is _UNCACHEABLE or CHECK:
        # The real query, compiled as usual: for a shape the cache cannot hold, and under
        # the tests, to compare.
        real = use.real().query.get_compiler(connection=compiler.connection)
        try:
            expected = _compiler_sql(real, with_limits, with_col_aliases)
        except EmptyResultSet:  # a query that can match nothing: the caller reads no rows,
            # but the columns it would have had (what Django's own compiler leaves set)
            for name in _STATE:
                setattr(compiler, name, getattr(real, name))
            raise
        if entry is _UNCACHEABLE:
            for name in _STATE:
                setattr(compiler, name, getattr(real, name))
            return expected
    params = list(entry.params)
    for at, index in entry.slots:
        params[at] = use.values[index]
    if CHECK and expected != (entry.sql, tuple(params)):
        raise AssertionError(
            f"{use.build.__qualname__} is not a fixed shape: its SQL depends on more than "
            f"its shape.\ncached:   {entry.sql} {params}\ncompiled: {expected}"
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


def _stand_ins(shape: Shape) -> tuple[list[Any], dict[tuple[type, Any], int]]:
    """A builder's arguments for a shape, probes in place of values, and each probe's index
    among the real values."""
    numbers = itertools.count()
    args: list[Any] = [
        part
        if part is None or isinstance(part, frozenset)
        else [_probe(int, next(numbers)) for _ in range(part)]
        if isinstance(part, int)
        else _probe(part, next(numbers))
        for part in shape
    ]
    return args, {(type(p), p): index for index, p in enumerate(_substituted(args))}


def _substituted(args: list[Any]) -> tuple[Any, ...]:
    """The arguments' values that stand in the SQL's parameters, in order: each list's
    items and each scalar (a frozenset or a None is part of the shape instead)."""
    return tuple(
        itertools.chain.from_iterable(
            a if isinstance(a, list) else () if a is None or isinstance(a, frozenset) else (a,)
            for a in args
        )
    )


def _compile(
    compiler: SQLCompiler, shape: Shape, with_limits: bool, with_col_aliases: bool
) -> _Entry:
    """The SQL of the probes' query (the compiler's), and where each probe landed in its
    parameters."""
    probes = _stand_ins(shape)[1]
    try:
        sql, params = _compiler_sql(compiler, with_limits, with_col_aliases)
    except EmptyResultSet:
        return _UNCACHEABLE
    slots = [
        (at, probes[type(p), p])
        for at, p in enumerate(params)
        if type(p) in SCALARS and (type(p), p) in probes
    ]
    # A probe may be unused (the SQL does not need that value) or used twice; but one the
    # database layer changed on its way (made text, given a "%") would be sent as it is.
    mapped = {at for at, _ in slots}
    marks = ["2999-01-01" if isinstance(p, dt.datetime) else str(p) for _, p in probes]
    if any(
        at not in mapped and any(mark in str(param) for mark in marks)
        for at, param in enumerate(params)
    ):
        return _UNCACHEABLE
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


def first_or_404(rows: Iterable[T], message: str) -> T:
    """The first of a compiled query's rows, or Http404(message). (`get_object_or_404`
    would chain a `.get()` on it, which compiles the query as usual.)"""
    first = next(iter(rows), None)
    if first is None:
        raise Http404(message)
    return first
