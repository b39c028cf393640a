"""A real PostgreSQL server for the sync tests, started and torn down by the tests.

Skipped, with the reason, only when no PostgreSQL binaries are installed (`.ci/run` installs
them, so CI never skips). One database per test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sync.pgcluster import PgCluster, pg_bin


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    pytest.importorskip("psycopg")
    bindir = pg_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl): apt-get install postgresql")
    cluster = PgCluster(bindir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> str:
    return pg_cluster.new_database()
