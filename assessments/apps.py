from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Interviews, scorecards and the debrief"

    def ready(self) -> None:
        from assessments import reminders
        from assessments.selectors.interviews import interview_timeline_entries
        from assessments.services.decisions import decision_clocks_sync
        from hiring.notifications.registry import SweepStep, register_kind, register_sweep_step
        from hiring.pipeline.timeline import register_timeline_source

        register_kind(reminders.KIND)
        register_sweep_step(SweepStep("decision_clocks", "prepare", decision_clocks_sync))
        register_sweep_step(
            SweepStep(reminders.SCORECARD_REMINDER, "claim", reminders.claim_scorecard_reminders)
        )
        register_timeline_source("interviews", interview_timeline_entries)
