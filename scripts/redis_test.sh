#!/usr/bin/env bash
# A private redis-server for the tests of the RQ backend: `start` runs one on REDIS_TEST_PORT
# (default 6391) with no persistence, in a folder of its own, and waits until it answers;
# `stop` shuts down the one it started (found by its pid file). Nothing else is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${REDIS_TEST_PORT:-6391}
DIR=${REDIS_TEST_DIR:-.redis-test}
PIDFILE="$DIR/redis-$PORT.pid"
case "${1:-}" in
  start)
    command -v redis-server >/dev/null || { echo "redis-server is missing (scripts/ensure_system.sh installs it)" >&2; exit 1; }
    mkdir -p "$DIR"
    if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then exit 0; fi
    redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no \
      --dir "$DIR" --pidfile "$PWD/$PIDFILE" --daemonize yes --logfile "$PWD/$DIR/redis-$PORT.log" >/dev/null
    for _ in $(seq 1 50); do
      redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG && exit 0
      sleep 0.1
    done
    echo "redis-server did not answer on port $PORT" >&2; exit 1
    ;;
  stop)
    if [ -f "$PIDFILE" ]; then
      pid=$(cat "$PIDFILE")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$PIDFILE"
    fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
