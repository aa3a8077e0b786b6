"""The test settings, with a Celery retry backoff of seconds instead of minutes."""

from tests.settings import *  # noqa: F403

EXPORT_RETRY_BACKOFF = 1
EXPORT_MAX_RETRIES = 2
COUPA_MAX_ATTEMPTS = 2
