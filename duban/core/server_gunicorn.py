"""``duban serve``: gunicorn, set up for duban (docs/deploy.md, "The web server").

- Workers: ``--workers``, else ``DUBAN_WEB_WORKERS``, else one per core (``default_workers``),
  each with ``--threads``/``DUBAN_WEB_THREADS`` threads (default 4: gunicorn's gthread workers;
  1: its plain sync workers). On the demo's ledger at 8 clients, 2 workers of 4 threads served
  1.7 times the requests of 2 sync workers: a sync worker waits while a client reads a 94 kB
  page, and closes every connection (bench/serve.py).
- ``preload_app``: the master process imports duban once (duban/wsgi.py: every view, the
  catalogues, the static manifest, then ``gc.freeze()``) and forks the workers from it, so they
  share that memory and answer their first request at full speed. Before each fork the master
  freezes again what it made since (``freeze_before_fork``); an upgrade needs a restart, which
  docs/deploy.md asks for anyway.
- Access log: one line per request (the combined format, then the time taken and the request's
  id) to ``DATA_DIR/logs/access.log``, rotated like duban.log under a lock shared by the
  workers, and with ``--access-log-stdout`` also to standard output (``make run``). gunicorn's
  own messages (listening, workers booted or timed out) go to standard error.
- Shutdown: SIGTERM (systemd's stop) stops accepting and lets requests under way finish for up
  to ``GRACEFUL_SECONDS``; Ctrl-C stops at once. A request running longer than
  ``TIMEOUT_SECONDS`` (the largest PDF export takes a fraction of that) has its worker replaced.
- ``X-Forwarded-*`` headers are left to duban's own rule (``DUBAN_BEHIND_PROXY``), gunicorn
  believes none of them; no control socket (gunicorn 24+ would put one in the home folder).

``duban serve`` checks the settings and collects the static files, then replaces itself
(``exec``, the same process id for systemd and scripts) with ``python -P -m
duban.core.server_gunicorn OPTIONS``: a master holding only the application, not what checking
and collecting loaded, which every forked worker would carry too (PSS of master and 2 workers
measured 170 MB without, 140 MB with it).
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections
from gunicorn.app.base import BaseApplication
from gunicorn.util import import_app

WSGI_APP = "duban.wsgi:application"
TIMEOUT_SECONDS = 120
GRACEFUL_SECONDS = 30
# Kept-alive connections (gthread workers) wait this long for the next request.
KEEPALIVE_SECONDS = 5
# Apache's combined format, then the time taken and the id that duban.log's lines carry.
ACCESS_FORMAT = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %({x-request-id}o)s'
)


def default_workers(cores: int | None = None) -> int:
    """One worker process per core: the threads of each wait for the database, the disk or a
    slow client in turn, and more processes cost memory without serving more (measured)."""
    count = cores if cores is not None else (os.cpu_count() or 1)
    return max(count, 1)


@dataclass(frozen=True)
class ServeOptions:
    bind: str
    workers: int
    threads: int = 4
    access_log: Path | None = None  # None: no access log file
    access_log_stdout: bool = False
    log_max_bytes: int = 10 * 1024 * 1024
    log_backups: int = 10

    def to_json(self) -> str:
        values = dataclasses.asdict(self)
        values["access_log"] = str(self.access_log) if self.access_log else None
        return json.dumps(values)

    @classmethod
    def from_json(cls, text: str) -> ServeOptions:
        values = json.loads(text)
        values["access_log"] = Path(values["access_log"]) if values["access_log"] else None
        return cls(**values)


def freeze_before_fork(server: Any, worker: Any) -> None:
    """gunicorn's pre_fork hook: no database connection of the master's may be shared with a
    worker, and what the master made since duban/wsgi.py froze is frozen too."""
    connections.close_all()
    gc.freeze()


def logging_config(options: ServeOptions) -> dict[str, Any]:
    """gunicorn's ``logconfig_dict``: the access log's handlers, gunicorn's messages to
    standard error. The root logger stays duban's (settings.LOGGING)."""
    access: list[str] = []
    handlers: dict[str, dict[str, Any]] = {
        "server": {
            "class": "logging.StreamHandler",
            "formatter": "server",
            "stream": "ext://sys.stderr",
        }
    }
    if options.access_log is not None:
        access.append("access_file")
        handlers["access_file"] = {
            "class": "concurrent_log_handler.ConcurrentRotatingFileHandler",
            "formatter": "access",
            "filename": str(options.access_log),
            "maxBytes": options.log_max_bytes,
            "backupCount": options.log_backups,
            "encoding": "utf-8",
        }
    if options.access_log_stdout:
        access.append("access_stdout")
        handlers["access_stdout"] = {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {},  # left as settings.LOGGING made it
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["server"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": access, "propagate": False},
        },
        "handlers": handlers,
        "formatters": {
            "server": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"},
            "access": {"format": "%(message)s"},
        },
    }


def gunicorn_settings(options: ServeOptions) -> dict[str, Any]:
    """Every gunicorn setting ``duban serve`` makes, by gunicorn's names."""
    return {
        "bind": [options.bind],
        "workers": options.workers,
        "threads": options.threads,
        "worker_class": "gthread" if options.threads > 1 else "sync",
        "preload_app": True,
        "pre_fork": freeze_before_fork,
        "timeout": TIMEOUT_SECONDS,
        "graceful_timeout": GRACEFUL_SECONDS,
        "keepalive": KEEPALIVE_SECONDS,
        "access_log_format": ACCESS_FORMAT,
        "logconfig_dict": logging_config(options),
        "errorlog": "-",
        "proc_name": "duban",
        "umask": 0o077,
        "secure_scheme_headers": {},
        "forwarded_allow_ips": "",
        "control_socket_disable": True,
    }


class DubanServer(BaseApplication):
    """gunicorn's application for ``duban serve``: its settings from ``gunicorn_settings``
    (neither a gunicorn.conf.py nor GUNICORN_CMD_ARGS is read), the WSGI app duban/wsgi.py."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        super().__init__(prog="duban serve")

    def load_config(self) -> None:
        for name, value in gunicorn_settings(self.options).items():
            self.cfg.set(name, value)

    def load(self) -> Callable[..., Any]:
        application: Callable[..., Any] = import_app(WSGI_APP)
        return application


def serve(options: ServeOptions) -> None:
    """Run gunicorn in this process until it is stopped."""
    DubanServer(options).run()


def exec_server(options: ServeOptions) -> None:
    """Replace this process with a fresh interpreter that runs ``serve(options)``."""
    connections.close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    # -P: the working directory (the data directory under systemd) is not put on sys.path.
    argv = [sys.executable, "-P", "-m", "duban.core.server_gunicorn", options.to_json()]
    os.execv(sys.executable, argv)


def main(argv: Sequence[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    serve(ServeOptions.from_json(argv[1]))


if __name__ == "__main__":
    main(sys.argv)
