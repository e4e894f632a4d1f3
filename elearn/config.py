"""Default settings. Overridden by instance/config.py, then by ELEARN_* environment variables."""

from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

# The most a learner may type into one free-text answer, and the most of it a statement carries.
FREE_TEXT_LIMIT = 2000


class Defaults:
    """Safe defaults for local use; production must set ELEARN_SECRET_KEY and ELEARN_BASE_URL."""

    # Development only. create_app refuses to start with no key unless ENV is development/testing.
    SECRET_KEY: str | None = None
    # False only for the `elearn` command (elearn.cli), which signs nothing: with no key it gets
    # a random one per process. Never turn it off for the web app (every worker needs one key).
    SECRET_KEY_REQUIRED = True
    ENV = "production"
    SQLALCHEMY_DATABASE_URI: str | None = None  # default: SQLite in instance/ (set in create_app)
    # hide_parameters: no learner's data (emails, answers, hashes) in an error message or log line.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    # The service's permanent https address: every learner's and activity's identity in the
    # Learning Record Store is made from it. Required outside development (see base_url_problem);
    # in development it is the address the app is served on.
    BASE_URL = ""
    SERVICE_NAME = "Health Data Guides"
    CONTACT_EMAIL = "tvssde@ouh.nhs.uk"  # the course team, shown on help and error pages

    # The signed cookie holds the key of a server-side session (elearn.auth.models.UserSession),
    # so any web process can serve any request and signing out ends every copy of the cookie.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # turned on in create_app when BASE_URL is https
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 8

    # Server-side sessions (elearn.auth): signed out after this long without a request, and
    # after the absolute limit whatever happens. On https the cookie is named __Host-session.
    SESSION_IDLE_MINUTES_STAFF = 30
    SESSION_IDLE_MINUTES_LEARNER = 120
    SESSION_ABSOLUTE_HOURS = 12
    # How often `elearn xapi worker` looks for sessions that timed out, ends them and records
    # their end (`terminated`) in learning records; every worker may sweep, each session is
    # recorded once.
    SESSION_SWEEP_SECONDS = 60.0

    # Who must sign in with a code from an authenticator app as well as a password (anyone may
    # turn it on). Reviewers and admins see pilot data.
    TWO_FACTOR_ROLES = ["reviewer", "admin"]

    # Email (password reset links). No server: admins make reset links to give to learners.
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS
    MAIL_USE_SSL = False  # SMTP over TLS from the start (port 465)
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_SENDER = "Health Data Guides <no-reply@localhost>"
    MAIL_TIMEOUT = 10.0  # seconds; a slow mail server never holds a page up for longer
    PASSWORD_RESET_MINUTES = 60

    # The audit log keeps entries this long; `elearn audit purge` removes older ones.
    AUDIT_RETENTION_DAYS = 730

    WTF_CSRF_TIME_LIMIT = 60 * 60 * 4

    # werkzeug's method for new password hashes. Stored hashes name their own method, so any
    # of them still verifies. Tests use a cheap one; keep the default everywhere else.
    PASSWORD_HASH_METHOD = "scrypt"

    # Sign-in attempts: failed tries only are counted.
    SIGN_IN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    SIGN_IN_LIMIT_PER_ADDRESS = "20 per 15 minutes"
    # Checking certificate verification codes: codes that are not valid are counted per address.
    CERTIFICATE_CHECK_LIMIT = "20 per hour"
    RESET_REQUEST_LIMIT = "5 per hour"  # reset-link requests from one address
    # Where the sign-in, two-factor and reset counts are kept: the database, or Redis when
    # this is set (like "redis://127.0.0.1:6379/0"). With Redis, the registration and
    # certificate-check limits (Flask-Limiter) are kept there too, unless
    # RATELIMIT_STORAGE_URI names another store.
    REDIS_URL = ""
    REDIS_KEY_PREFIX = "elearn:"  # every key this app writes starts with it
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False

    # Static files: compressed, cached for a year (URLs carry a content hash).
    SEND_FILE_MAX_AGE_DEFAULT = 60 * 60 * 24 * 365
    COMPRESS_MIMETYPES = ["text/css", "application/javascript", "text/javascript", "image/svg+xml"]

    CONTENT_DIR = str(ROOT)
    # The largest request body: a content zip upload or a long page of text (413 above it).
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024

    # Review figures: a count from 1 to one below this is hidden (elearn/review/disclosure.py).
    SMALL_NUMBER_THRESHOLD = 5

    # xAPI / Learning Record Store (empty endpoint: the outbox is the local record store).
    LRS_ENDPOINT = ""
    LRS_USERNAME = ""
    LRS_PASSWORD = ""
    LRS_BATCH_SIZE = 50
    LRS_TIMEOUT = 10.0  # seconds for one request to the LRS
    # When the LRS is unavailable the whole sender waits (elearn/xapi/circuit.py): from
    # LRS_BACKOFF_BASE seconds, doubling with each failed try up to LRS_BACKOFF_MAX (with
    # jitter), then one probe of LRS_PROBE_BATCH_SIZE statements before full batches resume.
    LRS_BACKOFF_BASE = 2.0
    LRS_BACKOFF_MAX = 300.0
    LRS_PROBE_BATCH_SIZE = 1
    LRS_RETRY_AFTER_MAX = 3600.0  # the longest Retry-After we honour
    LRS_CLAIM_TIMEOUT = 300.0  # seconds before a dead sender's claim is taken back
    # Time on task (the durations in learning records): a page visit counts from its view to the
    # learner's next action, at most this long (someone who walked away is not learning).
    PAGE_TIME_ON_TASK_CAP_SECONDS = 600.0
    # `elearn xapi status` exits non-zero when a statement has waited longer than this.
    XAPI_BACKLOG_ALERT_MINUTES = 60.0
    # Days a statement stays in the outbox after the LRS stored it (`elearn data purge` removes
    # older ones; the LRS keeps them). Waiting, failed and invalid statements are always kept.
    OUTBOX_SENT_RETENTION_DAYS = 90
    # An invalid statement is a bug: True raises at once (tests); False keeps it aside, unsent,
    # and still saves the learner's change (production).
    XAPI_STRICT = False


# Development only, until the first request says where the app is served.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def base_url_problem(base_url: str) -> str | None:
    """Why the service must not start with this ``ELEARN_BASE_URL`` outside development (None if
    it may): learning records made with a wrong one are wrong for good."""
    shown = repr(base_url) if base_url else "not set"
    parts = urlsplit(base_url)
    if parts.scheme == "https" and parts.hostname and not parts.query and not parts.fragment:
        return None
    return (
        f"ELEARN_BASE_URL is {shown}. Outside development it must be the service's permanent "
        "https:// address, for example https://guides.example.org: every learner and activity "
        "in the learning records is named from it, and a record made with a wrong one cannot be "
        "corrected. Set it in the environment or in instance/config.py (ELEARN_ENV=development "
        "uses the address the app is served on)."
    )
