"""Celery tasks for interviews: they take ids, call a service, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=60,
    max_retries=6,
)
def interview_invites_send(interview_id: int) -> int:
    """Send the calendar invites (or cancellations) an interview's last change calls for."""
    from assessments.invites import invites_reconcile

    return invites_reconcile(interview_id=interview_id)


@shared_task(acks_late=True)
def interview_invites_sweep() -> int:
    """Send invites that were not queued (broker down) or not sent (worker killed)."""
    from assessments.invites import invites_sweep

    return invites_sweep()
