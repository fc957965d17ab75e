from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from hiring.api import core as api
from hiring.views import core as views

api_patterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("audit-log/", api.AuditLogView.as_view(), name="api-audit-log"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit-log/", views.audit_log, name="audit-log"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("roles/", include("roles.urls")),
    path("assessments/", include("assessments.urls")),
    path("compensation/", include("compensation.urls")),
    path("requisitions/", include(("hiring.views.requisitions", "requisitions"))),
    path("candidates/", include(("hiring.views.candidates", "candidates"))),
    path("candidates/", include(("hiring.views.candidate_detail", "candidate"))),
    path("", include(("hiring.views.interviews", "interviews"))),
    path("offers/", include(("hiring.views.offers", "offers"))),
    path("notifications/", include(("hiring.views.notifications", "notifications"))),
    path("api/", include(api_patterns)),
    path("api/", include("hiring.api.pipeline")),
    path("api/", include("roles.api_urls")),
    path("api/", include("hiring.api.interviews")),
    path("api/", include("hiring.api.offers")),
]

handler403 = "hiring.views.core.error_403"
handler404 = "hiring.views.core.error_404"
handler500 = "hiring.views.core.error_500"
