from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "hiring.privacy"
    label = "privacy"
    verbose_name = "Privacy"
