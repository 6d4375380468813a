"""The test suite's environment, set before Django reads its settings (which read the environment once).

pytest loads this module first (`-p districtwiki.testenv` in pyproject.toml's addopts), before pytest-django
sets Django up. It gives every test process a throw-away data dir (the SQLite database, uploads and the page
cache's files) and, under pytest-xdist (`make test` runs one worker per core), a data dir and a Redis
database of each worker's own: tests clear the cache, which empties the whole Redis database, and the page
cache's folder, and must not empty another worker's. PostgreSQL test databases are per worker already
(pytest-django names them test_<name>_gw0, …).
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit


def worker_number() -> int | None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, … in a worker; unset in the controller
    return int(worker.removeprefix("gw")) if worker else None


def own_data_dir(worker: int | None) -> None:
    """A new temporary data dir, or one under the one given (a worker inherits its controller's)."""
    given = os.environ.get("DISTRICTWIKI_DATA_DIR")
    if given is None:
        os.environ["DISTRICTWIKI_DATA_DIR"] = tempfile.mkdtemp(prefix="districtwiki-test-")
    elif worker is not None:
        folder = Path(given) / f"worker-{worker}"
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["DISTRICTWIKI_DATA_DIR"] = str(folder)


def own_redis_database(worker: int | None) -> None:
    """Worker N uses the Nth Redis database after REDIS_URL's."""
    url = os.environ.get("REDIS_URL")
    if worker is None or not url:
        return
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + worker
    if database > 15:
        raise RuntimeError(f"REDIS_URL's database leaves no room for worker {worker}: use a lower number")
    os.environ["REDIS_URL"] = parts._replace(path=f"/{database}").geturl()


own_data_dir(worker_number())
own_redis_database(worker_number())
os.environ.setdefault("DISTRICTWIKI_EMAIL", "console")
