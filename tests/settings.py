"""Test settings: the real settings module with the values a developer's shell would export."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment")
os.environ.setdefault("COUPA_REQUESTS_PER_SECOND", "0")  # tests measure counts, not pacing
# The tests speak plain HTTP to the live server, as a developer's machine does.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")  # no collectstatic before the tests
os.environ.setdefault("QUALITYHUB_VAR_DIR", tempfile.mkdtemp(prefix="qualityhub-tests-"))

from qualityhub.settings import *  # noqa: E402,F403
from qualityhub.settings import DATABASES, VAR_DIR  # noqa: E402

# One process, so its own memory is a shared cache: sessions are read as with CACHE_URL, and the
# query budgets count what a page costs in production (tests/ops/test_sessions.py runs gunicorn
# with each documented cache choice).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The test database lives in a file (not SQLite's default in-memory one) so that a Celery
# worker started by a test can open it too. A worker sets QUALITYHUB_WORKER_OF_TESTS=1 to
# connect straight to the test database the test process created.
_default = DATABASES["default"]
if _default["ENGINE"].endswith("sqlite3"):
    _default["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
if os.environ.get("QUALITYHUB_WORKER_OF_TESTS"):
    _default["NAME"] = _default.get("TEST", {}).get("NAME") or f"test_{_default['NAME']}"

# Hashing a password the production way costs most of a second; the tests sign in hundreds of
# times. The hasher is Django's, only the cost factor differs.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
