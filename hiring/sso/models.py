"""Who a company account is: the issuer's subject linked to the user it signed in as."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Identity(models.Model):
    """One identity provider's account (`issuer`, `subject`: the `sub` claim, stable for
    life) and the user it is. Linking by `sub`, never by e-mail: an address can be reused
    or unverified at the provider, a subject cannot."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities"
    )
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # The sign-in's lookup, and one user per provider account.
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"
