"""districtwiki settings: one module, driven by environment variables.

Every value has a safe default for the embedded mode (one machine, SQLite, no other service).
An invalid value stops start-up with a message naming the variable (ImproperlyConfigured).
"""

import ipaddress
import os
import re
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
ENV_PREFIX = "DISTRICTWIKI_"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(ENV_PREFIX + name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(ENV_PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{ENV_PREFIX}{name}={raw!r} is not a boolean: use true or false.")


def env_int(name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    raw = os.environ.get(ENV_PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{ENV_PREFIX}{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{ENV_PREFIX}{name}={raw!r} must be at least {minimum}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{ENV_PREFIX}{name}={raw!r} must be at most {maximum}.")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{ENV_PREFIX}{name}={value!r} must be one of: {', '.join(choices)}.")
    return value


def env_networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Comma-separated addresses and CIDR ranges (10.0.0.5, 10.1.0.0/16, ::1); empty by default."""
    raw = env_str(name)
    try:
        return tuple(ipaddress.ip_network(part.strip()) for part in raw.split(",") if part.strip())
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{ENV_PREFIX}{name}={raw!r} is not a list of IP addresses or networks: {error}."
        ) from None


DATA_DIR = Path(env_str("DATA_DIR") or Path.cwd() / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def load_secret_key() -> str:
    """The key from the environment, else the one stored in the data dir (made on first run)."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = load_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env_str("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
SITE_NAME = env_str("SITE_NAME", "districtwiki")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "districtwiki.accounts",
    "districtwiki.wiki",
    "districtwiki.content",
    "districtwiki.community",
    "districtwiki.operations",
    "districtwiki.notifications",
    "districtwiki.discussions",
    "districtwiki.events",
    "districtwiki.advocacy",
    "districtwiki.interchange",
    "districtwiki.api",
]

MIDDLEWARE = [
    # First, so that it stores answers with every header the others add. Under `districtwiki serve` hits
    # are answered before Django runs (pagecache.PageCacheApplication); this answers them for other
    # servers, and makes and stores every miss.
    "districtwiki.wiki.pagecache.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "districtwiki.security.SecurityHeadersMiddleware",
    "districtwiki.security.RefuseNulMiddleware",  # PostgreSQL fails a query that compares text with a NUL
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "districtwiki.wiki.membercache.OwnChangesMiddleware",
    "districtwiki.accounts.middleware.BearerTokenMiddleware",
    "districtwiki.replicas.ReadYourWritesMiddleware",  # after the bearer token is known
    "districtwiki.accounts.middleware.PrivateWikiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "districtwiki.urls"
WSGI_APPLICATION = "districtwiki.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

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
                "districtwiki.context_processors.site",
                "districtwiki.notifications.context_processors.bell",
            ],
        },
    },
]

# --- Database: SQLite in WAL mode under the data dir, or PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    except Exception as error:  # the parser raises several types for a malformed URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {error}") from None
    if _db.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_URL must be a postgres:// URL (SQLite is the default without it)."
        )
    _db.setdefault("TEST", {})
    DATABASES = {"default": _db}

# On PostgreSQL every statement's parameters are bound on the server (Django's queries too:
# server_side_binding), and a statement run twice on a connection is prepared there, sparing the server its
# planning (a save's dozen statements, a signed-in view's few). Turn preparing off behind a pooler in
# transaction mode that does not keep prepared statements (PgBouncer before 1.21, or without
# max_prepared_statements); binding on the server needs nothing of a pooler.
PREPARED_STATEMENTS = env_bool("PREPARED_STATEMENTS", True)
PREPARE_AFTER_RUNS = 2


def prepared_statements(database: dict) -> None:
    """psycopg's switch, in a PostgreSQL entry of DATABASES: None leaves every statement unprepared."""
    options = database.setdefault("OPTIONS", {})
    options.setdefault("server_side_binding", True)
    options.setdefault("prepare_threshold", PREPARE_AFTER_RUNS if PREPARED_STATEMENTS else None)


# SQLite's page cache, per connection: each of an app process's threads holds one (granian's blocking
# threads, the background worker's), all caching the same file, which the operating system caches too.
# SQLite's own default, 2,000 KiB, made a worker's peak resident memory 21 MB larger at 10,000 pages for no
# measurable speed (docs/deploy.md, "Memory"). A bulk load's writer caches more (wiki/bulk.py).
SQLITE_CACHE_KB = env_int("SQLITE_CACHE_KB", 512, minimum=64, maximum=1_048_576)

if DATABASE_URL:
    prepared_statements(DATABASES["default"])
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "districtwiki.sqlite3",
            "CONN_MAX_AGE": 600,  # keep each thread's connection: opening one runs the PRAGMAs below
            "CONN_HEALTH_CHECKS": True,
            # IMMEDIATE takes the write lock when a transaction starts, so concurrent writers queue on the
            # busy timeout instead of failing on a read-to-write lock upgrade.
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                f"PRAGMA cache_size=-{SQLITE_CACHE_KB};",
            },
            # The test database is a file, not shared memory, so that threads really run concurrently;
            # one per process, so that test runs side by side do not collide.
            "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"districtwiki-test-{os.getpid()}.sqlite3")},
        }
    }


