"""Test settings: the real nuso.settings, read with test-only keys and a temporary data dir.

pytest-django loads settings before any conftest runs, so the environment is prepared here.
DATABASE_URL is taken from the environment as in production (.ci/run sets it for PostgreSQL).
"""

import os
import tempfile

os.environ.setdefault("NUSO_DATA_DIR", tempfile.mkdtemp(prefix="nuso-test-"))
if os.environ.get("PYTEST_XDIST_WORKER"):
    # Each worker of `pytest -n` has a data directory of its own, as it has a database of its
    # own: the computed tables stored there belong to that database.
    os.environ["NUSO_DATA_DIR"] = os.path.join(
        os.environ["NUSO_DATA_DIR"], os.environ["PYTEST_XDIST_WORKER"]
    )
    os.makedirs(os.environ["NUSO_DATA_DIR"], mode=0o700, exist_ok=True)
os.environ.setdefault("NUSO_SECRET_KEY", "test-only-secret-key-" + "s" * 32)
os.environ.setdefault("NUSO_PSEUDONYM_KEY", "test-only-pseudonym-key-" + "p" * 32)

from nuso.settings import *  # noqa: F403

# On SQLite, the test database is a file, not Django's default in-memory database: with an
# in-memory database the live server of the browser tests shares one connection between its
# request threads, and a page's parallel chart requests then interleave their transactions
# on it ("no such savepoint"). Real deployments have a connection per thread, as this does.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(os.environ["NUSO_DATA_DIR"], "test.sqlite3")
    }

NUSO_TABLES_IN_BACKGROUND = False  # deterministic: a test's new data shows at once
