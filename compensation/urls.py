from django.urls import path

from compensation import views

app_name = "compensation"
urlpatterns = [
    path("bands/", views.bands, name="bands"),
    path("bands/new/", views.band_form, name="band-new"),
    path("bands/<int:pk>/edit/", views.band_form, name="band-edit"),
]
