"""What the register benchmarks share: run a child process per engine in a throwaway database, and build
the demo world (regions of Sumatera Barat, the Agam demo) inside it."""

import os
import shutil
import subprocess
import sys
import tempfile


def setup_world(data_dir: str) -> None:
    """Django set up on `data_dir`, migrated, with the regions of province 13 and the Agam demo world."""
    os.environ["ILP_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()
    from django.core.management import call_command

    from ilp.demo.seed import seed_demo
    from ilp.regions.loader import load_regions

    call_command("migrate", verbosity=0)
    load_regions(provinces=["13"])
    seed_demo(seed=2026)


def run_per_engine(script: str, args: list[str], *, engines: list[str], pg_url: str, name: str) -> None:
    """Run `script args --child ENGINE DIR` once per engine: SQLite in a temp dir, PostgreSQL in a
    database created for the run (skipped when the server is unreachable) and dropped afterwards."""
    for engine in engines:
        tmp = tempfile.mkdtemp(prefix=f"ilp-bench-{name}-")
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        db_name = None
        if engine == "postgresql":
            import psycopg

            db_name = f"ilp_bench_{name}_{os.getpid()}"
            try:
                with psycopg.connect(pg_url, autocommit=True) as conn:
                    conn.execute(f"CREATE DATABASE {db_name}")
            except psycopg.OperationalError as err:
                print(f"postgresql skipped: {err}")
                continue
            env["DATABASE_URL"] = pg_url.rsplit("/", 1)[0] + f"/{db_name}"
        try:
            subprocess.run([sys.executable, script, *args, "--child", engine, tmp], env=env, check=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if db_name:
                import psycopg

                with psycopg.connect(pg_url, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {db_name}")
