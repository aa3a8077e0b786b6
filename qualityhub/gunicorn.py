"""gunicorn's settings (`gunicorn -c python:qualityhub.gunicorn qualityhub.wsgi`).

WEB_CONCURRENCY worker processes (about 2 × cores + 1 by default), each with WEB_THREADS threads
(gunicorn's `gthread` worker; 1: the plain `sync` worker). A page spends part of its time
waiting for PostgreSQL and Redis; a thread lets the process render another page meanwhile, and a
`gthread` worker keeps browsers' connections open between requests (a `sync` worker closes each
one). Each thread holds its own persistent database connection (DB_CONN_MAX_AGE), so the web
node opens up to workers × threads connections.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = max(1, int(os.environ.get("WEB_THREADS", 4)))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows unbounded; jitter avoids all at once.
max_requests = 5000
max_requests_jitter = 500
accesslog = None  # qualityhub.request logs one line per request, with its id
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
