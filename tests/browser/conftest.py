"""Browser tests share one ``facilitate serve`` per module; each test arranges a theme of its own."""

from __future__ import annotations

import pytest

from tests.support import environment
from tests.support.servers import LiveServer


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    url = None
    if environment.use_postgres():
        if not environment.postgres_available():
            environment.missing("PostgreSQL is not reachable")
        url = environment.create_postgres_database()
    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    live = LiveServer(folder, url or f"sqlite:///{folder / 'facilitate.db'}")
    live.start()
    yield live
    live.close()
    if url:
        environment.drop_postgres_database(url)
