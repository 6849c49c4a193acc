#!/bin/sh
# The video call in the browser: a throw-away coturn on loopback
# (scripts/start-coturn), a fresh SQLite database with demo data, a video
# appointment booked through the API, then two servers on that database:
# one whose clock (SPORTELLO_TEST_NOW) is two minutes before the
# appointment, inside the room's window, and one whose clock is after the
# room closed. Runs tests/e2e/video.mjs against them (TAP on stdout).
# Usage: tests/e2e/run-video.sh BINARY TMPDIR
set -u
BIN=$1
DIR=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$DIR"
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  "$ROOT/scripts/stop-coturn" "$DIR/coturn" 2>/dev/null
}
trap cleanup EXIT INT TERM
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_up() {
  i=0
  until curl -fs "http://127.0.0.1:$1/healthz" >/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "server did not start"; cat "$2"; exit 1; }
    sleep 0.1
  done
}
TURN=$("$ROOT/scripts/start-coturn" "$DIR/coturn") || { echo "coturn did not start"; exit 1; }
SPORTELLO_VIDEO_TURN_URLS=$(echo "$TURN" | sed -n 's/^TURN_URLS=//p')
SPORTELLO_VIDEO_TURN_SECRET=$(echo "$TURN" | sed -n 's/^TURN_SECRET=//p')
export SPORTELLO_VIDEO_TURN_URLS SPORTELLO_VIDEO_TURN_SECRET
export SPORTELLO_DATABASE_URL="sqlite:$DIR/video.db"
export SPORTELLO_SERVER_STATIC_DIR="$ROOT/web/static"
export SPORTELLO_PWHASH_FAST=1
ENTE=valle-immaginaria
"$BIN" migrate >/dev/null || exit 1
"$BIN" demo-data --taxpayers 10 >/dev/null || exit 1
TOKEN=$("$BIN" api-token create --name video-e2e --ente "$ENTE" | tail -n 1)
P0=$(free_port)
"$BIN" serve --listen "127.0.0.1:$P0" --no-workers >"$DIR/book.log" 2>&1 &
B=$!
PIDS="$B"
wait_up "$P0" "$DIR/book.log"
SETUP=$(python3 "$ROOT/tests/e2e/video_setup.py" "http://127.0.0.1:$P0" "$TOKEN" "$ENTE") || exit 1
kill "$B"; wait "$B" 2>/dev/null; PIDS=""
eval "$SETUP"
P1=$(free_port)
P2=$(free_port)
SPORTELLO_TEST_NOW=$NOW_IN "$BIN" serve --listen "127.0.0.1:$P1" --no-workers >"$DIR/in.log" 2>&1 &
PIDS="$!"
SPORTELLO_TEST_NOW=$NOW_AFTER "$BIN" serve --listen "127.0.0.1:$P2" --no-workers >"$DIR/after.log" 2>&1 &
PIDS="$PIDS $!"
wait_up "$P1" "$DIR/in.log"
wait_up "$P2" "$DIR/after.log"
FIREFOX=${FIREFOX:-$(command -v firefox-esr || command -v firefox || true)}
BASE_URL="http://127.0.0.1:$P1" EXPIRED_URL="http://127.0.0.1:$P2" ENTE=$ENTE ROOM=$ROOM APPT=$APPT \
  FIREFOX=$FIREFOX node "$ROOT/tests/e2e/video.mjs"
