"""The module dramatiq's worker processes import (`docverify worker` points them here).

Reads the settings once, configures no-PII logging, builds the broker and declares the
actor on it; serves Prometheus metrics when `DOCVERIFY_METRICS_PORT` is set.
"""

from __future__ import annotations

import os

import dramatiq

from workers.observability import Metrics, configure_logging
from workers.queue import build_broker, declare, queue_depth
from workers.runtime import Runtime

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

runtime = Runtime.from_environment()
configure_logging(runtime.settings)
broker = build_broker(runtime.settings)
dramatiq.set_broker(broker)
metrics = None
if runtime.settings.metrics_port is not None:
    metrics = Metrics(queue_depth=lambda: queue_depth(runtime))
    metrics.serve(runtime.settings.metrics_host, runtime.settings.metrics_port)
process_application = declare(broker, runtime, metrics)
