from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "hiring.offers"
    label = "offers"
    verbose_name = "Offers and approvals"

    def ready(self) -> None:
        from hiring.business_time import company_calendar, local_date
        from hiring.notifications.registry import (
            SweepStep,
            register_kind,
            register_on_delivered,
            register_sweep_step,
        )
        from hiring.offers import reminders
        from hiring.offers.clock import clocks_stop_ended
        from hiring.offers.selectors.application import offer_card_actions, offer_panels
        from hiring.offers.selectors.approval_templates import requisition_chain_panel
        from hiring.offers.services.offers import offers_expire
        from hiring.offers.services.sending import (
            LETTER_SUBJECT,
            offers_catch_up_delivered,
            on_letter_delivered,
        )
        from hiring.pipeline.extensions import (
            register_application_panel,
            register_card_action,
            register_requisition_panel,
        )

        register_application_panel("offer", offer_panels)
        register_requisition_panel("approval_chain", requisition_chain_panel)
        register_card_action("offer", offer_card_actions)
        for kind in reminders.KINDS:
            register_kind(kind)
        register_sweep_step(
            SweepStep(
                "offers_expired",
                "prepare",
                lambda now: offers_expire(today=local_date(now, company_calendar())),
            )
        )
        register_sweep_step(SweepStep("offer_clocks_stopped", "prepare", clocks_stop_ended))
        # An offer letter's e-mail accepted by the mail server: the offer is sent.
        register_on_delivered(LETTER_SUBJECT, on_letter_delivered)
        register_sweep_step(SweepStep("offers_delivered", "prepare", offers_catch_up_delivered))
        register_sweep_step(
            SweepStep(reminders.APPROVER_REMINDER, "claim", reminders.claim_approver_reminders)
        )
        register_sweep_step(SweepStep("clock", "claim", reminders.claim_clock_alerts))
