from django.apps import AppConfig


class CandidateMailConfig(AppConfig):
    name = "hiring.candidate_mail"
    label = "candidate_mail"
    verbose_name = "E-mails to candidates"

    def ready(self) -> None:
        from hiring.candidate_mail.selectors.timeline import email_timeline_entries
        from hiring.candidate_mail.services.events import on_event
        from hiring.events import subscribe
        from hiring.pipeline.timeline import register_timeline_source

        subscribe("candidate_mail", on_event)
        register_timeline_source("candidate_emails", email_timeline_entries)
