"""Environment access for the settings: every difference between machines comes from here."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# A .env file is read only when present, so a fresh clone runs with the embedded defaults.
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DATA_DIR = Path(env.str("ILP_DATA_DIR", default=str(BASE_DIR / "var")))
