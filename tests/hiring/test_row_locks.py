"""Row locks are taken on the bare row, never in a query that joins (FIELD-NOTES, "PostgreSQL
row locks with a join"): after waiting for the lock, PostgreSQL re-checks the joins against
the changed row, and the query can come back with no row (DoesNotExist: two stage moves at
once gave a 500) or with a stale joined row. Lock first, then read with the joins."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("hiring", "roles", "assessments", "compensation")


def _methods_in_chain(call: ast.Call) -> set[str]:
    """The method names of a chained call: `A.objects.x().y().z()` gives {x, y, z}."""
    names: set[str] = set()
    node: ast.expr = call
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            node = node.func
            continue
        names.add(node.attr)
        node = node.value
    return names


def locks_with_joins(source: str) -> list[int]:
    """Lines where one query both locks (select_for_update) and joins (select_related)."""
    found: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and {"select_for_update", "select_related"} <= (
            _methods_in_chain(node)
        ):
            found.add(node.lineno)
    return sorted(found)


def test_the_check_finds_a_lock_taken_with_a_join() -> None:
    source = (
        "a = Application.objects.select_for_update(of=('self',))"
        ".select_related('stage').get(pk=1)\n"
        "b = Application.objects.select_for_update().get(pk=1)\n"
        "c = Application.objects.select_related('stage').get(pk=1)\n"
    )
    assert locks_with_joins(source) == [1]


def test_no_product_code_locks_a_row_in_a_query_that_joins() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in PRODUCT
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
        for line in locks_with_joins(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
