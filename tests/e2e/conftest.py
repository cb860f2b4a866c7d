"""A real running ILP for browser tests: its own database, `ilp demo`, then `ilp serve` (gunicorn).

On SQLite the database is a file in a temporary data directory; when the suite runs on PostgreSQL
(DATABASE_URL set), a throw-away PostgreSQL database is created beside the test database and dropped.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ILP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ilp(env, *args, timeout=300) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "ilp", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def _postgres_database(url: str):
    """Create a fresh database on the same server as `url`; return its URL and a drop function."""
    import psycopg

    name = f"ilp_e2e_{uuid.uuid4().hex[:8]}"
    admin_url = re.sub(r"/[^/]*$", "/postgres", url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return re.sub(r"/[^/]*$", f"/{name}", url), drop


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium for the browser tests")
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_ilp(tmp_path_factory):
    """Base URL of a served ILP with the demo world, and the demo's printed logins."""
    data_dir = tmp_path_factory.mktemp("ilp-e2e")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["ILP_DATA_DIR"] = str(data_dir)
    drop = None
    if env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = _postgres_database(env["DATABASE_URL"])
    else:
        env.pop("DATABASE_URL", None)
    _ilp(env, "regions", "load", "--province", "13", "--no-progress")
    demo_out = _ilp(env, "demo", "--no-progress")
    logins = dict(re.findall(r"^\s+(\S+)\s+.+? — (.+)$", demo_out, flags=re.M))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ilp", "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/masuk/", timeout=2) as resp:  # noqa: S310 (loopback only)
                    if resp.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"ilp serve did not start:\n{server.stdout.read()}") from None
                time.sleep(0.3)
        yield {"base_url": base, "logins": logins}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        if drop:
            drop()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def browser_page(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 360, "height": 800})
        try:
            yield page
        finally:
            browser.close()
