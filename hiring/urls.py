from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from assessments import urls as assessment_urls
from hiring import api, views
from hiring.home import views as home_views
from hiring.pipeline import urls as pipeline_urls
from hiring.sso import views as sso_views

# The interactive docs: for signed-in users (the login page first), unless API_DOCS_PUBLIC.
_docs = SpectacularSwaggerSplitView.as_view(url_name="api-schema")
if not settings.API_DOCS_PUBLIC:
    _docs = login_required(_docs)

api_patterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("audit-log/", api.AuditLogView.as_view(), name="api-audit-log"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", _docs, name="api-docs"),
]

urlpatterns = [
    path("", home_views.home, name="home"),
    path("nav-counts/", home_views.navigation_counts, name="nav-counts"),
    path("login/", sso_views.LoginView.as_view(), name="login"),
    path("logout/", sso_views.LogoutView.as_view(), name="logout"),
    path("sso/", include("hiring.sso.urls")),
    path("audit-log/", views.audit_log, name="audit-log"),
    path("account/api-tokens/", views.api_tokens, name="api-tokens"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("roles/", include("roles.urls")),
    path("assessments/", include("assessments.urls")),
    path("compensation/", include("compensation.urls")),
    path("requisitions/", include(pipeline_urls.requisition_urls)),
    path("", include("hiring.careers.urls")),
    path("candidates/", include(pipeline_urls.candidate_list_urls)),
    path("candidates/", include(pipeline_urls.candidate_urls)),
    path("candidates/", include("hiring.privacy.urls")),
    path("", include("hiring.candidate_mail.urls")),
    path("", include(assessment_urls.interview_urls)),
    path("", include("hiring.scheduling.urls")),
    path("offers/", include("hiring.offers.urls")),
    path("offer/", include("hiring.offers.candidate_urls")),
    path("reports/", include("hiring.reports.urls")),
    path("checkins/", include("hiring.checkins.urls")),
    path("notifications/", include("hiring.notifications.urls")),
    path("webhooks/", include("hiring.webhooks.urls")),
    path("transfer/", include("hiring.transfer.urls")),
    path("api/", include(api_patterns)),
    path("api/", include("hiring.pipeline.api")),
    path("api/", include("roles.api")),
    path("api/", include("assessments.api.bank")),
    path("api/", include("compensation.api")),
    path("api/", include("assessments.api.interviews")),
    path("api/", include("assessments.api.scorecards")),
    path("api/", include("assessments.api.decisions")),
    path("api/", include("hiring.offers.api")),
    path("api/", include("hiring.notifications.api")),
    path("api/", include("hiring.privacy.api")),
    path("api/", include("hiring.candidate_mail.api")),
]

if settings.BENCH_CEILING_VIEW:  # bench/load.py only, never in a deployment
    urlpatterns.append(path("bench/ceiling/", views.bench_ceiling, name="bench-ceiling"))

handler403 = "hiring.views.error_403"
handler404 = "hiring.views.error_404"
handler500 = "hiring.views.error_500"
