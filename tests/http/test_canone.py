#!/usr/bin/env python3
"""Canone unico against the real binary: `sportello canone import` (bad rows
named by line with nothing written, a good file replacing the demo rules),
`canone show` / `canone quote`, and POST /api/v1/canone/quote (amount and
breakdown equal to hand-computed figures, every response checked against
openapi.json, 422 naming fields, 409 for an Ente without rules, token scope).
Usage: test_canone.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import json
import os
import re
import sys
import time

from harness import SOURCE, Server, Tap, assert_eq, assert_in
from oaschema import check_request, check_response

BORGO, VALLE = "borgo-fittizio", "valle-immaginaria"
STATE = {}
DOC = json.load(open(os.path.join(SOURCE, "src", "api", "openapi.json")))


def count(srv, sql):
    return int(srv.sql(sql).splitlines()[0])


def token(srv, *entes):
    args = ["api-token", "create", "--name", "canone-%d" % time.time_ns()]
    for e in entes:
        args += ["--ente", e]
    out = srv.cli(*args).stdout
    return max(re.findall(r"[A-Za-z0-9_-]{40,}", out), key=len)


def quote(srv, body, ente=BORGO, tok=None, raw=None):
    h = {"Authorization": "Bearer " + (tok or STATE["token"]), "Content-Type": "application/json"}
    if raw is None:
        errs = check_request(DOC, "/api/v1/canone/quote", "post", body)
        assert not errs or "fields" in STATE.get("expect", ""), errs
    r = srv.client().request("POST", "/api/v1/canone/quote?ente=%s" % ente,
                             body=raw if raw is not None else json.dumps(body), headers=h, raw=True)
    if r.status != 401:
        errs = check_response(DOC, "/api/v1/canone/quote", "post", r.status, r.json())
        assert not errs, errs
    return r


def piva(first10):
    """A partita IVA: the Luhn-like check digit after first10."""
    total = 0
    for i, ch in enumerate(first10):
        v = int(ch)
        if i % 2:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return first10 + str((10 - total % 10) % 10)


def write(srv, name, text):
    p = os.path.join(srv.tmp, name)
    with open(p, "w") as f:
        f.write(text)
    return p


RULES = """rule,code,value
annual_tariff,,30.00
daily_tariff,,0.60
zone,A,1.2
zone,B,1
use,dehors,0.8
use,ponteggio,1
minimum_fee,,25.00
surface_rounding,,up
result_rounding,,cent
"""


def t_demo_rules(srv):
    STATE["token"] = token(srv, BORGO)
    # the demo data loads rules for both Enti
    assert count(srv, "SELECT COUNT(*) FROM canone_rule r JOIN ente e ON e.id = r.ente_id "
                      "WHERE e.slug = '%s'" % BORGO) > 5
    out = srv.cli("canone", "show", "--ente", BORGO).stdout
    assert_in("rule,code,value", out)
    assert_in("annual_tariff", out)


def t_import_bad(srv):
    before = count(srv, "SELECT COUNT(*) FROM canone_rule")
    audits = count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'canone.rules'")
    p = write(srv, "bad.csv", "rule,code,value\nannual_tariff,,trenta\ndaily_tariff,,0.60\n"
                              "zone,A,1\nuse,dehors,0\nspeed,,9\n")
    r = srv.cli("canone", "import", "--ente", BORGO, p, check=False)
    assert_eq(r.returncode, 1, r.stderr)
    assert_in("riga 2", r.stderr)
    assert_in("riga 5", r.stderr)
    assert_in("riga 6", r.stderr)
    assert "riga 3" not in r.stderr, r.stderr
    assert_eq(count(srv, "SELECT COUNT(*) FROM canone_rule"), before)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'canone.rules'"), audits)
    r = srv.cli("canone", "import", "--ente", "nessuno", p, check=False)
    assert_eq(r.returncode, 1)


def t_import(srv):
    p = write(srv, "rules.csv", RULES)
    r = srv.cli("canone", "import", "--ente", BORGO, p)
    assert_in("9 righe", r.stdout)
    assert_eq(count(srv, "SELECT COUNT(*) FROM canone_rule r JOIN ente e ON e.id = r.ente_id "
                         "WHERE e.slug = '%s'" % BORGO), 9)
    # by codice fiscale too
    cf = srv.sql("SELECT fiscal_code FROM ente WHERE slug = '%s'" % BORGO).strip()
    r = srv.cli("canone", "quote", "--ente", cf, "--zone", "A", "--use", "dehors", "--kind", "temporary",
                "--surface", "12,35", "--start", "2026-06-01", "--end", "2026-06-10")
    assert_in("amount_cents=7488", r.stdout)


def t_quote(srv):
    # 0,60 × 1,2 × 0,8 × 13 m² (12,35 up) × 10 days = 74,88 €
    r = quote(srv, {"zone": "A", "use": "dehors", "kind": "temporary", "surface_m2": "12,35",
                    "start": "2026-06-01", "end": "2026-06-10"})
    assert_eq(r.status, 200, r.text)
    j = r.json()
    assert_eq(j["amount_cents"], 7488)
    assert_eq(j["days"], 10)
    assert_eq(j["surface_m2"], "13")
    lines = {x["code"]: x["value"] for x in j["breakdown"]}
    assert_eq(lines["amount"], "74,88 €")
    assert_eq(lines["days"], "10")
    # permanent: 30,00 × 1,2 × 0,8 × 13 = 374,40 €
    r = quote(srv, {"zone": "A", "use": "dehors", "kind": "permanent", "surface_m2": "12.35",
                    "start": "2026-07-01"})
    assert_eq(r.json()["amount_cents"], 37440)
    # minimum: 0,60 × 1 × 1 × 1 m² × 1 day = 0,60 € < 25,00 €
    r = quote(srv, {"zone": "B", "use": "ponteggio", "kind": "temporary", "surface_m2": "1",
                    "start": "2026-06-01", "end": "2026-06-01"})
    assert_eq((r.json()["amount_cents"], r.json()["computed_cents"], r.json()["minimum_applied"]),
              (2500, 60, True))


def t_quote_invalid(srv):
    STATE["expect"] = "fields"
    r = quote(srv, {"zone": "Z", "use": "dehors", "kind": "temporary", "surface_m2": "1",
                    "start": "2026-06-01", "end": "2026-06-01"})
    assert_eq(r.status, 422)
    assert_eq([f["field"] for f in r.json()["error"]["fields"]], ["zone"])
    r = quote(srv, {"zone": "A", "use": "dehors", "kind": "sometimes", "surface_m2": 12,
                    "start": "2026-13-01"})
    assert_eq(r.status, 422)
    fields = sorted(f["field"] for f in r.json()["error"]["fields"])
    assert_eq(fields, ["kind", "start", "surface_m2"])
    r = quote(srv, {"zone": "A", "use": "dehors", "kind": "temporary", "surface_m2": "1,234",
                    "start": "2026-06-02", "end": "2026-06-01"})
    assert_eq(sorted(f["field"] for f in r.json()["error"]["fields"]), ["end", "surface_m2"])
    r = quote(srv, None, raw="{not json")
    assert_eq(r.status, 400)
    STATE["expect"] = ""


def t_scope(srv):
    body = {"zone": "A", "use": "dehors", "kind": "permanent", "surface_m2": "1", "start": "2026-01-01"}
    r = quote(srv, body, ente=VALLE)
    assert_eq(r.status, 404)
    r = srv.client().request("POST", "/api/v1/canone/quote?ente=%s" % BORGO, body=json.dumps(body),
                             headers={"Content-Type": "application/json"}, raw=True)
    assert_eq(r.status, 401)
    # an Ente without rules: 409 canone_rules_missing
    srv.cli("ente", "add", "--slug", "senza-regole", "--name", "Comune senza regole",
            "--fiscal-code", piva("0246813579"))
    tok = token(srv, "senza-regole")
    r = quote(srv, body, ente="senza-regole", tok=tok)
    assert_eq(r.status, 409)
    assert_eq(r.json()["error"]["code"], "canone_rules_missing")


def t_audit(srv):
    r = srv.cli("audit", "verify")
    assert_eq(r.returncode, 0)
    assert_eq(srv.bugs(), [])


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: test_canone.py BINARY sqlite|pg [PG_ADMIN_URL]")
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("canone/%s" % backend)
    srv = Server(binary, backend, pg, taxpayers=10)
    try:
        for name, fn in [
            ("demo rules, canone show", t_demo_rules),
            ("import: bad rows named by line, nothing written", t_import_bad),
            ("import replaces the rules; quote from the CLI by codice fiscale", t_import),
            ("API quote equals hand-computed fees, schema-valid", t_quote),
            ("API quote: 422 naming each field, 400 bad JSON", t_quote_invalid),
            ("token scope, 401, 409 without rules", t_scope),
            ("audit chain verifies, no bug lines", t_audit),
        ]:
            tap.run(name, fn, srv)
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
