"""Django settings. Every value that varies by deployment comes from hiring.config."""

from datetime import timedelta

from hiring.config import BASE_DIR, VAR_DIR, load_config, parse_business_hours

CONFIG = load_config()

DEBUG = CONFIG.DEBUG
SECRET_KEY = CONFIG.SECRET_KEY or "insecure-development-key-only-used-with-debug-on"
ALLOWED_HOSTS = CONFIG.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = CONFIG.CSRF_TRUSTED_ORIGINS
SITE_URL = CONFIG.site_url()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "template_partials",
    "axes",
    "pgtrigger",
    "knox",
    "csp",
    "hiring",
    "hiring.notifications",
    "roles",
    "compensation",
    "hiring.pipeline",
    "hiring.offers",
    "assessments",
    "hiring.careers",
    "hiring.scheduling",
    "hiring.privacy",
    "hiring.candidate_mail",
    "hiring.webhooks",
    "hiring.checkins",
    "hiring.transfer",
    "hiring.reports",
    "hiring.sso",
    "hiring.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "hiring.middleware.NoStoreMiddleware",
    "hiring.replica.ReplicaReadsMiddleware",
    # Last, so it sees the outcome of authentication (axes' own rule).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hiring.urls"
WSGI_APPLICATION = "hiring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hiring.context_processors.navigation",
            ],
            "builtins": ["hiring.jinja"],  # {% jinja "....jinja" %}: a hot fragment
        },
    },
    {
        # The hot fragments only (templates/**/*.jinja, rendered through hiring.jinja).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "hiring.jinja.environment"},
    },
]

# Form widgets render with Django's own Jinja2 templates: the same HTML, several times faster
# than the Django-template ones (a 50-option select was a sixth of the candidate list's time).
FORM_RENDERER = "django.forms.renderers.Jinja2"

DATABASES = CONFIG.databases()
# Lists and reports read from DATABASE_REPLICA_URL when it is set (hiring.replica).
DATABASE_ROUTERS = ["hiring.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = CONFIG.REPLICA_PIN_SECONDS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "hiring.sso.backends.PasswordBackend",  # refuses passwords with PASSWORD_LOGIN off
    "hiring.sso.backends.CompanyAccountBackend",  # OpenID Connect, with OIDC_ISSUER set
]
# Single sign-on (hiring.sso; mozilla-django-oidc reads the OIDC_* names). The provider's
# endpoints come from its discovery document (hiring.sso.discovery).
OIDC_ISSUER = CONFIG.OIDC_ISSUER
OIDC_RP_CLIENT_ID = CONFIG.OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = CONFIG.OIDC_CLIENT_SECRET
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for the provider's logout (id_token_hint)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_GROUPS_CLAIM = CONFIG.OIDC_GROUPS_CLAIM
OIDC_GROUP_ROLES = CONFIG.OIDC_GROUP_ROLES
PASSWORD_LOGIN = CONFIG.PASSWORD_LOGIN
BREAK_GLASS_ADMIN = CONFIG.BREAK_GLASS_ADMIN
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: a username+address pair is locked out after a few failures.
AXES_FAILURE_LIMIT = CONFIG.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=CONFIG.LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_SUCCESS_LOG = True
AXES_VERBOSE = False
# Behind TRUSTED_PROXIES, the lockout keys on the client's address from X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "hiring.proxies.client_ip"
TRUSTED_PROXIES = CONFIG.TRUSTED_PROXIES
API_DOCS_PUBLIC = CONFIG.API_DOCS_PUBLIC
BENCH_CEILING_VIEW = CONFIG.BENCH_CEILING_VIEW

