"""Logs and metrics without personal data.

`configure_logging(settings)`: structlog, one JSON object per line on stderr (or a plain
console rendering), carrying ids and counts only: application ids (ours), message ids,
document ids, stage names, durations, error class names. Never names, dates of birth,
addresses, document numbers or file contents; exception messages from third-party code
are not logged (only their class).

`Metrics`: Prometheus counters and histograms, served only when `DOCVERIFY_METRICS_PORT`
is set, bound to `DOCVERIFY_METRICS_HOST` (127.0.0.1 by default). Several worker
processes on one machine take consecutive ports from the configured one.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from workers.settings import Settings

_PORT_TRIES = 32


def configure_logging(settings: Settings) -> None:
    """Set up structlog (and route the standard library's logging through the same level)."""
    level = logging.getLevelNamesMapping().get(settings.log_level.upper(), logging.INFO)
    renderer: Any = structlog.processors.JSONRenderer()
    if not settings.log_json:
        renderer = structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(_CurrentStderr()),
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(level=max(level, logging.WARNING), stream=sys.stderr)


class _CurrentStderr:
    """Whatever `sys.stderr` is at the time of writing (it may be swapped after setup)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


class Metrics:
    """The workers' Prometheus metrics (a registry of their own)."""

    def __init__(self, queue_depth: Callable[[], Mapping[str, int]] | None = None) -> None:
        self.registry = CollectorRegistry()
        self.documents = Counter(
            "docverify_documents_processed",
            "Documents examined",
            registry=self.registry,
        )
        self.applications = Counter(
            "docverify_applications_processed",
            "Applications processed, by outcome",
            ["outcome"],
            registry=self.registry,
        )
        self.failures = Counter(
            "docverify_failures",
            "Processing attempts that raised, by error class and whether retried",
            ["error", "retried"],
            registry=self.registry,
        )
        self.stage_seconds = Histogram(
            "docverify_stage_seconds",
            "Seconds per document per pipeline stage",
            ["stage"],
            buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
            registry=self.registry,
        )
        if queue_depth is not None:
            self.registry.register(_QueueDepth(queue_depth))

    def observe_timings(self, timings: Iterable[Mapping[str, float]]) -> None:
        """Count examined documents and their seconds per stage."""
        for doc in timings:
            self.documents.inc()
            for stage, seconds in doc.items():
                self.stage_seconds.labels(stage=stage).observe(seconds)

    def serve(self, host: str, port: int) -> int | None:
        """Serve /metrics on the first free port from `port`; the port, or None."""
        for candidate in range(port, port + _PORT_TRIES):
            try:
                start_http_server(candidate, addr=host, registry=self.registry)
            except OSError:
                continue
            return candidate
        structlog.get_logger(__name__).warning("metrics_port_unavailable", port=port)
        return None


class _QueueDepth(Collector):
    """Applications per queue state, read when scraped."""

    def __init__(self, counts: Callable[[], Mapping[str, int]]) -> None:
        self.counts = counts

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "docverify_applications", "Applications by queue state", labels=["state"]
        )
        try:
            counts = self.counts()
        except Exception:  # the database may be down: report nothing rather than fail
            counts = {}
        for state, n in counts.items():
            family.add_metric([state], n)
        yield family
