from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "hiring.sso"
    label = "sso"
    verbose_name = "Single sign-on"
