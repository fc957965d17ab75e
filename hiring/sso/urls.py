from django.urls import path

from hiring.sso import views

app_name = "sso"
urlpatterns = [
    path("start/", views.sso_start, name="start"),
    path("callback/", views.sso_callback, name="callback"),
    path("refused/", views.sso_refused, name="refused"),
]
