"""Queries compiled once (hiring.compiled): the same rows as the ORM's own, for any ids, on
SQLite and PostgreSQL; anything done to them afterwards compiles as usual; a builder that
breaks the rule fails under the tests' CHECK; and the reads every request makes through
them (session, user, roles) still sign out whom they must."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.sessions.models import Session
from django.db.models import Q, QuerySet
from django.utils import timezone

from hiring import compiled as compiled_module
from hiring.compiled import cached_shapes, compiled
from hiring.permissions import ADMIN, INTERVIEWER, RECRUITER, roles_of
from hiring.sessions import SessionStore

pytestmark = pytest.mark.django_db


@compiled
def users_among(ids: list[int]) -> QuerySet[User]:
    return User.objects.filter(pk__in=ids).order_by("pk")


@compiled
def permissions_of(content_type_id: int) -> QuerySet[Permission]:
    return (
        Permission.objects.filter(content_type_id=content_type_id)
        .select_related("content_type")
        .order_by("codename")
    )


@compiled
def group_names_of(user_id: int) -> QuerySet[Group, str]:
    return Group.objects.filter(user=user_id).order_by("name").values_list("name", flat=True)


@compiled
def named_like(prefix: str) -> QuerySet[User]:
    return User.objects.filter(username__startswith=prefix).order_by("pk")


@compiled
def joined_after(moment: dt.datetime) -> QuerySet[User]:
    return User.objects.filter(date_joined__gt=moment).order_by("pk")


def shapes_of(builder: Any) -> list[tuple[Any, ...]]:
    return [key[1] for key in cached_shapes() if key[0] is builder.__wrapped__]


@pytest.fixture
def people() -> list[User]:
    return [User.objects.create(username=f"person-{n}") for n in range(5)]


def test_the_rows_are_the_orms_own_for_any_ids_of_one_shape(people: list[User]) -> None:
    a, b, c, d, e = people
    assert list(users_among([a.pk, c.pk])) == [a, c]
    # Same shape, other ids: the cached SQL with these ids in it, not the first call's.
    assert list(users_among([e.pk, b.pk])) == [b, e]
    assert list(users_among([d.pk, d.pk])) == [d]  # repeats dropped, as Django does
    assert list(users_among([a.pk, b.pk, c.pk])) == [a, b, c]
    # Compiled once per shape, on SQLite and on PostgreSQL (whose int columns have a range).
    assert (2,) in shapes_of(users_among)
    assert (3,) in shapes_of(users_among)


def test_related_rows_come_joined_in_the_one_query(django_assert_num_queries: Any) -> None:
    expected = list(
        Permission.objects.filter(content_type__model="user").select_related("content_type")
    )
    content_type_id = expected[0].content_type_id
    list(permissions_of(content_type_id))  # compiled once
    with django_assert_num_queries(1):
        rows = list(permissions_of(content_type_id))
        labels = [(p.codename, p.content_type.app_label, p.content_type.model) for p in rows]
    assert sorted(labels) == sorted(
        (p.codename, p.content_type.app_label, p.content_type.model) for p in expected
    )


def test_values_rows(make_user: Any) -> None:
    user = make_user(RECRUITER, INTERVIEWER)
    other = make_user(ADMIN)
    assert list(group_names_of(user.pk)) == ["Interviewer", "Recruiter"]
    assert list(group_names_of(other.pk)) == ["Admin"]


def test_what_is_done_to_the_queryset_afterwards_compiles_as_usual(people: list[User]) -> None:
    a, b, c, *_ = people
    rows = users_among([a.pk, b.pk])
    assert list(rows.filter(pk=b.pk)) == [b]
    assert rows.count() == 2
    assert rows.exists()
    assert rows.get(pk=a.pk) == a
    assert list(rows[1:]) == [b]
    assert list(rows.exclude(pk=a.pk).values_list("username", flat=True)) == ["person-1"]
    assert set(User.objects.filter(pk__in=rows.values("pk"))) == {a, b}
    assert set(User.objects.filter(pk__in=users_among([c.pk]))) == {c}
    assert list(rows) == [a, b]  # and the original, unchanged


def test_no_ids_is_no_query(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert list(users_among([])) == []


@compiled
def names_among_none(user_id: int) -> QuerySet[User, str]:
    # what a reach with no role gives: a condition that can match nothing
    return User.objects.filter(Q(pk__in=[]), pk=user_id).values_list("username", flat=True)


def test_a_query_that_can_match_nothing_reads_no_rows(people: list[User]) -> None:
    assert list(names_among_none(people[0].pk)) == []
    assert list(names_among_none(people[1].pk)) == []  # the second use of the shape


def test_strings_and_datetimes(people: list[User]) -> None:
    a, b, *_ = people
    User.objects.filter(pk=a.pk).update(date_joined=timezone.now() - dt.timedelta(days=30))
    # `startswith` turns the probe into "probe%": not found, so compiled as usual, and right.
    assert list(named_like("person-1")) == [b]
    assert list(named_like("person-")) == people
    assert shapes_of(named_like) == []
    week_ago = timezone.now() - dt.timedelta(days=7)
    assert a not in list(joined_after(week_ago))
    assert list(joined_after(week_ago - dt.timedelta(days=60)))[0] == a


@compiled
def depends_on_its_value(user_id: int) -> QuerySet[User]:
    # Breaks the rule: the SQL differs with the id's value, not only with its type.
    if user_id % 2:
        return User.objects.filter(pk=user_id)
    return User.objects.filter(pk=user_id, is_active=True)


def test_a_builder_whose_sql_depends_on_a_value_fails_under_the_tests(people: list[User]) -> None:
    assert compiled_module.CHECK  # tests/conftest.py
    odd = next(p for p in people if p.pk % 2)
    even = next(p for p in people if not p.pk % 2)
    assert list(depends_on_its_value(odd.pk)) == [odd]  # compiled with an odd probe
    with pytest.raises(AssertionError, match="not a fixed shape"):
        list(depends_on_its_value(even.pk))


def test_a_session_loads_until_it_expires() -> None:
    store = SessionStore()
    store["seen"] = "yes"
    store.create()
    assert SessionStore(store.session_key).load() == {"seen": "yes"}
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new one is made on save, as Django's does
    assert SessionStore("no-such-session-key-0123456789abcdef").load() == {}


def test_a_deactivated_user_is_signed_out_on_their_next_request(
    client: Any, make_user: Any
) -> None:
    user = make_user(RECRUITER)
    client.force_login(user)
    assert client.get("/candidates/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/candidates/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_role_taken_away_is_gone_on_the_next_request(client: Any, make_user: Any) -> None:
    user = make_user(RECRUITER)
    client.force_login(user)
    assert client.get("/candidates/").status_code == 200
    user.groups.remove(Group.objects.get(name=RECRUITER))
    assert client.get("/candidates/").status_code == 403
    assert roles_of(User.objects.get(pk=user.pk)) == frozenset()


def test_each_reach_has_its_own_sql_on_the_candidate_page(client: Any, playbook: Any) -> None:
    """The recruiter's page compiles the every-candidate shape first; a hiring manager, next
    in the same process, still gets their own (their requisitions only), and an interviewer
    theirs (the candidates they interview)."""
    from tests import factories

    theirs = factories.application()
    others = factories.application()
    recruiter = theirs.requisition.recruiter
    manager = theirs.requisition.hiring_manager
    seen = {}
    for who in (recruiter, manager, recruiter, manager):
        client.force_login(who)
        seen[who.username] = [
            client.get(f"/candidates/{a.candidate_id}/").status_code for a in (theirs, others)
        ]
    assert seen[recruiter.username] == [200, 200]
    assert seen[manager.username] == [200, 404]
    assert shapes_of_name("_candidate_with_header")  # the cache was used, both shapes
    assert len(shapes_of_name("_candidate_with_header")) >= 2


def shapes_of_name(name: str) -> list[tuple[Any, ...]]:
    return [key[1] for key in cached_shapes() if key[0].__name__ == name]
