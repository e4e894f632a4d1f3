"""Default settings. Overridden by instance/config.py, then by ELEARN_* environment variables."""

from pathlib import Path

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
    BASE_URL = "http://127.0.0.1:5000"
    SERVICE_NAME = "Health Data Guides"
    CONTACT_EMAIL = "tvssde@ouh.nhs.uk"  # the course team, shown on help and error pages

    # Sessions are signed cookies: any web process can serve any request.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # turned on in create_app when BASE_URL is https
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 8

    WTF_CSRF_TIME_LIMIT = 60 * 60 * 4

    # werkzeug's method for new password hashes. Stored hashes name their own method, so any
    # of them still verifies. Tests use a cheap one; keep the default everywhere else.
    PASSWORD_HASH_METHOD = "scrypt"

    # Sign-in attempts: failed tries only are counted.
    SIGN_IN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    SIGN_IN_LIMIT_PER_ADDRESS = "20 per 15 minutes"
    # Checking certificate verification codes: codes that are not valid are counted per address.
    CERTIFICATE_CHECK_LIMIT = "20 per hour"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False

    # Static files: compressed, cached for a year (URLs carry a content hash).
    SEND_FILE_MAX_AGE_DEFAULT = 60 * 60 * 24 * 365
    COMPRESS_MIMETYPES = ["text/css", "application/javascript", "text/javascript", "image/svg+xml"]

    CONTENT_DIR = str(ROOT)

    # Review figures: a count from 1 to one below this is hidden (elearn/review/disclosure.py).
    SMALL_NUMBER_THRESHOLD = 5

    # xAPI / Learning Record Store (empty endpoint: the outbox is the local record store).
    LRS_ENDPOINT = ""
    LRS_USERNAME = ""
    LRS_PASSWORD = ""
    LRS_BATCH_SIZE = 50
    LRS_TIMEOUT = 10.0  # seconds for one request to the LRS
    LRS_BACKOFF_BASE = 2.0  # seconds; doubles with each failed try, plus jitter
    LRS_BACKOFF_MAX = 600.0
    LRS_RETRY_AFTER_MAX = 3600.0  # the longest Retry-After we honour
    LRS_CLAIM_TIMEOUT = 300.0  # seconds before a dead sender's claim is taken back
    # Days a statement stays in the outbox after the LRS stored it (`elearn data purge` removes
    # older ones; the LRS keeps them). Waiting, failed and invalid statements are always kept.
    OUTBOX_SENT_RETENTION_DAYS = 90
    # An invalid statement is a bug: True raises at once (tests); False keeps it aside, unsent,
    # and still saves the learner's change (production).
    XAPI_STRICT = False
