from django.urls import path

from hiring.scheduling.views import busy, candidate, recruiter

app_name = "scheduling"
urlpatterns = [
    path("applications/<int:application_id>/interviews/pick/", recruiter.pick_new, name="new"),
    path("pick-links/<int:link_id>/close/", recruiter.link_close, name="close"),
    path("pick/<str:token>/", candidate.pick, name="pick"),
    path("account/busy-times/", busy.busy_times, name="busy"),
    path("account/busy-times/<int:busy_id>/delete/", busy.busy_delete, name="busy-delete"),
    path("account/busy-times/import/", busy.busy_import_file, name="busy-import"),
    path("account/busy-times/address/", busy.busy_import_url, name="busy-url"),
]
