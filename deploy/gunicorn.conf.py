"""Gunicorn's configuration for the platform: `gunicorn --config deploy/gunicorn.conf.py`.

Read by deploy/partage-web.service and by scripts/smoke_production.sh. Every value can be
changed from the environment (the same file as the application's, /etc/partage/partage.env);
docs/operations.md lists the variables.
"""

import multiprocessing
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The application, from the project's folder whatever the current directory.
wsgi_app = "training.wsgi:application"
chdir = str(ROOT)

# Behind nginx on the same host: listen on loopback only (nginx's upstream).
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
# Only nginx, on this host, may say the request came over https (X-Forwarded-Proto): Django
# reads it through SECURE_PROXY_SSL_HEADER, gunicorn through this list.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Synchronous workers: nginx buffers slow clients, so a worker only waits on the database and
# on PDF printing. Two per core plus one, at most 8 by default (each holds WeasyPrint, about
# 150 MB once a PDF has been printed).
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
# A request taking longer than this is killed (the worker restarts): the longest legitimate
# one is a session's document bundle printed on demand. nginx's proxy_read_timeout is longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
# On `systemctl reload` (HUP) or stop, workers finish their request within this time.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# Restart each worker after about a thousand requests: the memory PDF printing leaves behind
# is given back; the jitter keeps the workers from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 100))
# Workers' heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (gunicorn docs)

# Logs on stdout/stderr (journald under systemd). Access lines start with the visitor's
# address as nginx forwarded it (X-Forwarded-For; the last entry is the one nginx saw), then
# nginx's own address, and end with the duration and the request id shared with Django's log.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" '
    "%(M)sms %({x-request-id}i)s"
)
if os.environ.get("LOG_FORMAT", "text").strip().lower() == "json":
    # One JSON object per line, like Django's (training/operations/logs.py).
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "training.operations.logs.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
        # Gunicorn merges this over its own defaults: the root logger must be named too.
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {
            "gunicorn.error": {
                "handlers": ["stderr"],
                "level": loglevel.upper(),
                "propagate": False,
            },
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }

proc_name = "partage-web"
# Gunicorn 25.1+ opens a control socket in $HOME/.gunicorn (or $XDG_RUNTIME_DIR): systemctl
# reload/restart already do what it offers, and the service's home is read-only.
control_socket_disable = True