# --- Read replicas (PostgreSQL streaming replicas): reads of GET requests go to them, everything else to the
# primary; a client that has just written reads from the primary for READ_YOUR_WRITES_SECONDS. See
# districtwiki/replicas.py and docs/replicas.md.
def replica_database(number: int, url: str) -> dict:
    """The DATABASES entry for the number-th URL of DATABASE_REPLICA_URLS (never echoed: it may hold a
    password)."""
    where = f"DATABASE_REPLICA_URLS entry {number}"
    if not url:
        raise ImproperlyConfigured(f"{where} is empty: separate the replica URLs with single commas.")
    try:
        replica = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as error:  # the parser raises several types for a malformed URL
        raise ImproperlyConfigured(f"{where} is not a valid database URL: {error}") from None
    if replica.get("ENGINE") != "django.db.backends.postgresql" or not replica.get("NAME"):
        raise ImproperlyConfigured(f"{where} must be a postgres://USER@HOST:PORT/DATABASE URL.")
    # A replica that cannot be reached costs one request this long before reads fall back to the primary.
    replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    prepared_statements(replica)
    replica["TEST"] = {"MIRROR": "default"}  # tests read the test database through the replica's alias
    return replica


DATABASE_REPLICA_URLS = os.environ.get("DATABASE_REPLICA_URLS", "").strip()
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 10, minimum=1)
READ_REPLICAS: list[str] = []  # the replicas' aliases in DATABASES
if DATABASE_REPLICA_URLS:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs DATABASE_URL: replicas are PostgreSQL only.")
    for _number, _url in enumerate(DATABASE_REPLICA_URLS.split(","), start=1):
        DATABASES[f"replica{_number}"] = replica_database(_number, _url.strip())
        READ_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["districtwiki.replicas.ReplicaRouter"] if READ_REPLICAS else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: local memory by default; Redis with REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from the shared cache and fall back to the database, so every app process sees them.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Channel layer (live chat): Redis with REDIS_URL so that every app process shares it (CHANNEL_LAYER_URL
# puts it on another Redis server or database); in memory, one ASGI process only, without it.
CHANNEL_LAYER_URL = env_str("CHANNEL_LAYER_URL") or REDIS_URL
if CHANNEL_LAYER_URL:
    if not CHANNEL_LAYER_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"{ENV_PREFIX}CHANNEL_LAYER_URL must start with redis://, rediss:// or unix://."
        )
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # group_expiry: a room's consumers rejoin their groups every heartbeat (events/consumers.py).
            "CONFIG": {"hosts": [CHANNEL_LAYER_URL], "prefix": "districtwiki:channels", "capacity": 500},
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 500}}
    }
# Where pages open their WebSocket: 0 is the page's own address (nginx or another proxy routes /ws/ to the
# ASGI processes, docs/deploy.md); a port is the page's host at that port. `districtwiki serve` sets it to
# the port its ASGI process listens on unless it is given. Unset (another server, the tests, `serve
# --no-live-rooms`): nothing serves WebSockets, and room pages stay plain pages with their forms.
WEBSOCKET_PORT = env_int("WEBSOCKET_PORT", 0, maximum=65535) if env_str("WEBSOCKET_PORT") else None
# Set by `districtwiki serve` for its WSGI workers when the channel layer is in memory: the address of the
# ASGI process's relay, through which a message posted by a form or the API reaches the live rooms.
WEBSOCKET_RELAY_URL = env_str("WEBSOCKET_RELAY_URL")
# Live room connections one member may hold at once (tabs, devices), per ASGI process; and signed-out
# readers from one address (a district's staff behind one NAT reading an event), per ASGI process.
CHAT_CONNECTIONS_PER_MEMBER = env_int("CHAT_CONNECTIONS_PER_MEMBER", 5, minimum=1, maximum=1000)
CHAT_CONNECTIONS_PER_ADDRESS = env_int("CHAT_CONNECTIONS_PER_ADDRESS", 100, minimum=1, maximum=100_000)

# Whole answers of anonymous page views (districtwiki/wiki/pagecache.py): in the cache above with REDIS_URL,
# else one file per page here. CDN_MAX_AGE is how long a shared cache (nginx, a CDN) may keep one unchecked.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_DIR = Path(env_str("PAGE_CACHE_DIR") or DATA_DIR / "cache" / "pages").resolve()
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 7 * 24 * 3600, minimum=1)
PAGE_CACHE_MEMORY_MB = env_int("PAGE_CACHE_MEMORY_MB", 16)  # per app process, in front of the above
# With REDIS_URL: how long an app process may go on using the page stamps it keeps (and the members below)
# without a confirmed subscription to the announcements of changes (wiki/stampcache.py). On SQLite without
# Redis the tables are kept too, confirmed before each view by the connection itself. 0: keep none.
PAGE_STAMP_SECONDS = env_int("PAGE_STAMP_SECONDS", 30, minimum=0)
# With REDIS_URL or on SQLite: how long an app process may keep a signed-in member's lookup, should a
# change of it not be announced (wiki/membercache.py); changes are announced, so this is a bound, not a
# delay; 0: keep none.
MEMBER_SECONDS = env_int("MEMBER_SECONDS", 300, minimum=0)
CDN_MAX_AGE = env_int("CDN_MAX_AGE", 0)

