"""Settings shared by every environment. Safe by default: nothing here is a secret,
DEBUG is off, and the database and cache come from the environment when given."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "portal",
    "news",
    "volunteering",
    "workflows",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",  # the API docs' Swagger UI from ninja's bundled static files, no CDN
    "csp",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below); its {% csp %} tag
    "django_tasks",
    "django_tasks_db",  # the database task backend's table, used in production (TASKS below)
    "simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: every response, redirects included, carries its X-Request-ID (portal.logs).
    "portal.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Wagtail's view restrictions read once per request, however many lists call .public().
    "portal.view_restrictions.RequestRestrictionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    # NUL and other control characters refused before any form, filter or view reads them.
    "portal.input_guard.ControlCharacterMiddleware",
    # A `next` Django's redirect would read as a view name dropped (portal/next_guard.py).
    "portal.next_guard.UnusableNextMiddleware",
    # Wagtail's admin searches read their first 100 characters, its choosers' chosen ids are
    # ids (portal/wagtail_guards.py).
    "portal.wagtail_guards.AdminQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Sessions signed in under Django's own backend stay signed in (portal/auth_backends.py).
    "portal.auth_backends.SessionsOfDjangosBackend",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After CSRF, auth and messages: a hit gets its own CSRF token and cookie (page_cache.py).
    "portal.page_cache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "portal.middleware.CsvByteOrderMarkMiddleware",
    # A view that cannot reach the database or cache answers 503 with Retry-After, not 500.
    "portal.unavailable.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
    # Plain text (emails and text messages, `portal.emails.render_text`): the same templates,
    # without HTML escaping, so a name with < > & " reads as typed instead of as &lt; &gt;.
    # Only for text that is never shown in a browser.
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# SQLite is the embedded default; DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)
# selects PostgreSQL, the engine a city outgrows into.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# The API sign-up's statements (portal/prepared.py) are prepared by PostgreSQL once per
# connection. A pooler in transaction mode keeps them only if it tracks prepared statements
# (PgBouncer 1.21 and later, with max_prepared_statements set): DATABASE_PREPARED_STATEMENTS=0
# behind one that does not.
PREPARED_STATEMENTS = os.environ.get("DATABASE_PREPARED_STATEMENTS", "1") == "1"
# DATABASE_REPLICA_URL: a read replica of the primary (streaming replication), which the figures'
# and search read (portal/db_router.py); writes and every other read stay on the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write transactions take SQLite's lock when they begin, so two sign-ups counting places
    # run one after the other instead of failing with "database is locked" midway.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
if IS_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL selects Redis for the cache and sessions; without it a local-memory cache serves
# a single process (development).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            # A Redis that stops answering fails a request in seconds instead of hanging it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
    # cached_db: sessions survive a Redis restart or eviction.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Room for the pending view counts of many pages (the default culls at 300 entries).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Django's model backend, with a user's own and group permissions read in one query
# (`portal/auth_backends.py`: every admin page asks).
AUTHENTICATION_BACKENDS = ["portal.auth_backends.ModelBackendOneQuery"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media (uploaded images and documents) on any S3-compatible object store (AWS S3, MinIO, Ceph,
# a cloud's OSS-compatible service) when MEDIA_STORAGE=s3, or when a bucket is named; else the
# MEDIA_ROOT directory (docs/deployment.md, "Media on an object store").
MEDIA_STORAGE = os.environ.get(
    "MEDIA_STORAGE", "s3" if os.environ.get("AWS_STORAGE_BUCKET_NAME") else "filesystem"
)
if MEDIA_STORAGE not in ("s3", "filesystem"):
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be s3 or filesystem, not {MEDIA_STORAGE!r}.")
if MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            # Another store than AWS: its address, e.g. https://minio.internal:9000.
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Without them boto3 finds credentials itself (instance role, ~/.aws).
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            # A CDN or the bucket's public host name: media URLs start with it.
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Public images: plain URLs that can be cached, not signed ones that expire.
            "querystring_auth": os.environ.get("AWS_QUERYSTRING_AUTH", "0") == "1",
            "location": os.environ.get("AWS_LOCATION", ""),
            # "path" for MinIO and most self-hosted stores; "virtual" for AWS.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            # Two uploads of the same name never replace each other.
            "file_overwrite": False,
        },
    }

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Development and tests run a task at once, inside the request; production stores it in the
# database for `manage.py db_worker` (`make worker`) to run (portal/settings/production.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")

# Text messages (portal.sms): the backend that sends them, like EMAIL_BACKEND. A real provider's
# backend is named here; docs/accounts.md says how to write one.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "portal.sms.ConsoleBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(BASE_DIR / "sms-outbox.log"))
SMS_SIGNATURE = os.environ.get("SMS_SIGNATURE", "【在职党员进社区】")
# Residents' requests (docs/residents-heard.md): one still waiting to be accepted this many days
# after it arrived is escalated to the city; daily digests go out from this hour (local time).
VOICE_ESCALATION_DAYS = int(os.environ.get("VOICE_ESCALATION_DAYS", "3"))
VOICE_DIGEST_HOUR = int(os.environ.get("VOICE_DIGEST_HOUR", "8"))
# Letters and notices (docs/letters.md): deliveries are sent in batches of at most this many
# emails/texts, one batch at a time, at least this many seconds apart.
LETTERS_SEND_BATCH = int(os.environ.get("LETTERS_SEND_BATCH", "200"))
LETTERS_SEND_INTERVAL = int(os.environ.get("LETTERS_SEND_INTERVAL", "60"))

# Wagtail
WAGTAIL_SITE_NAME = _("在职党员进社区服务平台")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The site's public address, e.g. https://portal.example.gov.cn: every link that leaves the site
# (emails, QR codes, feeds, sitemaps, calendars) starts with it, through portal.addresses. `make
# run` sets it to what it serves; production requires it. `migrate` and `load_demo` keep the
# default Wagtail Site's hostname and port in step with it.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
# The admin in the portal's two languages only, in the city's time zone only (Wagtail otherwise
# offers forty languages and every time zone of the world, in English, on each account page).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
# Review emails go to the page's own reviewers (workflows.editorial), not to every superuser.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# Only superusers hold publish_page: the editorial workflow's final approval publishes.
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.publishing.publish_approved_page"
# News carries its publication time to the second (the report: 2014-07-17 01:58:29); the
# admin's date-time fields keep the seconds so that saving a page never truncates them.
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
WAGTAILSEARCH_BACKENDS = {
    # Wagtail's database backend, taught to find Chinese words inside longer runs of text
    # (CJK runs indexed as bigrams; see portal/search). Run update_index after changing it.
    "default": {"BACKEND": "portal.search.backend"},
}
# No page, public or admin, loads anything from another host (docs/configuration.md): no
# Gravatar avatars (a broken image on city networks, and each user's email hash sent out), no
# superuser upgrade check against Wagtail's release server, no "what's new" banner to wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Every image form: an image Pillow cannot read is "not a valid image", not a 500
# (portal/wagtail_guards.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.wagtail_guards.ImageForm"

# News view counting: how long one visitor's reloads count once, and how often pending
# counts are written to the database.
NEWS_VIEW_DEDUP_SECONDS = int(os.environ.get("NEWS_VIEW_DEDUP_SECONDS", "1800"))
NEWS_VIEW_FLUSH_SECONDS = int(os.environ.get("NEWS_VIEW_FLUSH_SECONDS", "60"))

# Public pages served to anonymous visitors from the cache (portal/page_cache.py,
# docs/deployment.md): every entry lives at most PAGE_CACHE_SECONDS, the bound on staleness for
# what no signal announces (figures, view counts shown, a deadline passing).
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "1") == "1"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# How often each process reads the site-wide version from the shared cache: a publish on one
# app server reaches the pages the others serve within this many seconds.
PAGE_CACHE_VERSION_SECONDS = float(os.environ.get("PAGE_CACHE_VERSION_SECONDS", "1"))
# Addresses per page of the sitemap (portal/sitemaps.py): /sitemap.xml is an index of its pages.
SITEMAP_PAGE_SIZE = int(os.environ.get("SITEMAP_PAGE_SIZE", "1000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# History keeps the whole reason given for a state change (returns, rejections), not 100 chars.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# `manage.py prune_history` deletes history older than this (keeping each record's newest entry
# and everything about records awaiting a decision); nothing else ever deletes history.
HISTORY_RETENTION_DAYS = int(os.environ.get("HISTORY_RETENTION_DAYS", 1826))
# Residents' names and phones on their requests are erased this long after a request is closed
# or turned down (docs/privacy.md); by the same yearly `prune_history` run.
RESIDENT_CONTACT_RETENTION_DAYS = int(os.environ.get("RESIDENT_CONTACT_RETENTION_DAYS", 1095))
# An organisation whose report rate (members reported and confirmed in a year / members on its
# roll) is below this cannot be rated an advanced organisation (先进单位) that year.
ADVANCED_ORGANISATION_MIN_REPORT_RATE = 0.9

# Response headers on every page (django.middleware.security and portal.middleware): no
# Referer sent to other sites (a page's address can name a member or a request); and none of
# the browser's devices or sensors, which no page of the portal uses, for any page or frame.
# And a Content-Security-Policy (django-csp, portal.middleware.ContentSecurityPolicyMiddleware),
# in every environment, so that a developer sees a violation where it starts.
SECURE_REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
}

# The reverse proxies (addresses or networks such as "10.0.0.0/8") whose X-Forwarded-For is
# believed when they connect (portal.http.client_address). None by default: then the socket's
# peer is the client, and a forged header changes nothing.
TRUSTED_PROXIES: list[str] = []

# Content-Security-Policy (docs/deployment.md, "Content-Security-Policy"): every page loads
# scripts, styles, images, fonts and frames from the portal itself only; no inline script or
# style on public pages, except the few that carry this response's nonce ({% csp %} blocks,
# `nonce="{{ request.csp_nonce }}"`); no plugin, no <base>, forms post to the portal, and the
# pages are framed by the portal only (the admin's preview panel). data: images for Wagtail's
# icons and blob: for the image uploader's previews. MEDIA_URL's host is added when media live
# on an object store (below, after STORAGES).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "media-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if MEDIA_STORAGE == "s3":
    _media = STORAGES["default"]["OPTIONS"]
    _media_origin = (
        f"https://{_media['custom_domain']}"
        if _media["custom_domain"]
        else (_media["endpoint_url"] or "https://*.amazonaws.com")
    )
    for _directive in ("img-src", "media-src"):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(_media_origin)
# The Wagtail admin and Django's admin (only signed-in staff reach more than their login page)
# keep inline scripts and styles: Wagtail 8 still writes <script> elements into its inline
# panels and date pickers and style attributes into many widgets (wagtail/wagtail#1288). There
# these directives replace the ones above; everything else stays as strict. No nonce there:
# a nonce in a directive makes browsers ignore 'unsafe-inline'.
CSP_ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")
CSP_ADMIN_DIRECTIVES = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/my/"
# A password reset link by email works for a day (portal.password_reset).
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
