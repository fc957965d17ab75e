from django.urls import path

from hiring.offers.views import approval_templates, approvals, flight, letters, offers

app_name = "offers"
urlpatterns = [
    path("", flight.offer_list, name="list"),
    path("new/", offers.offer_new, name="new"),
    path("dashboard/", flight.dashboard, name="dashboard"),
    path("letters/", letters.template_list, name="letter-templates"),
    path("letters/new/", letters.template_edit, name="letter-template-new"),
    path("letters/<int:pk>/", letters.template_edit, name="letter-template-edit"),
    path("approval-templates/", approval_templates.template_overview, name="approval-templates"),
    path(
        "approval-templates/default/",
        approval_templates.default_template,
        name="approval-template-default",
    ),
    path(
        "approval-templates/requisitions/<int:pk>/",
        approval_templates.requisition_template,
        name="approval-template",
    ),
    path("letter-preview/", letters.letter_preview, name="letter-preview"),
    path("approve/<str:token>/", approvals.approval_link, name="approval-link"),
    path("<int:pk>/", offers.offer_detail, name="detail"),
    path("<int:pk>/edit/", offers.offer_edit, name="edit"),
    path("<int:pk>/letter.pdf", letters.letter_pdf, name="letter-pdf"),
    path("<int:pk>/signed.pdf", letters.signed_pdf, name="signed-pdf"),
    path("<int:pk>/vote/", approvals.offer_vote, name="vote"),
    path("<int:pk>/<slug:action>/", offers.offer_action, name="action"),
]
