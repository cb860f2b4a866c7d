import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ilp.core.db import ensure_migrated


class Command(BaseCommand):
    help = "Serve the web app with gunicorn (production-grade; static files through whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("ILP_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ILP_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("ILP_WORKERS", "3")), help="gunicorn worker processes"
        )

    def handle(self, *args, host, port, workers, **opts):
        ensure_migrated()
        call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://{host}:{port}/"
        self.stdout.write(_("ILP is served at %(url)s (Ctrl+C stops it)") % {"url": url})
        self.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            "--access-logfile", "-",
            "--forwarded-allow-ips", "127.0.0.1",
        ]  # fmt: skip
        # The task worker (imports, exports) runs next to gunicorn and stops with it: one command serves all.
        worker_argv = [sys.executable, "-m", "django", "db_worker"]
        worker = subprocess.Popen(worker_argv)
        server = subprocess.Popen(argv)

        def _forward(signum, _frame):
            for proc in (server, worker):
                if proc.poll() is None:
                    proc.send_signal(signum)

        signal.signal(signal.SIGINT, _forward)
        signal.signal(signal.SIGTERM, _forward)
        try:
            code = server.wait()
        finally:
            if worker.poll() is None:
                worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        sys.exit(code)
