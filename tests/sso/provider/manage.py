"""A tiny OpenID Connect provider for the single sign-on tests: django-oauth-toolkit in OIDC
mode, in its own process (tests/sso/provider_process.py starts it). Not part of the app."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "idp.settings"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
