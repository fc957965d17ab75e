from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "hiring.careers"
    label = "careers"
    verbose_name = "Careers page"

    def ready(self) -> None:
        from hiring.careers import notices
        from hiring.careers.selectors.timeline import submission_timeline_entries
        from hiring.notifications.registry import register_kind
        from hiring.pipeline.timeline import register_timeline_source

        register_kind(notices.KIND)
        register_timeline_source("careers", submission_timeline_entries)
