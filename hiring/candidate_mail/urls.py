"""The candidate e-mail pages: the templates (admins) and rejecting with an e-mail."""

from django.urls import path

from hiring.candidate_mail.views import rejections, templates

app_name = "candidate_mail"
urlpatterns = [
    path("candidate-emails/templates/", templates.templates_list, name="templates"),
    path("candidate-emails/templates/new/", templates.template_new, name="template-new"),
    path("candidate-emails/templates/preview/", templates.template_preview, name="preview"),
    path("candidate-emails/templates/<int:pk>/", templates.template_edit, name="template-edit"),
    path(
        "candidate-emails/templates/<int:pk>/delete/",
        templates.template_delete,
        name="template-delete",
    ),
    path(
        "candidates/applications/<int:pk>/reject/",
        rejections.application_reject,
        name="reject",
    ),
    path("candidates/reject/", rejections.applications_reject, name="bulk-reject"),
]
