"""The public apply form, fuzzed: it is a page, not an API operation, so schemathesis never
sees it. Hypothesis sends it any text in every field (control characters, markup, very long
values, unicode digits, missing fields) and a valid or broken form stamp. Every answer is the
form again with its errors or the refusal (200, 429 for the limits) or, once sent, a redirect
to the candidate's status page, never a 500; what it wrote is a whole application or nothing.
`make test-fuzz`.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiring.careers.models import ApplyAttempt, Submission
from hiring.pipeline.models import Application, Candidate
from tests.careers.support import apply_body, published_posting

pytestmark = [pytest.mark.fuzz, pytest.mark.usefixtures("playbook")]

FIELDS = ["name", "email", "phone", "location", "portfolio_url", "github_url",
          "shipped_systems", "degrees", "schools", "certifications", "consent", "website",
          "form_token", "answer_0", "answer_1"]  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(["", " ", "\x00", "\x07bell", "a\r\nBcc: x@example.org", "²", "<script>x",
                     "' OR 1=1 --", "x" * 5000, "https://", "javascript:alert(1)", "@", "on"]),
)  # fmt: skip
CHANGES = st.dictionaries(st.sampled_from(FIELDS), st.one_of(st.none(), TEXT), max_size=6)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=CHANGES)
def test_any_input_to_the_apply_form_is_answered_never_a_500(
    db: None, changes: dict[str, Any]
) -> None:
    posting = published_posting()
    ApplyAttempt.objects.all().delete()  # the rate limits are tested elsewhere
    before = (Candidate.objects.count(), Application.objects.count())
    response = Client().post(f"/careers/{posting.slug}/apply/", apply_body(posting, **changes))
    assert response.status_code in {200, 302, 400, 403, 409, 413, 429}, response.status_code
    after = (Candidate.objects.count(), Application.objects.count())
    if response.status_code == 302:  # sent: on to the page saying where it stands
        assert after[1] == before[1] + 1 and Submission.objects.exists()
    else:
        assert after[1] == before[1]  # nothing half-written
        assert "<script>x" not in response.content.decode()
