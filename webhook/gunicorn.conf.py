"""gunicorn -c webhook/gunicorn.conf.py 'webhook:create_app()'  (GATE_CONFIG names the config)

Sync workers: pyahocorasick automatons are not thread-safe, and one process per request
needs no locking. preload_app builds the automatons once, before the workers fork, so
their memory is shared copy-on-write.
"""

import os
from typing import Any

from webhook.config import DEFAULT_BIND, DEFAULT_WORKERS, WORKER_TIMEOUT_SECONDS
from webhook.state import EXTENSION, state_of

bind = os.environ.get("GATE_BIND", DEFAULT_BIND)
workers = int(os.environ.get("GATE_WORKERS", DEFAULT_WORKERS))
worker_class = "sync"
preload_app = True
timeout = WORKER_TIMEOUT_SECONDS  # above a request's OCR (webhook/config.py)
# On SIGTERM (a restart, systemctl stop) a check under way, OCR and all, is answered.
graceful_timeout = WORKER_TIMEOUT_SECONDS
accesslog = "-"
# No bodies, no headers (tokens, signatures): who, what path, status, size, time.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# The gate's own lines (wordlist reloads and their failures, each decision, audit
# failures) go to stderr beside gunicorn's: without a handler, Python shows only warnings.
# They carry versions, file names and line numbers, starred ids; never a post or a value.
logconfig_dict = {
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access_console"], "propagate": False},
        "gate": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
    },
    "root": {"level": "WARNING", "handlers": ["error_console"]},
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "generic", "stream": "ext://sys.stderr"},
        "access_console": {"class": "logging.StreamHandler", "formatter": "message", "stream": "ext://sys.stdout"},
    },
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s"},
        "message": {"format": "%(message)s"},
    },
}


def post_worker_init(worker: Any) -> None:
    """Each worker watches its wordlists from its first moment, not its first request:
    the app was built before the fork, and its threads did not come along."""
    if EXTENSION in getattr(worker.wsgi, "extensions", {}):  # the benchmark's bare app has no state
        state_of(worker.wsgi).registry.watch()
