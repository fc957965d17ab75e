from django.urls import path

from assessments.views import bank as views
from assessments.views import debrief, interviews, scorecards

app_name = "assessments"
urlpatterns = [
    path("bank/", views.bank, name="bank"),
    path("questions/<slug:key>/edit/", views.question_edit, name="question-edit"),
    path("red-flags/<slug:key>/edit/", views.red_flag_edit, name="red-flag-edit"),
]

# Interviews, scorecards and the debrief: their own namespace, at the site's root.
interview_urls = (
    [
        path("interviews/", interviews.my_interviews, name="mine"),
        path("interviews/calibration/", debrief.calibration, name="calibration"),
        path("interviews/calibration/mine/", debrief.my_calibration, name="my-calibration"),
        path("interviews/<int:interview_id>/scorecard/", scorecards.scorecard, name="scorecard"),
        path(
            "interviews/<int:interview_id>/scorecard/post/",
            scorecards.scorecard_post,
            name="scorecard-post",
        ),
        path("interviews/<int:interview_id>/edit/", interviews.interview_edit, name="edit"),
        path("interviews/<int:interview_id>/cancel/", interviews.interview_cancel, name="cancel"),
        path(
            "interviews/<int:interview_id>/nudge/<int:user_id>/",
            interviews.scorecard_nudge,
            name="nudge",
        ),
        path(
            "scorecards/<int:scorecard_id>/save/", scorecards.scorecard_save, name="scorecard-save"
        ),
        path(
            "scorecards/<int:scorecard_id>/reopen/",
            scorecards.scorecard_reopen_view,
            name="scorecard-reopen",
        ),
        path(
            "applications/<int:application_id>/interviews/",
            interviews.application_interviews,
            name="application",
        ),
        path(
            "applications/<int:application_id>/interviews/new/",
            interviews.interview_new,
            name="schedule",
        ),
        path("applications/<int:application_id>/debrief/", debrief.debrief, name="debrief"),
    ],
    "interviews",
)
