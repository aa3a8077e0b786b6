"""The Celery application; configuration lives in Django settings under the CELERY_ prefix."""

import logging
import os
from collections.abc import Callable

from celery import Celery
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityhub.settings")

app = Celery("qualityhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger(__name__)


def retry_while_coupa_unavailable() -> dict:
    """Task options for work that talks to Coupa: retried with exponential backoff and jitter
    while Coupa is unavailable (long outages are the task's to wait out, not the client's)."""
    # Not a cycle: every process imports this module with the package (the sandbox too), and
    # `qualityhub.coupa` brings the HTTP stack (~70 ms); only task modules call this.
    from qualityhub.coupa import CoupaUnavailable

    return {
        "autoretry_for": (CoupaUnavailable,),
        "retry_backoff": 15,
        "retry_backoff_max": 300,
        "retry_jitter": True,
        "max_retries": 5,
    }


def enqueue_on_commit(task, *args, fallback: Callable[[], object] | None = None) -> None:
    """`task.delay(*args)` once the transaction commits (at once outside of one).

    A broker that cannot be reached then (down, restarting) is logged, not raised: the commit has
    happened, and the rows it wrote say what is still to do, so the work is not lost: `fallback`
    does it now, if given; otherwise a sweeper queues it again later.
    """

    def send() -> None:
        try:
            task.delay(*args)
        except BrokerUnreachable as exc:
            then = "doing it here instead" if fallback else "a sweeper will queue it again"
            logger.warning("could not queue %s%s (%s); %s", task.name, args, exc, then)
            if fallback:
                fallback()

    transaction.on_commit(send)


def enqueue(task, *args) -> bool:
    """`task.delay(*args)` for a view that must tell the person whether it worked: True when
    the broker took the task, False (and a logged warning) when it could not be reached.

    Views run in autocommit (ATOMIC_REQUESTS is off), so outside a transaction the task is sent
    here and now, and the answer is the broker's. Inside one (a caller's `atomic()` block, or
    ATOMIC_REQUESTS turned on some day) a task must not run before the rows it may read are
    committed, and a rolled-back request must queue nothing, so the send waits for the commit
    as in `enqueue_on_commit` (a broker error then is logged, not raised); the answer is then
    True, "will be sent", since the outcome is not known before the view has answered.
    """
    if transaction.get_connection().in_atomic_block:
        enqueue_on_commit(task, *args)
        return True
    try:
        task.delay(*args)
    except BrokerUnreachable as exc:
        logger.warning("could not queue %s%s (%s); nothing was sent", task.name, args, exc)
        return False
    return True
