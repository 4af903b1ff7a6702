"""The work queue: a dramatiq broker from the settings, the actor, and the middleware.

- `build_broker(settings)`: Redis (`redis://`, client built with `socket_timeout=None`
  as blocking waits need) or RabbitMQ (`amqp://`), with dramatiq's default middleware
  (time limit, retries...) plus `CurrentMessage` and `Bookkeeping`.
- `declare(broker, runtime)`: the `process_application(app_id)` actor. It takes an id,
  never bytes. Transient faults (storage, database, broker unreachable) are retried with
  exponential backoff (`DOCVERIFY_MAX_RETRIES`, `..._MIN/MAX_BACKOFF_SECONDS`); anything
  else (a bug, a time limit) fails at once: a corrupt file is already a FILE_UNREADABLE
  verdict, never an exception, so it never loops.
- `Bookkeeping` middleware: cross-cutting concerns kept out of the actor: binds ids to
  the log context, records `failed` / retrying states in the database (so exhausted
  messages show in `docverify status --failed` and can be re-queued), counts metrics.
- `enqueue(actor, app_id, documents, settings)`: sends with a time limit that grows with
  the number of documents.
"""

from __future__ import annotations

import time
from typing import Any

import dramatiq
import structlog
from dramatiq import Broker, Message, Middleware
from dramatiq.errors import BrokerConnectionError
from dramatiq.middleware import CurrentMessage, Retries
from sqlalchemy.exc import IntegrityError

from workers import records, service
from workers.db import DatabaseUnavailable
from workers.observability import Metrics
from workers.runtime import Runtime
from workers.settings import Settings
from workers.storage import StorageUnavailable

ACTOR_NAME = "process_application"
TRANSIENT: tuple[type[BaseException], ...] = (
    StorageUnavailable,
    DatabaseUnavailable,
    BrokerConnectionError,
    ConnectionError,
    TimeoutError,
    IntegrityError,
)
"""Faults of the surroundings, not of the document: worth a retry with backoff.

An `IntegrityError` means a concurrent delivery of the same message wrote first; the
retry then finds the verdict recorded and does nothing."""

log = structlog.get_logger(__name__)


def build_broker(settings: Settings) -> Broker:
    """The broker the settings name (`DOCVERIFY_BROKER_URL` must be set)."""
    url = settings.broker_url or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis
        from dramatiq.brokers.redis import RedisBroker

        client = redis.Redis.from_url(url, socket_timeout=None, socket_connect_timeout=5)
        return RedisBroker(
            client=client,
            namespace=settings.redis_namespace,
            heartbeat_timeout=int(settings.redis_heartbeat_seconds * 1000),
            maintenance_chance=100_000,
        )
    if url.startswith(("amqp://", "amqps://")):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=url, confirm_delivery=True)
    raise ValueError("DOCVERIFY_BROKER_URL must be redis://... or amqp://...")


def _should_retry(max_retries: int) -> Any:
    def retry_when(retries: int, exception: BaseException) -> bool:
        return isinstance(exception, TRANSIENT) and retries < max_retries

    return retry_when


def declare(broker: Broker, runtime: Runtime, metrics: Metrics | None = None) -> dramatiq.Actor:
    """Attach the middleware and the `process_application` actor to `broker`."""
    settings = runtime.settings
    broker.add_middleware(CurrentMessage())
    # before Retries in the list, so that its after-hooks (run in reverse) see Retries' decision
    broker.add_middleware(Bookkeeping(runtime, metrics), before=Retries)

    def process_application(app_id: str) -> None:
        message = CurrentMessage.get_current_message()
        message_id = message.message_id if message else "direct"
        attempt = int(message.options.get("retries", 0)) if message else 0
        outcome = service.process(app_id, runtime, message_id, attempt)
        if metrics is not None:
            metrics.applications.labels(outcome=outcome.state).inc()
            metrics.observe_timings(outcome.timings)
        log.info("application_processed", outcome=outcome.state, documents=outcome.documents)

    return dramatiq.actor(
        process_application,
        broker=broker,
        actor_name=ACTOR_NAME,
        queue_name=settings.queue_name,
        retry_when=_should_retry(settings.max_retries),
        min_backoff=int(settings.min_backoff_seconds * 1000),
        max_backoff=int(settings.max_backoff_seconds * 1000),
        time_limit=int(settings.document_time_limit_seconds * 1000),
    )


def enqueue(actor: dramatiq.Actor, app_id: str, documents: int, settings: Settings) -> None:
    """Queue an application, with a time limit of the per-document limit times its documents."""
    limit = settings.document_time_limit_seconds * max(1, documents) * 1000
    actor.send_with_options(args=(app_id,), time_limit=int(limit))


class Bookkeeping(Middleware):
    """Log context, database states on failure, and metrics, around each message."""

    def __init__(self, runtime: Runtime, metrics: Metrics | None) -> None:
        self.runtime = runtime
        self.metrics = metrics
        self._started: dict[str, float] = {}

    def before_process_message(self, broker: Broker, message: Message) -> None:
        structlog.contextvars.bind_contextvars(
            app=message.args[0] if message.args else None,
            message=message.message_id,
            attempt=message.options.get("retries", 0),
        )
        self._started[message.message_id] = time.perf_counter()
        log.info("message_started")

    def after_process_message(
        self,
        broker: Broker,
        message: Message,
        *,
        result: object = None,
        exception: BaseException | None = None,
    ) -> None:
        seconds = time.perf_counter() - self._started.pop(message.message_id, time.perf_counter())
        try:
            if exception is not None:
                self._failed(message, exception)
            else:
                log.info("message_done", seconds=round(seconds, 3))
        finally:
            structlog.contextvars.clear_contextvars()

    def after_skip_message(self, broker: Broker, message: Message) -> None:
        structlog.contextvars.clear_contextvars()

    def _failed(self, message: Message, exception: BaseException) -> None:
        error = type(exception).__name__
        gave_up = bool(message.failed)
        attempt = max(0, int(message.options.get("retries", 1)) - 1)
        app_id = str(message.args[0]) if message.args else ""
        log.warning("message_failed", error=error, retry=not gave_up)
        if self.metrics is not None:
            self.metrics.failures.labels(error=error, retried=str(not gave_up).lower()).inc()
        mark = service.mark_failed if gave_up else service.mark_retrying
        try:
            mark(app_id, self.runtime, error, message.message_id, attempt)
        except Exception as exc:  # the database itself may be what failed
            log.warning("state_not_recorded", error=type(exc).__name__)


def queue_depth(runtime: Runtime) -> dict[str, int]:
    """Applications per queue state (for the metrics gauge)."""
    with runtime.db.session() as session:
        return records.status_counts(session)
