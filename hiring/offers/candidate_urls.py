"""The candidate's offer page (no login): /offer/<signed token>/."""

from django.urls import path

from hiring.offers.views import candidate

app_name = "offer-letter"
urlpatterns = [
    path("<str:token>/", candidate.offer_page, name="page"),
    path("<str:token>/letter.pdf", candidate.offer_pdf, name="pdf"),
    path("<str:token>/accept/", candidate.offer_accept, name="accept"),
    path("<str:token>/decline/", candidate.offer_decline, name="decline"),
]
