"""gunicorn's settings (`gunicorn -c python:qualityhub.gunicorn qualityhub.wsgi`).

About 2 × cores + 1 synchronous workers: a page spends its time in the database, and each worker
holds one persistent connection (DB_CONN_MAX_AGE), so this is also the web node's connection
count.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows unbounded; jitter avoids all at once.
max_requests = 5000
max_requests_jitter = 500
accesslog = None  # qualityhub.request logs one line per request, with its id
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
