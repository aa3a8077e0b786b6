"""The one place that knows Coupa's Quality Collaboration wire format.

`client` speaks HTTP (auth, retries, paging), `schemas` turns Coupa's lenient JSON into typed
objects and builds the exact request shape, `errors` is what callers catch.
"""

from qualityhub.coupa.client import CoupaClient, client_from_settings
from qualityhub.coupa.errors import (
    CoupaAuthError,
    CoupaError,
    CoupaNotFound,
    CoupaParseError,
    CoupaTooLarge,
    CoupaUnavailable,
    CoupaValidationError,
)

__all__ = [
    "CoupaAuthError",
    "CoupaClient",
    "CoupaError",
    "CoupaNotFound",
    "CoupaParseError",
    "CoupaTooLarge",
    "CoupaUnavailable",
    "CoupaValidationError",
    "client_from_settings",
]
