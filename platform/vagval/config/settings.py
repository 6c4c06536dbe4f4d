"""Settings for every environment, read from environment variables.

With no variables set, Vägval runs on an embedded default: SQLite, Celery tasks run in-process
(eager), a local-memory cache, e-mail printed to the console and media on local disk. Setting
`DATABASE_URL` and `REDIS_URL` switches to PostgreSQL, Redis (cache and broker) and real Celery
workers. `DJANGO_DEBUG=false` turns on the production hardening that `check --deploy` expects.
Every variable is listed in the README.
"""

from __future__ import annotations

from pathlib import Path

import environ
from csp import constants as csp_constants
from django.utils.translation import gettext_lazy as _

PLATFORM_DIR = Path(__file__).resolve().parents[2]  # .../platform
BASE_DIR = PLATFORM_DIR.parent  # repository root

env = environ.Env()

DEBUG: bool = env.bool("DJANGO_DEBUG", default=True)
# The embedded default key is only good for a laptop; production refuses to start without one.
SECRET_KEY: str = (
    env.str("DJANGO_SECRET_KEY", default="insecure-embedded-default-key-change-me")
    if DEBUG
    else env.str("DJANGO_SECRET_KEY")
)
ALLOWED_HOSTS: list[str] = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL: str = env.str("VAGVAL_SITE_URL", default="http://127.0.0.1:8000")

# Where the real JobTech data lives (job ads, labour-market aggregates). Never committed.
VAGVAL_DATA_DIR = Path(env.str("VAGVAL_DATA_DIR", default=str(BASE_DIR.parent / "shared" / "data")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_htmx",
    "csp",
    # wagtail (public debate site)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    # shared core
    "vagval.web",
    "vagval.accounts",
    "vagval.audit",
    "vagval.consent",
    "vagval.taxonomy",
    "vagval.jobs",
    "vagval.matching",
    # portals
    "journey",
    "journey.cv",
    "advisers",
    "employers",
    "cms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, except that app pages follow the language switch (see module).
    "vagval.web.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "vagval.accounts.middleware.RoleSecurityMiddleware",
    "vagval.audit.middleware.AuditRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Serves stored public CMS pages to anonymous visitors without a database query.
    "cms.cache.PageCacheMiddleware",
]

ROOT_URLCONF = "vagval.config.urls"
WSGI_APPLICATION = "vagval.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The shared templates come first so they can override allauth's account and MFA pages.
        "DIRS": [PLATFORM_DIR / "vagval" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'vagval.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the dev server read while an in-process task writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

# --- Cache, Celery ----------------------------------------------------------------------------
REDIS_URL: str | None = env.str("REDIS_URL", default=None) or None
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vagval",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
# Without a broker the tasks run in-process, synchronously, so the embedded default needs no worker.
CELERY_TASK_ALWAYS_EAGER: bool = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Stockholm"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A worker started before Redis is up keeps retrying instead of exiting (compose, CI).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late, a task running when the broker connection drops is redelivered anyway:
# cancel it rather than letting it run twice at once.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True

# --- Auth and accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
SITE_ID = 1

ACCOUNT_ADAPTER = "vagval.accounts.adapter.AccountAdapter"
# Self-signup is for clients only, tied to a member company by organisation number.
ACCOUNT_FORMS = {"signup": "vagval.accounts.forms.ClientSignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Vägval] "
# Failed logins cool off per IP and per account; nothing is ever locked permanently.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("VAGVAL_LOGIN_RATE", default="10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Vägval"
# Advisers and HR hold other people's personal data: in production they must use MFA.
VAGVAL_REQUIRE_MFA_FOR_STAFF_ROLES: bool = env.bool("VAGVAL_REQUIRE_MFA", default=not DEBUG)
# Advisers are logged out after 30 minutes idle (issue 6); others get two weeks.
VAGVAL_ADVISER_IDLE_SECONDS = env.int("VAGVAL_ADVISER_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = 14 * 24 * 3600

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PLATFORM_DIR / "vagval" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- E-mail ------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Vägval <noreply@vagval.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail -----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Vägval"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "swedish" if USING_POSTGRES else None,
    }
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv"]
# Public CMS pages stay in the page cache this long at most (publishing clears it at once).
CMS_PAGE_CACHE_SECONDS = env.int("CMS_PAGE_CACHE_SECONDS", default=600)
# Reader forms (comments, replies, newsletter, events): sends per IP, cache-based.
CMS_FORM_RATE = env.str("CMS_FORM_RATE", default="5/10m")

# --- DRF ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min"},
}

# --- Privacy -----------------------------------------------------------------------------------
# Employers and public statistics never show a group smaller than this.
VAGVAL_SUPPRESSION_THRESHOLD = env.int("VAGVAL_SUPPRESSION_THRESHOLD", default=5)

# --- Job ads -----------------------------------------------------------------------------------
JOBSTREAM_URL = env.str("JOBSTREAM_URL", default="https://jobstream.api.jobtechdev.se")
JOBSTREAM_API_KEY = env.str("JOBSTREAM_API_KEY", default="")
JOBSTREAM_ENABLED: bool = env.bool("JOBSTREAM_ENABLED", default=False)

# --- Security ----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp) in every mode, so a template that breaks it fails in
# development and tests, not first in production. Scripts come from our own static files only;
# an inline <script> needs nonce="{{ request.csp_nonce }}". Inline styles stay allowed because
# htmx injects its indicator style and templates use style="width: …" for progress bars.
# The Wagtail admin ships inline scripts, so it is exempt.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/cms-admin/"],
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF, csp_constants.NONCE],
        "style-src": [csp_constants.SELF, csp_constants.UNSAFE_INLINE],
        "img-src": [csp_constants.SELF, "data:", "blob:"],
        "font-src": [csp_constants.SELF, "data:"],
        "connect-src": [csp_constants.SELF],
        # Wagtail embeds on the public site (videos of seminars and debates).
        "frame-src": [
            csp_constants.SELF,
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    },
}
if not DEBUG:
    # allauth writes absolute links (verification, password reset) into e-mails.
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Load balancers and container health checks probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
