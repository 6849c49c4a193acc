#!/bin/sh
# The portal's browser tests: starts the local OpenID provider and the mock
# pagoPA Checkout (tests/portal/), the binary on a fresh SQLite database
# with demo data and two traffic fines notified 3 and 30 days ago, then
# runs tests/e2e/portal.mjs (TAP on stdout). Screenshots of the main pages
# go to TMPDIR/artifacts and are copied to BUILD/e2e-artifacts/.
# Usage: tests/e2e/run-portal.sh BINARY TMPDIR
set -u
BIN=$1
DIR=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$(dirname "$BIN")" && pwd)
mkdir -p "$DIR/artifacts"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PY=/usr/bin/python3
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap cleanup EXIT INT TERM
# a helper prints "PORT n" on its first line; started in this shell (not in
# a command substitution) so that cleanup knows its pid
start_helper() { # name args...
  name=$1; shift
  "$PY" "$ROOT/tests/portal/$name" "$@" >"$DIR/$name.out" 2>"$DIR/$name.log" &
  PIDS="$PIDS $!"
  i=0
  until grep -q '^PORT ' "$DIR/$name.out" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "not ok 1 - $name did not start"; cat "$DIR/$name.log"; exit 1; }
    sleep 0.1
  done
}
helper_port() { sed -n 's/^PORT //p' "$DIR/$1.out"; }
start_helper oidc_provider.py --redirect-uri "http://127.0.0.1:$PORT/accedi/spid/callback" --client-id sportello-e2e
start_helper mock_checkout.py
OIDC_PORT=$(helper_port oidc_provider.py)
CHECKOUT_PORT=$(helper_port mock_checkout.py)
export SPORTELLO_DATABASE_URL="sqlite:$DIR/portal.db"
export SPORTELLO_SERVER_STATIC_DIR="$ROOT/web/static"
export SPORTELLO_PWHASH_FAST=1
export SPORTELLO_SERVER_BASE_URL="http://127.0.0.1:$PORT"
export SPORTELLO_PORTAL_OIDC_ISSUER="http://127.0.0.1:$OIDC_PORT"
export SPORTELLO_PORTAL_OIDC_CLIENT_ID=sportello-e2e
export SPORTELLO_PORTAL_CHECKOUT_URL="http://127.0.0.1:$CHECKOUT_PORT/checkout/ec/v1"
export SPORTELLO_PORTAL_LOOKUPS_PER_MINUTE=1000
export SPORTELLO_PORTAL_FONT_DIR="$ROOT/web/node_modules/bootstrap-italia/src/fonts"
"$BIN" migrate >"$DIR/migrate.log" 2>&1 || exit 1
"$BIN" demo-data --taxpayers 40 >/dev/null || exit 1
DB="$DIR/portal.db"
sql() { sqlite3 -cmd '.timeout 10000' "$DB" "$1"; }
CITIZEN=$(sql "SELECT client_cf FROM portal_delegation LIMIT 1")
TODAY=$(TZ=Europe/Rome date +%F)
D3=$(TZ=Europe/Rome date -d "$TODAY - 3 days" +%F)
D30=$(TZ=Europe/Rome date -d "$TODAY - 30 days" +%F)
"$BIN" portal fine --ente borgo-fittizio --number E2E/3 --plate EE333EE --taxpayer "$CITIZEN" \
  --violation-date "$D3" --min 42,00 --max 173,00 --costs 14,50 >/dev/null || exit 1
"$BIN" portal fine --ente borgo-fittizio --number E2E/30 --plate EE333EE --taxpayer "$CITIZEN" \
  --violation-date "$D30" --min 42,00 --max 173,00 --costs 14,50 >/dev/null || exit 1
NOTICE=$(sql "SELECT o.nav || '|' || t.fiscal_code FROM debt_option o JOIN debt_act x ON x.id = o.act_id
  JOIN taxpayer t ON t.id = x.taxpayer_id JOIN ente e ON e.id = x.ente_id WHERE e.slug = 'borgo-fittizio'
  AND o.state = 'open' AND o.installment = 0 AND x.state IN ('issued', 'notified') AND x.act_type <> 'verbale'
  ORDER BY o.id LIMIT 1")
OTHER_ACT=$(sql "SELECT x.id FROM debt_act x JOIN taxpayer t ON t.id = x.taxpayer_id
  WHERE t.fiscal_code <> '$CITIZEN' ORDER BY x.id LIMIT 1")
"$BIN" serve --listen "127.0.0.1:$PORT" --no-workers >"$DIR/server.log" 2>&1 &
PIDS="$PIDS $!"
i=0
until curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null; do
  i=$((i + 1)); [ $i -gt 100 ] && { echo "not ok 1 - server did not start"; cat "$DIR/server.log"; exit 1; }
  sleep 0.1
done
BASE_URL="http://127.0.0.1:$PORT" E2E_CITIZEN="$CITIZEN" E2E_NAV="${NOTICE%%|*}" E2E_NAV_CF="${NOTICE#*|}" \
  E2E_OTHER_ACT="$OTHER_ACT" E2E_CHECKOUT="http://127.0.0.1:$CHECKOUT_PORT" E2E_OIDC="http://127.0.0.1:$OIDC_PORT" \
  E2E_ARTIFACTS="$DIR/artifacts" node "$ROOT/tests/e2e/portal.mjs"
rc=$?
rm -rf "$BUILD/e2e-artifacts"
cp -r "$DIR/artifacts" "$BUILD/e2e-artifacts" 2>/dev/null
exit $rc