# Django's model backend signs members in (sessions name it, so it stays first); the second signs nobody in
# but tells an applicant whose account waits for approval why the right password is refused.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "districtwiki.accounts.backends.PendingApplicationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]  # the project package is not an app, so its static/ needs naming
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "uploads"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- E-mail: printed to the console in the embedded mode (or written to files), SMTP when configured.
EMAIL_MODE = env_choice("EMAIL", "console", ("console", "file", "smtp"))
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[EMAIL_MODE]
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("FROM_EMAIL", "districtwiki <noreply@localhost>")
# The site's public address, for links in e-mails sent without a request (the notification digest).
SITE_URL = env_str("SITE_URL", f"http://{env_str('HOST', '127.0.0.1')}:{env_str('PORT', '8000')}").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"{ENV_PREFIX}SITE_URL={SITE_URL!r} must start with http:// or https://.")
# The notification digest worker: a thread inside `serve`, or a separate `districtwiki worker` process.
WORKER = env_choice("WORKER", "in-process", ("in-process", "external"))

# --- Security. HTTPS-only cookies when the site is served over HTTPS (behind a proxy that says so).
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
# Reverse proxies (nginx, a load balancer) whose X-Forwarded-For is believed: the client address used for
# sign-in lock-out is taken from that header only when the request comes from one of these (docs/deploy.md).
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Wiki behaviour.
ALLOW_ANONYMOUS_EDITS = env_bool("ALLOW_ANONYMOUS_EDITS", False)
PRIVATE_WIKI = env_bool("PRIVATE_WIKI", False)
# Who may create an account: anyone (open), people invited by e-mail (invite), or anyone whose application an
# admin or trusted member approves (approval). A private wiki is by invitation unless this says otherwise.
SIGNUP = env_choice("SIGNUP", "invite" if PRIVATE_WIKI else "open", ("open", "invite", "approval"))
INVITATIONS_PER_DAY = env_int("INVITATIONS_PER_DAY", 100, minimum=1)  # per inviter, in any 24 hours
# How long an invitation link works: at most ten years (an expiry past the year 9999 failed every invitation).
INVITATION_DAYS = env_int("INVITATION_DAYS", 14, minimum=1, maximum=3650)
REQUIRE_EMAIL_CONFIRMATION = env_bool("REQUIRE_EMAIL_CONFIRMATION", True)
MAX_PAGE_BYTES = env_int("MAX_PAGE_BYTES", 256 * 1024, minimum=1024)
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024)
EDIT_RATE_LIMIT = env_int("EDIT_RATE_LIMIT", 30, minimum=1)  # saves per user per minute
# Chat messages one member may post in a window, written "<messages>/<seconds>" (events/chat.py).
CHAT_RATE = env_str("CHAT_RATE", "10/10")
if not re.fullmatch(r"[1-9][0-9]{0,5}/[1-9][0-9]{0,5}", CHAT_RATE):
    raise ImproperlyConfigured(f"{ENV_PREFIX}CHAT_RATE={CHAT_RATE!r} must be <messages>/<seconds>: 10/10.")
# The advocacy survey's smallest published group: a figure for fewer answers than this is never shown.
SURVEY_MIN_GROUP = env_int("SURVEY_MIN_GROUP", 5, minimum=2, maximum=1000)
# Minutes after an event's end time before `districtwiki events end-due` ends it and writes its transcript.
EVENT_GRACE_MINUTES = env_int("EVENT_GRACE_MINUTES", 30, minimum=0, maximum=10080)
# Seconds a request may run in the server before it is stopped with a 503 (districtwiki/timebudget.py); at
# most a day (past threading.TIMEOUT_MAX, some 292 years, the watchdog thread died and stopped nothing).
REQUEST_TIME_LIMIT = env_int("REQUEST_TIME_LIMIT", 30, minimum=1, maximum=86400)
# Bytes of text one member (or, with anonymous edits, one client address) may preview per minute: a preview
# renders the text, so this bounds the work one editor can ask for; a preview counts at least 16 KiB.
PREVIEW_BYTES_PER_MINUTE = env_int("PREVIEW_BYTES_PER_MINUTE", 4 * 1024 * 1024, minimum=65536)
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# Account e-mails (password reset, address confirmation, sign-up notices) per hour, to one e-mail address
# and at the request of one client address (accounts/throttling.py).
ACCOUNT_MAIL_LIMIT_PER_RECIPIENT = env_int("ACCOUNT_MAIL_LIMIT_PER_RECIPIENT", 3, minimum=1)
ACCOUNT_MAIL_LIMIT_PER_CLIENT = env_int("ACCOUNT_MAIL_LIMIT_PER_CLIENT", 10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_PAGE_BYTES * 4 + 65536
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "warning", ("debug", "info", "warning", "error")).upper(),
    },
}
