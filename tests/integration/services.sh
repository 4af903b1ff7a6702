#!/usr/bin/env bash
# Start PostgreSQL, Redis and RabbitMQ on 127.0.0.1 if they are down, and wait until each
# answers. Safe to re-run. Called by .ci/run before the integration tests.
set -uo pipefail

say() { printf '==> %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # name, seconds, command...
  local name=$1 seconds=$2; shift 2
  for _ in $(seq 1 "$((seconds * 2))"); do "$@" >/dev/null 2>&1 && { say "$name is up"; return 0; }; sleep 0.5; done
  say "$name did not come up within ${seconds}s"; return 1
}

status=0

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
fi
wait_for PostgreSQL 60 pg_isready -h 127.0.0.1 -p 5432 -q || status=1

if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  say "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
wait_for Redis 30 sh -c 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG' || status=1

if ! port_open 5672; then
  say "starting RabbitMQ"
  /usr/lib/rabbitmq/bin/rabbitmq-server -detached || true
fi
wait_for RabbitMQ 90 bash -c "(exec 3<>/dev/tcp/127.0.0.1/5672)" || status=1

exit $status
