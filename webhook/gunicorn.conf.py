"""gunicorn -c webhook/gunicorn.conf.py 'webhook:create_app()'  (GATE_CONFIG names the config)

Sync workers: pyahocorasick automatons are not thread-safe, and one process per request
needs no locking. preload_app builds the automatons once, before the workers fork, so
their memory is shared copy-on-write.
"""

import os

bind = os.environ.get("GATE_BIND", "127.0.0.1:8080")
workers = int(os.environ.get("GATE_WORKERS", "2"))
worker_class = "sync"
preload_app = True
timeout = 30
accesslog = "-"
# No bodies, no headers (tokens, signatures): who, what path, status, size, time.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
