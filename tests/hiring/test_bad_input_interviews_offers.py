"""Bad input on the interview, scorecard, debrief, offer, approval and notification forms
and endpoints: a clear error, never a 500, nothing written, markup shown escaped.

The same table as pipeline/test_bad_input.py (machinery in tests/bad_input.py), over a world where
the pipeline has got further: an interview with its scorecard open, an application advanced
to offer with a draft, another with an offer waiting for the hiring manager's approval, and
a second hiring manager's requisition with an interview, a scorecard and an offer of its own
(the "other users' ids"). Every row compares the whole content of every table these pages
write, so a scorecard saved or a vote on an offer step counts as written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from assessments.models import (
    Decision,
    Interview,
    InterviewChange,
    InterviewInvite,
    InterviewQuestion,
    Question,
    RedFlag,
    Scorecard,
    ScorecardAnswer,
    ScorecardChange,
    ScorecardRedFlag,
)
from assessments.services.decisions import decision_record
from assessments.services.scorecards import scorecard_open
from hiring.models import AuditEntry
from hiring.notifications.models import Notification
from hiring.offers.links import approval_link
from hiring.offers.models import (
    ApprovalStep,
    ApprovalStepChange,
    Offer,
    OfferChange,
    OfferClock,
    StepApprover,
    UsedApprovalLink,
)
from hiring.pipeline.models import Application, StageChange
from roles.models import RoleLevel
from tests import factories
from tests.bad_input import (
    ANONYMOUS,
    HUGE_ID,
    REMOVE,
    SCRIPT,
    SQL,
    TOO_LONG,
    Bad,
    World,
    accepted,
    api_rows,
    module_world,
    refused,
    two_pipelines,
)

pytestmark = pytest.mark.django_db

WATCHED = [
    Application, StageChange, AuditEntry, Interview, InterviewChange, InterviewQuestion,
    InterviewInvite, Scorecard, ScorecardChange, ScorecardAnswer, ScorecardRedFlag, Decision,
    OfferClock, Offer, OfferChange, ApprovalStep, ApprovalStepChange, StepApprover,
    UsedApprovalLink, Notification,
]  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker):
        yield build_world()


def build_world() -> World:
    setup = two_pipelines()
    users, mine, application, elsewhere = (
        setup.users,
        setup.mine,
        setup.application,
        setup.elsewhere,
    )
    # An interview on the manager's application, its scorecard opened by the interviewer.
    interview = factories.scheduled_interview(
        application_obj=application, interviewers=[users["interviewer"]]
    )
    card = scorecard_open(interview=interview, interviewer=users["interviewer"])
    answer = card.answers.order_by("question_version__question__number").first()
    # The other manager's candidate: an interview with another interviewer, and an offer.
    other_interview = factories.scheduled_interview(
        application_obj=elsewhere, interviewers=[users["other_interviewer"]]
    )
    other_card = scorecard_open(interview=other_interview, interviewer=users["other_interviewer"])
    other_offer = factories.offer(application_obj=elsewhere)
    # Advanced to offer: one with a draft, one waiting for the hiring manager.
    advanced = factories.application(requisition_obj=mine)
    decision_record(application=advanced, actor=users["manager"], outcome="advance")
    draft = factories.offer(application_obj=advanced)
    waiting = factories.application(requisition_obj=mine)
    decision_record(application=waiting, actor=users["manager"], outcome="advance")
    pending = factories.offer(application_obj=waiting, submit=True)
    step = pending.steps.get(position=0)
    later_step = pending.steps.get(position=1)
    question = Question.objects.get(number=1)
    soon = timezone.localtime() + dt.timedelta(days=2)
    today = timezone.localdate()
    ids = {
        "app": application.pk,
        "other_app": elsewhere.pk,
        "advanced_app": advanced.pk,
        "interview": interview.pk,
        "other_interview": other_interview.pk,
        "card": card.pk,
        "version": card.version,
        "stale": card.version + 5,
        "other_card": other_card.pk,
        "qv": answer.question_version_id,
        "rating": f"rating-{answer.question_version_id}",
        "notes": f"notes-{answer.question_version_id}",
        "flag": RedFlag.objects.order_by("number").first().key,
        "flag_field": "flag-" + RedFlag.objects.order_by("number").first().key,
        "evidence": "evidence-" + RedFlag.objects.order_by("number").first().key,
        "question": question.key,
        "question_field": f"question-{question.pk}",
        "interviewer": users["interviewer"].pk,
        "manager": users["manager"].pk,
        "recruiter": users["recruiter"].pk,
        "soon": soon.strftime("%Y-%m-%dT%H:%M"),
        "soon_iso": soon.isoformat(),
        "long_ago": (soon - dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        "years_away": (soon + dt.timedelta(days=800)).strftime("%Y-%m-%dT%H:%M"),
        "draft": draft.pk,
        "draft_version": draft.version,
        "pending": pending.pk,
        "other_offer": other_offer.pk,
        "step": step.pk,
        "later_step": later_step.pk,
        "level": mine.level_id,
        "other_role_level": RoleLevel.objects.exclude(role_id=mine.role_id).first().pk,
        "start": (today + dt.timedelta(days=45)).isoformat(),
        "expires": (today + dt.timedelta(days=10)).isoformat(),
        "yesterday": (today - dt.timedelta(days=1)).isoformat(),
        "tomorrow": (today + dt.timedelta(days=1)).isoformat(),
        "link": approval_link(step_id=step.pk, user_id=users["manager"].pk).split("/")[-2],
        "manager_notification": Notification.objects.filter(recipient=users["manager"]).first().pk,
    }
    return World(users=users, ids=ids)


BASES: dict[str, dict[str, Any]] = {
    "schedule": {
        "round_name": "Structured interview", "starts_at": "{soon}", "duration_minutes": "60",
        "interviewers": ["{interviewer}"], "location": "https://meet.example.com/abc",
        "{question_field}": "all",
    },
    "scorecard": {"version": "{version}", "recommendation": "", "summary": ""},
    "autosave": {"version": "{version}", "summary": "Shipped a ranking model."},
    "decision": {"outcome": "advance", "reason": "", "comment": ""},
    "offer": {
        "application": "{app}", "base_salary": "150000", "target_bonus": "10000",
        "currency": "USD", "level": "{level}", "start_date": "{start}",
        "expires_on": "{expires}", "notes": "", "justification": "",
    },
    "offer_edit": {
        "version": "{draft_version}", "base_salary": "150000", "target_bonus": "10000",
        "currency": "USD", "level": "{level}", "start_date": "{start}",
        "expires_on": "{expires}", "notes": "", "justification": "",
    },
    "vote": {"vote": "approve", "comment": "", "step": "{step}"},
    "api_interview": {
        "application": "{app}", "round_name": "Structured interview", "starts_at": "{soon_iso}",
        "duration_minutes": 60, "interviewers": ["{interviewer}"],
    },
    "api_offer": {
        "application": "{app}", "base_salary": 150000, "target_bonus": 10000,
        "start_date": "{start}", "expires_on": "{expires}",
    },
    "none": {},
}  # fmt: skip

A = "/applications/{app}"
SC = "/interviews/{interview}/scorecard/post/"
SAVE = "/scorecards/{card}/save/"
DEBRIEF = "/applications/{app}/debrief/"
PAGES = [
    # Scheduling form --------------------------------------------------------------------------
    Bad("round name empty", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"round_name": ""}, status=400, error="This field is required."),
    Bad("round name too long", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"round_name": TOO_LONG}, status=400, error="at most 120 characters"),
    Bad("round name only spaces", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"round_name": "   "}, status=400, error="This field is required."),
    Bad("start not a time", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"starts_at": SQL}, status=400, error="Enter a valid date/time."),
    Bad("start days ago", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"starts_at": "{long_ago}"}, status=400, error="more than a day ago"),
    Bad("start years away", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"starts_at": "{years_away}"}, status=400, error="within the next year"),
    Bad("duration negative", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"duration_minutes": "-30"}, status=400, error="greater than or equal to 15"),
    Bad("duration absurd", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"duration_minutes": HUGE_ID}, status=400, error="less than or equal to 480"),
    Bad("duration not a number", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"duration_minutes": SCRIPT}, status=400, error="Enter a whole number."),
    Bad("no interviewer", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"interviewers": REMOVE}, status=400, error="This field is required."),
    Bad("interviewer who is a recruiter", "recruiter", "post", f"{A}/interviews/new/",
        "schedule", {"interviewers": ["{recruiter}"]}, status=400,
        error="Select a valid choice."),
    Bad("interviewer id past the integer range", "recruiter", "post", f"{A}/interviews/new/",
        "schedule", {"interviewers": [HUGE_ID]}, status=400, error="Select a valid choice."),
    Bad("interviewer id is script", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"interviewers": [SCRIPT]}, status=400, error="Select a valid choice."),
    Bad("location too long", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"location": TOO_LONG}, status=400, error="at most 300 characters"),
    Bad("no question to ask", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"{question_field}": ""}, status=400, error="at least one question"),
    Bad("question for someone not on the interview", "recruiter", "post",
        f"{A}/interviews/new/", "schedule", {"{question_field}": "{manager}"}, status=400,
        error="one of this interview's interviewers"),
    Bad("question assigned to script", "recruiter", "post", f"{A}/interviews/new/", "schedule",
        {"{question_field}": SCRIPT}, status=400, error="Select a valid choice."),
    Bad("schedule on an unknown application", "recruiter", "post",
        "/applications/999999/interviews/new/", "schedule", status=404),
    Bad("schedule by an interviewer", "interviewer", "post", f"{A}/interviews/new/",
        "schedule", status=403),
    Bad("schedule by a hiring manager", "manager", "post", f"{A}/interviews/new/", "schedule",
        status=403),
    Bad("reschedule to days ago", "recruiter", "post", "/interviews/{interview}/edit/",
        "schedule", {"starts_at": "{long_ago}"}, status=400, error="more than a day ago"),
    Bad("reschedule an unknown interview", "recruiter", "post", "/interviews/999999/edit/",
        "schedule", status=404),
    Bad("cancel by an interviewer", "interviewer", "post", "/interviews/{interview}/cancel/",
        "none", status=403),
    Bad("cancel an unknown interview", "recruiter", "post", "/interviews/999999/cancel/",
        "none", status=404),
    # The scorecard without JavaScript (the whole form) ----------------------------------------
    Bad("rating out of range", "interviewer", "post", SC, "scorecard", {"{rating}": "7"},
        status=400, error="A rating is 1, 2, 3 or 4."),
    Bad("rating is SQL", "interviewer", "post", SC, "scorecard", {"{rating}": SQL},
        status=400, error="A rating is 1, 2, 3 or 4."),
    Bad("recommendation unknown", "interviewer", "post", SC, "scorecard",
        {"recommendation": SCRIPT}, status=400, error="Choose one of:"),
    Bad("summary too long, with markup", "interviewer", "post", SC, "scorecard",
        {"summary": SCRIPT + "s" * 20_001}, status=400, error="20,000 characters"),
    Bad("evidence too long", "interviewer", "post", SC, "scorecard",
        {"{flag_field}": "on", "{evidence}": "e" * 5_001}, status=400,
        error="5,000 characters"),
    Bad("version missing", "interviewer", "post", SC, "scorecard", {"version": REMOVE},
        status=400, error="The version this save is based on"),
    Bad("version stale: both texts shown", "interviewer", "post", SC, "scorecard",
        {"version": "{stale}", "summary": SCRIPT}, status=409,
        error="saved from another tab or device"),
    Bad("someone else's interview", "interviewer", "post", "/interviews/{other_interview}/"
        "scorecard/post/", "scorecard", status=404),
    Bad("a recruiter who is not on the interview", "recruiter", "post", SC, "scorecard",
        status=403),
    Bad("reopen by an interviewer", "interviewer", "post", "/scorecards/{card}/reopen/",
        "none", {"reason": "typo"}, status=403),
    Bad("reopen a draft", "admin", "post", "/scorecards/{card}/reopen/", "none",
        {"reason": "typo"}, error="Only a submitted scorecard can be reopened."),
    Bad("reopen an unknown scorecard", "admin", "post", "/scorecards/999999/reopen/", "none",
        status=404),
    # The debrief decision ---------------------------------------------------------------------
    Bad("decision unknown", "manager", "post", DEBRIEF, "decision", {"outcome": SQL},
        status=400, error="Select a valid choice."),
    Bad("decision missing", "manager", "post", DEBRIEF, "decision", {"outcome": REMOVE},
        status=400, error="This field is required."),
    Bad("reject without a reason", "manager", "post", DEBRIEF, "decision",
        {"outcome": "reject"}, status=400, error="Pick a rejection reason"),
    Bad("reject with a made-up reason", "manager", "post", DEBRIEF, "decision",
        {"outcome": "reject", "reason": SCRIPT}, status=400, error="Select a valid choice."),
    Bad("advance with a rejection reason", "manager", "post", DEBRIEF, "decision",
        {"reason": "Role filled"}, status=400, error="goes with a rejection only"),
    Bad("comment too long", "manager", "post", DEBRIEF, "decision",
        {"comment": "c" * 10_001}, status=400, error="at most 10000 characters"),
    Bad("advance twice", "manager", "post", "/applications/{advanced_app}/debrief/",
        "decision", {"comment": SCRIPT}, status=400, error="Already advanced to offer"),
    Bad("decide on another manager's candidate", "manager", "post",
        "/applications/{other_app}/debrief/", "decision", status=404),
    Bad("decide as a recruiter", "recruiter", "post", DEBRIEF, "decision", status=403),
    Bad("decide as an interviewer", "interviewer", "post", DEBRIEF, "decision", status=403),
    # The offer form (new and edit) ------------------------------------------------------------
    Bad("salary negative", "recruiter", "post", "/offers/new/", "offer",
        {"base_salary": "-150000"}, error="greater than or equal to 1"),
    Bad("salary zero", "recruiter", "post", "/offers/new/", "offer", {"base_salary": "0"},
        error="greater than or equal to 1"),
    Bad("salary not a number", "recruiter", "post", "/offers/new/", "offer",
        {"base_salary": SQL}, error="Enter a whole number."),
    Bad("salary absurd", "recruiter", "post", "/offers/new/", "offer",
        {"base_salary": HUGE_ID}, error="less than or equal to"),
    Bad("bonus negative", "recruiter", "post", "/offers/new/", "offer",
        {"target_bonus": "-1"}, error="greater than or equal to 0"),
    Bad("currency not a code", "recruiter", "post", "/offers/new/", "offer",
        {"currency": "1$"}, error="at least 3 characters"),
    Bad("currency lower-case digits", "recruiter", "post", "/offers/new/", "offer",
        {"currency": "u5d"}, error="Three capital letters"),
    Bad("expires after the start", "recruiter", "post", "/offers/new/", "offer",
        {"expires_on": "{start}", "start_date": "{tomorrow}"},
        error="expire on or before the start date"),
    Bad("expired already", "recruiter", "post", "/offers/new/", "offer",
        {"expires_on": "{yesterday}"}, error="already passed"),
    Bad("start not a date", "recruiter", "post", "/offers/new/", "offer",
        {"start_date": "2026-02-31"}, error="Enter a valid date."),
    Bad("level of another role", "recruiter", "post", "/offers/new/", "offer",
        {"level": "{other_role_level}"}, error="Select a valid choice."),
    Bad("notes too long, with markup", "recruiter", "post", "/offers/new/", "offer",
        {"notes": SCRIPT + "n" * 5_000}, error="at most 5000 characters"),
    Bad("markup kept in the form, escaped", "recruiter", "post", "/offers/new/", "offer",
        {"notes": SCRIPT, "base_salary": "-1"}, error="&lt;script&gt;"),
    Bad("offer on an unknown application", "recruiter", "post", "/offers/new/", "offer",
        {"application": "999999"}, status=404),
    Bad("offer on an application id past the range", "recruiter", "post", "/offers/new/",
        "offer", {"application": HUGE_ID}, status=400, error="does not name an application"),
    Bad("offer by a hiring manager", "manager", "post", "/offers/new/", "offer", status=403),
    Bad("offer by an interviewer", "interviewer", "post", "/offers/new/", "offer",
        status=403),
    Bad("edit: stale version", "recruiter", "post", "/offers/{draft}/edit/", "offer_edit",
        {"version": "1000", "notes": "Mine"}, error="since you opened it"),
    Bad("edit: salary negative", "recruiter", "post", "/offers/{draft}/edit/", "offer_edit",
        {"base_salary": "-5"}, error="greater than or equal to 1"),
    Bad("edit: dates in the wrong order", "recruiter", "post", "/offers/{draft}/edit/",
        "offer_edit", {"expires_on": "{start}", "start_date": "{tomorrow}"},
        error="expire on or before the start date"),
    Bad("edit: an unknown offer", "recruiter", "post", "/offers/999999/edit/", "offer_edit",
        status=404),
    Bad("edit: a pending offer, dates in the wrong order", "recruiter", "post",
        "/offers/{pending}/edit/", "offer_edit", {"expires_on": "{start}", "version": REMOVE,
        "start_date": "{tomorrow}"}, error="expire on or before the start date"),
    # Offer actions ----------------------------------------------------------------------------
    Bad("submit: justification too long", "recruiter", "post", "/offers/{draft}/submit/",
        "none", {"justification": SCRIPT + "j" * 5_000}, status=400, error="5,000 characters"),
    Bad("send: a draft", "recruiter", "post", "/offers/{draft}/send/", "none",
        error="Only an approved offer"),
    Bad("send: date not a date", "recruiter", "post", "/offers/{pending}/send/", "none",
        {"sent_on": SCRIPT}, error="Give the date the offer was sent."),
    Bad("rescind: no reason", "recruiter", "post", "/offers/{pending}/rescind/", "none",
        error="Say why the offer is rescinded."),
    Bad("rescind: reason too long", "recruiter", "post", "/offers/{pending}/rescind/",
        "none", {"reason": TOO_LONG}, error="at most 200 characters"),
    Bad("accept: a draft", "recruiter", "post", "/offers/{draft}/accept/", "none",
        error="Only a sent offer can be accepted."),
    Bad("unknown action", "recruiter", "post", "/offers/{draft}/promote/", "none",
        status=404),
    Bad("action by a hiring manager", "manager", "post", "/offers/{pending}/withdraw/",
        "none", status=403),
    Bad("offer page of another manager's offer", "manager", "get", "/offers/{other_offer}/",
        "none", status=404),
    Bad("action by an interviewer", "interviewer", "post", "/offers/{pending}/withdraw/",
        "none", status=403),
    # Voting on an approval step ----------------------------------------------------------------
    Bad("vote: neither approve nor reject", "manager", "post", "/offers/{pending}/vote/",
        "vote", {"vote": SQL}, error="Choose approve or reject"),
    Bad("vote: comment too long", "manager", "post", "/offers/{pending}/vote/", "vote",
        {"comment": "c" * 2_001}, error="at most 2,000 characters"),
    Bad("vote: reject without a comment", "manager", "post", "/offers/{pending}/vote/",
        "vote", {"vote": "reject"}, error="Say why you reject the offer"),
    Bad("vote: a step that is not mine", "manager", "post", "/offers/{pending}/vote/",
        "vote", {"step": "{later_step}"}, error="You are not an approver of this step."),
    Bad("vote: step id past the range", "manager", "post", "/offers/{pending}/vote/",
        "vote", {"step": HUGE_ID}, error="Choose approve or reject"),
    Bad("vote: a draft", "manager", "post", "/offers/{draft}/vote/", "vote",
        error="there is nothing to vote on"),
    Bad("vote: another manager's offer", "manager", "post", "/offers/{other_offer}/vote/",
        "vote", status=404),
    Bad("vote: as an interviewer", "interviewer", "post", "/offers/{pending}/vote/",
        "vote", status=403),
    Bad("vote in place (htmx): no vote", "manager", "post-htmx",
        "/offers/{pending}/vote/", "vote", {"vote": ""},
        error="Choose approve or reject"),
    Bad("link: tampered", "manager", "get", "/offers/approve/{link}x/", "none", status=400,
        error="not valid"),
    Bad("link: garbage", "manager", "get", "/offers/approve/" + "A" * 300 + "/", "none",
        status=400, error="not valid"),
    Bad("link: someone else's", "recruiter", "get", "/offers/approve/{link}/", "none",
        status=403, error="sent to another approver"),
    Bad("link: neither approve nor reject", "manager", "post", "/offers/approve/{link}/",
        "vote", {"vote": SCRIPT}, error="Choose approve or reject."),
    Bad("link: reject without a comment", "manager", "post", "/offers/approve/{link}/",
        "vote", {"vote": "reject"}, error="Say why you reject the offer"),
    # Notifications ----------------------------------------------------------------------------
    Bad("open someone else's notification", "interviewer", "post",
        "/notifications/{manager_notification}/open/", "none", status=404),
    Bad("open an unknown notification", "manager", "post", "/notifications/999999/open/",
        "none", status=404),
    Bad("inbox page is SQL", "manager", "get", f"/notifications/?page={SQL}", "none"),
    Bad("offer list filter is SQL", "recruiter", "get",
        f"/offers/?requisition={SQL}&role={SCRIPT}", "none"),
    Bad("dashboard filter past the range", "manager", "get",
        f"/offers/dashboard/?requisition={HUGE_ID}", "none"),
]  # fmt: skip

API = api_rows([
    # The autosave endpoint of the scorecard page (JSON) ---------------------------------------
    Bad("autosave: not JSON", "interviewer", "post", SAVE, "none", raw=b"{not json",
        status=400, error="Send JSON."),
    Bad("autosave: a list, not an object", "interviewer", "post", SAVE, "none",
        raw=b"[1, 2]", status=400, error="non_field_errors"),
    Bad("autosave: rating 5", "interviewer", "post", SAVE, "autosave",
        {"answers": [{"question_version": "{qv}", "rating": 5}]}, status=400,
        error="rating-{qv}"),
    Bad("autosave: rating a string", "interviewer", "post", SAVE, "autosave",
        {"answers": [{"question_version": "{qv}", "rating": SQL}]}, status=400,
        error="rating-{qv}"),
    Bad("autosave: notes a number", "interviewer", "post", SAVE, "autosave",
        {"answers": [{"question_version": "{qv}", "notes": 42}]}, status=400,
        error="notes-{qv}"),
    Bad("autosave: question not on the scorecard", "interviewer", "post", SAVE, "autosave",
        {"answers": [{"question_version": 999999, "notes": "x"}]}, status=400,
        error="rating-999999"),
    Bad("autosave: question id past the range", "interviewer", "post", SAVE, "autosave",
        {"answers": [{"question_version": 2**70, "notes": "x"}]}, status=400,
        error="answers"),
    Bad("autosave: answers not a list", "interviewer", "post", SAVE, "autosave",
        {"answers": {"a": 1}}, status=400, error="answers"),
    Bad("autosave: raised not true or false", "interviewer", "post", SAVE, "autosave",
        {"red_flags": [{"red_flag": "{flag}", "raised": "yes"}]}, status=400,
        error="flag-{flag}"),
    Bad("autosave: unknown red flag", "interviewer", "post", SAVE, "autosave",
        {"red_flags": [{"red_flag": SCRIPT, "raised": True}]}, status=400,
        error="flag-" + SCRIPT),
    Bad("autosave: evidence too long", "interviewer", "post", SAVE, "autosave",
        {"red_flags": [{"red_flag": "{flag}", "evidence": "e" * 5_001}]}, status=400,
        error="evidence-{flag}"),
    Bad("autosave: summary too long", "interviewer", "post", SAVE, "autosave",
        {"summary": "s" * 20_001}, status=400, error="summary"),
    Bad("autosave: version negative", "interviewer", "post", SAVE, "autosave",
        {"version": -1}, status=400, error="version"),
    Bad("autosave: version stale", "interviewer", "post", SAVE, "autosave",
        {"version": "{stale}"}, status=409, error="saved from another tab"),
    Bad("autosave: someone else's scorecard", "interviewer", "post", "/scorecards/"
        "{other_card}/save/", "autosave", status=404, error="No such scorecard of yours."),
    Bad("autosave: signed out", ANONYMOUS, "post", SAVE, "autosave", status=401,
        error="Log in again"),
    # Interviews -------------------------------------------------------------------------------
    Bad("api interview: start not a time", "recruiter", "post", "/api/interviews/",
        "api_interview", {"starts_at": "tomorrow-ish"}, status=400, error="starts_at"),
    Bad("api interview: start days ago", "recruiter", "post", "/api/interviews/",
        "api_interview", {"starts_at": "2020-01-01T10:00:00Z"}, status=400,
        error="starts_at"),
    Bad("api interview: duration too short", "recruiter", "post", "/api/interviews/",
        "api_interview", {"duration_minutes": 5}, status=400, error="duration_minutes"),
    Bad("api interview: no interviewers", "recruiter", "post", "/api/interviews/",
        "api_interview", {"interviewers": []}, status=400, error="interviewers"),
    Bad("api interview: unknown interviewer", "recruiter", "post", "/api/interviews/",
        "api_interview", {"interviewers": [999999]}, status=400, error="interviewers"),
    Bad("api interview: interviewer a string", "recruiter", "post", "/api/interviews/",
        "api_interview", {"interviewers": [SCRIPT]}, status=400, error="interviewers.0"),
    Bad("api interview: unknown question", "recruiter", "post", "/api/interviews/",
        "api_interview", {"questions": [{"question": "no-such-question"}]}, status=400,
        error="questions"),
    Bad("api interview: question key is markup", "recruiter", "post", "/api/interviews/",
        "api_interview", {"questions": [{"question": SCRIPT}]}, status=400,
        error="questions.0.question"),
    Bad("api interview: question for someone not on it", "recruiter", "post",
        "/api/interviews/", "api_interview",
        {"questions": [{"question": "{question}", "interviewer": "{manager}"}]}, status=400,
        error="questions"),
    Bad("api interview: round name too long", "recruiter", "post", "/api/interviews/",
        "api_interview", {"round_name": TOO_LONG}, status=400, error="round_name"),
    Bad("api interview: unknown application", "recruiter", "post", "/api/interviews/",
        "api_interview", {"application": 999999}, status=400, error="application"),
    Bad("api interview: application id past the range", "recruiter", "post",
        "/api/interviews/", "api_interview", {"application": 2**70}, status=400,
        error="application"),
    Bad("api interview: by an interviewer", "interviewer", "post", "/api/interviews/",
        "api_interview", status=403),
    Bad("api interview: reschedule as an interviewer", "interviewer", "patch",
        "/api/interviews/{interview}/", "none", {"round_name": "Mine"}, status=403),
    Bad("api interview: someone else's", "interviewer", "get",
        "/api/interviews/{other_interview}/", "none", status=404),
    Bad("api interview: reschedule with a null start", "recruiter", "patch",
        "/api/interviews/{interview}/", "none", {"starts_at": None}, status=400,
        error="starts_at"),
    Bad("api interview: filter id is SQL", "recruiter", "get",
        f"/api/interviews/?application={SQL}", "none", status=400, error="application"),
    Bad("api interview: cancel an unknown one", "recruiter", "post",
        "/api/interviews/999999/cancel/", "none", status=404),
    Bad("api interview: cancel as an interviewer", "interviewer", "post",
        "/api/interviews/{interview}/cancel/", "none", status=403),
    # Scorecards -------------------------------------------------------------------------------
    Bad("api scorecard: rating 9", "interviewer", "patch", "/api/scorecards/{card}/",
        "autosave", {"answers": [{"question_version": "{qv}", "rating": 9}]}, status=400,
        error="answers.0.rating"),
    Bad("api scorecard: version missing", "interviewer", "patch", "/api/scorecards/{card}/",
        "autosave", {"version": REMOVE}, status=400, error="version"),
    Bad("api scorecard: version stale", "interviewer", "patch", "/api/scorecards/{card}/",
        "autosave", {"version": "{stale}"}, status=409, error="saved from another tab"),
    Bad("api scorecard: someone else's", "interviewer", "patch",
        "/api/scorecards/{other_card}/", "autosave", status=404),
    Bad("api scorecard: open for an interview not mine", "interviewer", "post",
        "/api/scorecards/", "none", {"interview": "{other_interview}"}, status=400,
        error="interview"),
    Bad("api scorecard: submit incomplete", "interviewer", "post",
        "/api/scorecards/{card}/submit/", "none", {"version": "{version}"}, status=400,
        error="recommendation"),
    Bad("api scorecard: submit with a string version", "interviewer", "post",
        "/api/scorecards/{card}/submit/", "none", {"version": SQL}, status=400,
        error="version"),
    Bad("api scorecard: reopen by an interviewer", "interviewer", "post",
        "/api/scorecards/{card}/reopen/", "none", {"reason": "x"}, status=403),
    Bad("api scorecard: reopen a draft (admins see it once submitted)", "admin", "post",
        "/api/scorecards/{card}/reopen/", "none", {"reason": "x"}, status=404),
    Bad("api scorecard: submit someone else's", "interviewer", "post",
        "/api/scorecards/{other_card}/submit/", "none", {"version": 1}, status=404),
    Bad("api summary: another manager's candidate", "manager", "get",
        "/api/applications/{other_app}/summary/", "none", status=404),
    # The debrief decision ---------------------------------------------------------------------
    Bad("api decision: outcome unknown", "manager", "post",
        "/api/applications/{app}/decision/", "none", {"outcome": SCRIPT}, status=400,
        error="outcome"),
    Bad("api decision: reject without a reason", "manager", "post",
        "/api/applications/{app}/decision/", "none", {"outcome": "reject"}, status=400,
        error="reason"),
    Bad("api decision: comment too long", "manager", "post",
        "/api/applications/{app}/decision/", "none",
        {"outcome": "hold", "comment": "c" * 10_001}, status=400, error="comment"),
    Bad("api decision: another manager's candidate", "manager", "post",
        "/api/applications/{other_app}/decision/", "none", {"outcome": "hold"}, status=404),
    Bad("api decision: as an interviewer", "interviewer", "post",
        "/api/applications/{app}/decision/", "none", {"outcome": "hold"}, status=403),
    # Offers -----------------------------------------------------------------------------------
    Bad("api offer: salary negative", "recruiter", "post", "/api/offers/", "api_offer",
        {"base_salary": -150000}, status=400, error="base_salary"),
    Bad("api offer: salary a string", "recruiter", "post", "/api/offers/", "api_offer",
        {"base_salary": SQL}, status=400, error="base_salary"),
    Bad("api offer: bonus negative", "recruiter", "post", "/api/offers/", "api_offer",
        {"target_bonus": -1}, status=400, error="target_bonus"),
    Bad("api offer: currency lower-case", "recruiter", "post", "/api/offers/", "api_offer",
        {"currency": "usd"}, status=400, error="currency"),
    Bad("api offer: expires after the start", "recruiter", "post", "/api/offers/",
        "api_offer", {"expires_on": "{start}", "start_date": "{tomorrow}"}, status=400,
        error="expires_on"),
    Bad("api offer: expired already", "recruiter", "post", "/api/offers/", "api_offer",
        {"expires_on": "{yesterday}"}, status=400, error="expires_on"),
    Bad("api offer: start a number", "recruiter", "post", "/api/offers/", "api_offer",
        {"start_date": 20270101}, status=400, error="start_date"),
    Bad("api offer: level of another role", "recruiter", "post", "/api/offers/",
        "api_offer", {"level": "{other_role_level}"}, status=400, error="level"),
    Bad("api offer: unknown application", "recruiter", "post", "/api/offers/", "api_offer",
        {"application": 999999}, status=400, error="application"),
    Bad("api offer: application already has one", "recruiter", "post", "/api/offers/",
        "api_offer", {"application": "{advanced_app}"}, status=409, error="application"),
    Bad("api offer: by an interviewer", "interviewer", "post", "/api/offers/", "api_offer",
        status=403),
    Bad("api offer: edit on a stale version", "recruiter", "patch", "/api/offers/{draft}/",
        "none", {"version": 1000, "notes": "x"}, status=409, error="version"),
    Bad("api offer: edit a field that is not editable", "recruiter", "patch",
        "/api/offers/{draft}/", "none", {"base_salary": 0}, status=400, error="base_salary"),
    Bad("api offer: approve a step not mine", "manager", "post",
        "/api/offers/{pending}/approve/", "none", {"step": "{later_step}"}, status=403,
        error="step"),
    Bad("api offer: reject without a comment", "manager", "post",
        "/api/offers/{pending}/reject/", "none", status=400, error="comment"),
    Bad("api offer: approve as an interviewer", "interviewer", "post",
        "/api/offers/{pending}/approve/", "none", status=403),
    Bad("api offer: send a draft", "recruiter", "post", "/api/offers/{draft}/send/", "none",
        status=409, error="status"),
    Bad("api offer: e-mail a draft", "recruiter", "post", "/api/offers/{draft}/send-email/",
        "none", status=409, error="status"),
    Bad("api offer: e-mail a pending offer", "recruiter", "post",
        "/api/offers/{pending}/send-email/", "none", status=409, error="status"),
    Bad("api offer: rescind with a long reason", "recruiter", "post",
        "/api/offers/{pending}/rescind/", "none", {"reason": TOO_LONG}, status=400,
        error="reason"),
    Bad("api offer: decline a draft", "recruiter", "post", "/api/offers/{draft}/decline/",
        "none", {"reason": SCRIPT}, status=409, error="status"),
    Bad("api offer: withdraw a draft", "recruiter", "post", "/api/offers/{draft}/withdraw/",
        "none", status=409, error="status"),
    Bad("api offer: revise a draft", "recruiter", "post", "/api/offers/{draft}/revise/",
        "none", status=409, error="status"),
    Bad("api offer: accept as a hiring manager", "manager", "post",
        "/api/offers/{pending}/accept/", "none", status=403),
    Bad("api offer: band check of another manager's", "manager", "get",
        "/api/offers/{other_offer}/band-check/", "none", status=404),
    Bad("api offer: another manager's", "manager", "get", "/api/offers/{other_offer}/",
        "none", status=404),
    Bad("api offer: filter status is markup", "recruiter", "get",
        f"/api/offers/?status={SCRIPT}", "none", status=400, error="status"),
    # Notifications ----------------------------------------------------------------------------
    Bad("api notification: someone else's", "interviewer", "post",
        "/api/notifications/{manager_notification}/read/", "none", status=404),
    Bad("api notification: filter not a boolean", "manager", "get",
        "/api/notifications/?unread=maybe", "none", status=400, error="unread"),
    Bad("api notification: filter 0 is not false", "manager", "get",
        "/api/notifications/?unread=0", "none", status=400, error="unread"),
    Bad("api notification: filter 2 is not true", "manager", "get",
        "/api/notifications/?unread=2", "none", status=400, error="unread"),
])  # fmt: skip

ROWS = [pytest.param(row, id=row.name) for row in PAGES + API]


@pytest.mark.parametrize("row", ROWS)
def test_bad_input_is_refused_clearly_and_writes_nothing(world: World, row: Bad) -> None:
    refused(row, world, BASES, WATCHED)


# The control: each base body, unchanged, is accepted and written, so a row above fails on the
# one thing it changes and not on something else wrong with the body.
GOOD = [
    Bad("schedule", "recruiter", "post-form", f"{A}/interviews/new/", "schedule", status=302),
    Bad("reschedule", "recruiter", "post-form", "/interviews/{interview}/edit/", "schedule",
        {"round_name": "Moved"}, status=302),
    Bad("scorecard form", "interviewer", "post-form", SC, "scorecard", status=302),
    Bad("decision", "manager", "post-form", DEBRIEF, "decision", status=302),
    Bad("offer", "recruiter", "post-form", "/offers/new/", "offer", status=302),
    Bad("offer edit", "recruiter", "post-form", "/offers/{draft}/edit/", "offer_edit",
        {"notes": "Relocation included."}, status=302),
    Bad("vote", "manager", "post-form", "/offers/{pending}/vote/", "vote", status=302),
    Bad("link", "manager", "post-form", "/offers/approve/{link}/", "vote", status=302),
    *api_rows([
        Bad("autosave", "interviewer", "post", SAVE, "autosave"),
        Bad("api interview", "recruiter", "post", "/api/interviews/", "api_interview",
            status=201),
        Bad("api offer", "recruiter", "post", "/api/offers/", "api_offer", status=201),
        Bad("api scorecard", "interviewer", "patch", "/api/scorecards/{card}/", "autosave"),
    ]),
]  # fmt: skip


@pytest.mark.parametrize("row", [pytest.param(row, id=row.name) for row in GOOD])
def test_each_base_body_unchanged_is_accepted_and_written(world: World, row: Bad) -> None:
    accepted(row, world, BASES, WATCHED)
