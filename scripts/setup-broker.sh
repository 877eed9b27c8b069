#!/usr/bin/env bash
# Makes sure the local RabbitMQ broker runs for Quarry's server-mode job tests
# (QUARRY_TEST_AMQP_URL, default amqp://guest:guest@127.0.0.1:5672). Safe to run twice.
set -euo pipefail

port_open() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

if ! port_open; then
  if ! command -v rabbitmq-server >/dev/null; then
    apt-get install -y -q rabbitmq-server >/dev/null
  fi
  rabbitmq-server -detached
  for _ in $(seq 1 60); do port_open && break; sleep 1; done
fi
port_open || { echo "rabbitmq: not reachable on 127.0.0.1:5672" >&2; exit 1; }
echo "rabbitmq: amqp://guest:***@127.0.0.1:5672 ready"
