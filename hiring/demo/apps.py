from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data (`seed_demo`): not product code, never run in production."""

    name = "hiring.demo"
    label = "demo"
    verbose_name = "Demo data"
