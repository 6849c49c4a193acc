#!/bin/sh
# Starts the binary on a fresh SQLite database with demo data on a free
# loopback port and runs the browser tests against it (TAP on stdout).
# Usage: tests/e2e/run-server.sh BINARY TMPDIR [SCRIPT] (default run.mjs)
set -u
BIN=$1
DIR=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$DIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export SPORTELLO_DATABASE_URL="sqlite:$DIR/e2e.db"
export SPORTELLO_SERVER_STATIC_DIR="$ROOT/web/static"
export SPORTELLO_PWHASH_FAST=1
"$BIN" migrate >/dev/null || exit 1
"$BIN" demo-data --taxpayers 60 >/dev/null || exit 1
"$BIN" serve --listen "127.0.0.1:$PORT" --no-workers >"$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT INT TERM
i=0
until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null; do
  i=$((i + 1)); [ $i -gt 100 ] && { echo "server did not start"; cat "$DIR/server.log"; exit 1; }
  sleep 0.1
done
BASE_URL="http://127.0.0.1:$PORT" node "$ROOT/tests/e2e/${3:-run.mjs}"
