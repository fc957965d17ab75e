"""The careers pages: public (no login) under /careers/, the recruiter's posting page under
/requisitions/<pk>/posting/."""

from django.urls import path

from hiring.careers.views import postings, public

app_name = "careers"

urlpatterns = [
    path("careers/", public.careers_list, name="list"),
    path("careers/feed.json", public.feed, name="feed"),
    path("careers/status/<str:token>/", public.status, name="status"),
    path("careers/<slug:slug>/", public.posting_detail, name="posting"),
    path("careers/<slug:slug>/apply/", public.posting_apply, name="apply"),
    path("requisitions/<int:pk>/posting/", postings.posting_edit, name="posting-edit"),
]