LANGUAGE_CODE = "en-us"
TIME_ZONE = CONFIG.COMPANY_TIME_ZONE
USE_I18N = False
USE_TZ = True
COMPANY_TIME_ZONE = CONFIG.COMPANY_TIME_ZONE
COMPANY_NAME = CONFIG.COMPANY_NAME
HOLIDAY_COUNTRY = CONFIG.HOLIDAY_COUNTRY
HOLIDAY_SUBDIVISION = CONFIG.HOLIDAY_SUBDIVISION or None
# Offers: the business day of the two-business-day clock, reminders and approvers.
BUSINESS_HOURS = parse_business_hours(CONFIG.BUSINESS_HOURS)
REMINDER_SWEEP_MINUTES = CONFIG.REMINDER_SWEEP_MINUTES
STALLED_DAYS = CONFIG.STALLED_DAYS
OFFER_FINANCE_APPROVERS = CONFIG.OFFER_FINANCE_APPROVERS
OFFER_EXCEPTION_APPROVERS = CONFIG.OFFER_EXCEPTION_APPROVERS
APPROVAL_LINK_HOURS = CONFIG.APPROVAL_LINK_HOURS
OFFER_LINK_RATE_PER_MINUTE = CONFIG.OFFER_LINK_RATE_PER_MINUTE
# Candidates: months after their last application ended until their data is erased (0: never).
RETENTION_MONTHS = CONFIG.RETENTION_MONTHS
# Pick links: fetching an interviewer's calendar address may reach only public addresses
# (on in tests, whose calendar server runs on loopback).
CALENDAR_FETCH_ALLOW_PRIVATE = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed, cache-forever names once collectstatic has run (the Docker image
    # does); plain names straight from static/ before that (make run, tests).
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if (STATIC_ROOT / "staticfiles.json").exists()
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

# E-mail (EMAIL_URL), from address.
globals().update(CONFIG.email())
DEFAULT_FROM_EMAIL = CONFIG.DEFAULT_FROM_EMAIL
SERVER_EMAIL = CONFIG.DEFAULT_FROM_EMAIL

# Security: cookies and headers that `check --deploy` asks for when DEBUG is off.
SESSION_ENGINE = "hiring.sessions"  # Django's database sessions, read with a compiled query
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
SECURE_SSL_REDIRECT = CONFIG.SECURE_SSL_REDIRECT
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only this site's own scripts, styles and images; no
# inline script or style anywhere (the templates have none; htmx's indicator style is in
# app.css), no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # With single sign-on, logging out goes on to the provider's logout (a redirect
        # after the form's post, which form-action covers too).
        "form-action": ["'self'", *CONFIG.sso_origins()],
        "frame-ancestors": ["'none'"],
    }
}
SILENCED_SYSTEM_CHECKS = [
    # SECURE_SSL_REDIRECT is off by default: TLS ends at the proxy in front of gunicorn,
    # which redirects HTTP itself. Set SECURE_SSL_REDIRECT=true when it does not.
    "security.W008",
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API call then gets 401 with a WWW-Authenticate header.
        "knox.auth.TokenAuthentication",  # hashed at rest; shown once, at creation
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "hiring.api_schema.AutoSchema",  # documents the error answers
    "DEFAULT_FILTER_BACKENDS": ["hiring.api_support.StrictFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "hiring.api_parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "hiring.api_support.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "hiring.api_support.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
REST_KNOX = {
    "TOKEN_TTL": None,  # an integration's token lasts until revoked (the tokens page)
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hiring API",
    "DESCRIPTION": "Pipeline, playbook, scorecards and offers. Same permissions as the pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema is for signed-in users (API_DOCS_PUBLIC opens it): it maps every endpoint.
    "SERVE_PERMISSIONS": (
        ["rest_framework.permissions.AllowAny"]
        if CONFIG.API_DOCS_PUBLIC
        else ["rest_framework.permissions.IsAuthenticated"]
    ),
    # Several models have a "status": name each choice set after its model. A Status enum is
    # named by its `.choices` (of the enum itself, drf-spectacular would read member names
    # as the labels and match no field).
    "ENUM_NAME_OVERRIDES": {
        "ScorecardStatusEnum": "assessments.rules.ScorecardStatus.choices",
        # The rejection reasons: the pipeline's end API and the rejection e-mails share them.
        "RejectionReasonEnum": "hiring.pipeline.rules.REJECTION_REASONS",
    },
}

# Celery: settings measured in FIELD-NOTES (no lost or repeated work on a killed worker).
CELERY_BROKER_URL = CONFIG.CELERY_BROKER_URL
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Exchange tables (the worker's pidbox) too: everything the broker writes is in var/.
        "control_folder": str(_broker_dir / "control"),
        # Poll often: the embedded broker has no push, and tasks should start within a second.
        "polling_interval": 0.2,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = COMPANY_TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The schedule lives here, in code. One short sweep finds in the database what is due (no
# long countdowns: see FIELD-NOTES); run exactly one beat.
CELERY_BEAT_SCHEDULE = {
    "reminders-sweep": {
        "task": "hiring.notifications.tasks.reminders_sweep",
        "schedule": REMINDER_SWEEP_MINUTES * 60.0,
        "options": {"expires": REMINDER_SWEEP_MINUTES * 60.0},
    },
    # Calendar invites a broker outage or a killed worker left unsent (claimed rows: no repeat).
    "interview-invites-sweep": {
        "task": "assessments.tasks.interview_invites_sweep",
        "schedule": 300.0,
        "options": {"expires": 300.0},
    },
    # The reports' summary table, rebuilt whole (the pages show its age).
    "reports-refresh": {
        "task": "hiring.reports.tasks.reports_refresh",
        "schedule": 15 * 60.0,
        "options": {"expires": 15 * 60.0},
    },
    # Import jobs whose worker was lost (or never queued: broker down), queued again; a job
    # run twice writes nothing twice (its rows are taken batch by batch under the job's lock).
    "imports-sweep": {
        "task": "hiring.transfer.tasks.imports_sweep",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    # Candidates past RETENTION_MONTHS anonymised (each claimed by its Erasure row: no repeat).
    "retention-sweep": {
        "task": "hiring.privacy.tasks.retention_sweep",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 60 * 60.0},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "hiring.redaction.RedactTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"axes": {"level": "WARNING"}},
}
