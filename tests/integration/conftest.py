"""Real services for the integration tests: PostgreSQL, Redis, RabbitMQ, and an S3 server.

Each test run gets its own PostgreSQL database (dropped after), its own Redis key
namespace and RabbitMQ queue name (deleted after), and a SeaweedFS S3 server started in
a temp dir with an access key and secret, so request signatures are enforced.
"""

from __future__ import annotations

import contextlib
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workers"))

from integration_services import (
    AMQP_URL,
    PG_ADMIN,
    REDIS_URL,
    S3Server,
    TcpProxy,
    Workers,
    unavailable,
)


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database (its name), dropped at the end."""
    import psycopg

    name = f"docverify_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        unavailable("PostgreSQL at 127.0.0.1:5432", type(exc).__name__)
    yield name
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_proxy(pg_database: str) -> Iterator[tuple[TcpProxy, str]]:
    """A cuttable path to the test database, and the SQLAlchemy URL through it."""
    proxy = TcpProxy(5432)
    yield proxy, f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/{pg_database}"
    proxy.close()


@pytest.fixture
def redis_namespace() -> Iterator[str]:
    """A key namespace of our own in Redis; only its keys are deleted afterwards."""
    import redis

    namespace = f"docverify-test-{uuid.uuid4().hex[:10]}"
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        unavailable("Redis at 127.0.0.1:6379", type(exc).__name__)
    yield namespace
    keys = list(client.scan_iter(match=f"{namespace}*", count=500))
    if keys:
        client.delete(*keys)


@pytest.fixture
def amqp_queue() -> Iterator[str]:
    """A RabbitMQ queue name of our own, deleted (with its delay and dead-letter queues) after."""
    import pika

    queue = f"docverify-test-{uuid.uuid4().hex[:10]}"
    params = pika.URLParameters(AMQP_URL + "?connection_attempts=2&socket_timeout=5")
    try:
        pika.BlockingConnection(params).close()
    except Exception as exc:
        unavailable("RabbitMQ at 127.0.0.1:5672", type(exc).__name__)
    yield queue
    conn = pika.BlockingConnection(params)
    channel = conn.channel()
    for name in (queue, f"{queue}.DQ", f"{queue}.XQ"):
        with contextlib.suppress(Exception):
            channel.queue_delete(name)
    conn.close()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    server = S3Server(tmp_path_factory.mktemp("seaweedfs"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bundle_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, tuple]]:
    """The 20 bundles and what `docverify verify` says about each (computed once)."""
    from test_queue_pipeline import _bundles, _verify

    root = tmp_path_factory.mktemp("bundles")
    bundles = _bundles(root)
    return bundles, _verify(bundles, root / "verify-data")


@pytest.fixture
def workers_factory(tmp_path: Path) -> Iterator[list[Workers]]:
    made: list[Workers] = []
    yield made
    for w in made:
        w.stop_all()
