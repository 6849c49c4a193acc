#!/usr/bin/env python3
"""HTTP tests of /api/v1/positions against the real binary (create with
options and transfers, read by id, NAV, IUV, fiscal code, cancel; 422
naming each bad field with nothing written, 409 duplicate number, token
scope), and of the positions CLI (import with bad lines and
--all-or-nothing, exports, revenue and pagoPA commands).
Usage: test_positions.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import json
import os
import re
import sys
import time

from harness import Server, Tap, assert_eq, assert_in

BORGO, VALLE = "borgo-fittizio", "valle-immaginaria"
STATE = {}


def count(srv, sql):
    return int(srv.sql(sql).splitlines()[0])


def token(srv, *entes):
    args = ["api-token", "create", "--name", "pos-%d" % time.time_ns()]
    for e in entes:
        args += ["--ente", e]
    out = srv.cli(*args).stdout
    return max(re.findall(r"[A-Za-z0-9_-]{40,}", out), key=len)


def api(srv, method, path, body=None, tok=None, raw=None):
    h = {"Authorization": "Bearer " + (tok or STATE["token"])}
    data = None
    if body is not None or raw is not None:
        h["Content-Type"] = "application/json"
        data = raw if raw is not None else json.dumps(body)
    return srv.client().request(method, path, body=data, headers=h, raw=True)


def taxpayer_cf(srv, slug):
    return srv.sql("SELECT t.fiscal_code FROM taxpayer t JOIN ente e ON e.id = t.ente_id "
                   "WHERE e.slug = '%s' ORDER BY t.id LIMIT 1" % slug)


def position(srv, **kw):
    p = {"taxpayer_fiscal_code": taxpayer_cf(srv, BORGO), "revenue": "TARI", "year": 2026,
         "description": "TARI 2026 - utenza domestica", "due_date": "2026-04-30",
         "lines": [{"kind": "tax", "amount_cents": 30000}, {"kind": "costs", "amount_cents": 1500}],
         "options": [{"installment": 0, "amount_cents": 31500, "due_date": "2026-04-30"},
                     {"installment": 1, "amount_cents": 15750, "due_date": "2026-04-30"},
                     {"installment": 2, "amount_cents": 15750, "due_date": "2026-09-30"}]}
    p.update(kw)
    return p


def fields(r):
    return [f["field"] for f in r.json()["error"]["fields"]]


def t_auth(srv):
    STATE["token"] = token(srv, BORGO)
    c = srv.client()
    assert_eq(c.get("/api/v1/positions?ente=%s&nav=1" % BORGO).status, 401)
    r = api(srv, "GET", "/api/v1/positions?ente=%s&fiscal_code=X" % VALLE)
    assert_eq(r.status, 404)
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % VALLE, position(srv))
    assert_eq(r.status, 404)


def t_create(srv):
    acts = count(srv, "SELECT COUNT(*) FROM debt_act")
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO, position(srv))
    assert_eq(r.status, 201, r.text)
    p = r.json()
    assert_eq(r.header("Location"), "/api/v1/positions/%d?ente=%s" % (p["id"], BORGO))
    assert_eq(p["state"], "issued")
    assert_eq(p["residual_cents"], 31500)
    assert_eq(len(p["options"]), 3)
    for o in p["options"]:
        assert re.fullmatch(r"301\d{15}", o["nav"]), o["nav"]
        assert_eq(o["nav"][1:], o["iuv"])
        assert_eq(sum(t["amount_cents"] for t in o["transfers"]), o["amount_cents"])
        assert_eq(len(o["transfers"]), 2)  # TARI and TEFA to the Provincia
    assert_eq(p["options"][0]["transfers"][1]["amount_cents"], 1500)  # 5% on top of 30000
    assert_eq(count(srv, "SELECT COUNT(*) FROM debt_act"), acts + 1)
    STATE["pos"] = p
    r = api(srv, "GET", "/api/v1/positions/%d?ente=%s" % (p["id"], BORGO))
    assert_eq(r.status, 200)
    assert_eq(r.json()["options"], p["options"])
    borgo_cf = srv.sql("SELECT fiscal_code FROM ente WHERE slug = '%s'" % BORGO)
    r = api(srv, "GET", "/api/v1/positions/%d?ente=%s" % (p["id"], borgo_cf))  # Ente by its CF
    assert_eq(r.status, 200)
    assert_eq(r.json()["id"], p["id"])
    nav = p["options"][1]["nav"]
    grouped = " ".join(nav[i:i + 4] for i in range(0, 18, 4))
    for q in ("nav=" + nav, "nav=" + grouped.replace(" ", "%20"), "iuv=" + p["options"][2]["iuv"]):
        r = api(srv, "GET", "/api/v1/positions?ente=%s&%s" % (BORGO, q))
        assert_eq(r.status, 200)
        items = r.json()["items"]
        assert_eq([i["id"] for i in items], [p["id"]], q)
        assert_eq(len(items[0]["options"]), 3)
    r = api(srv, "GET", "/api/v1/positions?ente=%s&fiscal_code=%s" % (BORGO, p["taxpayer_fiscal_code"]))
    assert p["id"] in [i["id"] for i in r.json()["items"]]
    r = api(srv, "GET", "/api/v1/positions?ente=%s&number=%s&year=2026" % (BORGO, p["number"]))
    assert p["id"] in [i["id"] for i in r.json()["items"]]
    # another Ente's token does not see it
    other = token(srv, VALLE)
    r = api(srv, "GET", "/api/v1/positions/%d?ente=%s" % (p["id"], VALLE), tok=other)
    assert_eq(r.status, 404)
    r = api(srv, "GET", "/api/v1/positions?ente=%s&nav=%s" % (VALLE, nav), tok=other)
    assert_eq(r.json()["items"], [])


def t_invalid(srv):
    before = (count(srv, "SELECT COUNT(*) FROM debt_act"), count(srv, "SELECT COUNT(*) FROM audit_log"))
    bad = position(srv, description=" ", due_date="2026-02-30", act_type="multa",
                   lines=[{"kind": "tax", "amount_cents": -1}])
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO, bad)
    assert_eq(r.status, 422)
    assert_eq(r.json()["error"]["code"], "invalid")
    assert_eq(fields(r), ["act_type", "description", "due_date", "lines[0].amount_cents"])
    opts = position(srv)["options"]
    opts[1]["due_date"] = "domani"
    opts[2]["transfers"] = [{"beneficiary_fiscal_code": "123", "iban": "IT00", "taxonomy": "x",
                             "amount_cents": 15750}]
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO, position(srv, options=opts))
    assert_eq(r.status, 422)
    assert_eq(fields(r), ["options[1].due_date", "options[2].transfers[0].beneficiary_fiscal_code",
                          "options[2].transfers[0].iban", "options[2].transfers[0].taxonomy"])
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO,
            position(srv, revenue="ICI", taxpayer_fiscal_code="RSSMRA80A01H501U", year="2026"))
    assert_eq(r.status, 422)
    assert_eq(fields(r), ["year"])  # shape first
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO,
            position(srv, revenue="ICI", taxpayer_fiscal_code="RSSMRA80A01H501U"))
    assert_eq(fields(r), ["taxpayer_fiscal_code", "revenue"])
    # installments not summing to the total
    opts = position(srv)["options"]
    opts[2]["amount_cents"] = 100
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO, position(srv, options=opts))
    assert_eq(r.status, 422)
    assert_eq(fields(r), ["options"])
    # transfers not summing to the amount
    opts = position(srv)["options"][:1]
    opts[0]["transfers"] = [
        {"beneficiary_fiscal_code": "80001230046", "iban": "IT60X0542811101000000123456",
         "taxonomy": "9/0101101IM/", "amount_cents": 30000},
        {"beneficiary_fiscal_code": "80002470047", "iban": "IT50Y0100003245000000301234",
         "taxonomy": "9/0201102IM/", "amount_cents": 1000}]
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO, position(srv, options=opts))
    assert_eq(r.status, 422)
    assert_eq(r.json()["error"]["code"], "transfers_sum")
    assert_eq(fields(r), ["options[0].transfers"])
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO, raw="{not json")
    assert_eq(r.status, 400)
    r = api(srv, "GET", "/api/v1/positions?ente=%s" % BORGO)
    assert_eq(r.status, 422)
    r = api(srv, "GET", "/api/v1/positions?ente=%s&fiscal_code=x&year=26" % BORGO)
    assert_eq(r.status, 422)
    assert_eq(fields(r), ["year"])
    after = (count(srv, "SELECT COUNT(*) FROM debt_act"), count(srv, "SELECT COUNT(*) FROM audit_log"))
    assert_eq(after, before)


def t_duplicate(srv):
    p = position(srv, number="TARI-77/2026", options=None)
    del p["options"]
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO, p)
    assert_eq(r.status, 201, r.text)
    assert_eq(len(r.json()["options"]), 1)  # a single payment of the total
    assert_eq(r.json()["options"][0]["amount_cents"], 31500)
    acts = count(srv, "SELECT COUNT(*) FROM debt_act")
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO, p)
    assert_eq(r.status, 409)
    assert_eq(r.json()["error"]["code"], "act_duplicate")
    assert_eq(fields(r), ["number"])
    assert_eq(count(srv, "SELECT COUNT(*) FROM debt_act"), acts)
    # another act type may use the number
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO, dict(p, act_type="accertamento"))
    assert_eq(r.status, 201)


def t_cancel(srv):
    p = STATE["pos"]
    path = "/api/v1/positions/%d/cancel?ente=%s" % (p["id"], BORGO)
    r = api(srv, "POST", path, {})
    assert_eq(r.status, 422)
    assert_eq(fields(r), ["reason"])
    r = api(srv, "POST", path, {"reason": "Annullamento in autotutela"})
    assert_eq(r.status, 200, r.text)
    assert_eq(r.json()["state"], "cancelled")
    assert_eq(r.json()["residual_cents"], 0)
    assert_eq({o["state"] for o in r.json()["options"]}, {"cancelled"})
    r = api(srv, "POST", path, {"reason": "di nuovo"})
    assert_eq(r.status, 409)
    assert_eq(r.json()["error"]["code"], "act_state")
    other = token(srv, VALLE)
    r = api(srv, "POST", "/api/v1/positions/%d/cancel?ente=%s" % (p["id"], VALLE),
            {"reason": "x"}, tok=other)
    assert_eq(r.status, 404)
    assert_eq(count(srv, "SELECT COUNT(*) FROM debt_movement WHERE kind = 'cancellation' AND act_id = %d"
                    % p["id"]), 1)


def write(srv, name, text):
    path = os.path.join(srv.tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def t_import(srv):
    cf = taxpayer_cf(srv, VALLE)
    ente_cf = srv.sql("SELECT fiscal_code FROM ente WHERE slug = '%s'" % VALLE)
    text = ("ente_cf,taxpayer_cf,taxpayer_name,revenue,year,description,amount,due_date,installments\n"
            "%s,%s,,IMU,2026,IMU 2026,120.50,2026-06-16,2\n"
            "%s,RSSMRA80A01H501U,Rossi Mario,IMU,2026,IMU 2026,99.00,2026-06-16,\n"
            "%s,%s,,IMU,2026,IMU 2026,12.5,2026-06-16,\n"
            "%s,%s,,NOPE,2026,IMU 2026,1.00,2026-06-16,\n") % (
        VALLE, cf, ente_cf, VALLE, cf, VALLE, cf)
    path = write(srv, "pos.csv", text)
    acts = count(srv, "SELECT COUNT(*) FROM debt_act")
    r = srv.cli("positions", "import", path, "--all-or-nothing", check=False)
    assert_eq(r.returncode, 1)
    lines = r.stdout.strip().split("\n")
    assert_eq(lines[0], "line,status,act_id,nav,amount_cents,due_date,error")
    assert_eq([l.split(",")[1] for l in lines[1:]], ["skipped"] * 3 + ["skipped", "error", "error"])
    assert_eq(count(srv, "SELECT COUNT(*) FROM debt_act"), acts)
    r = srv.cli("positions", "import", path, check=False)
    assert_eq(r.returncode, 1)
    lines = r.stdout.strip().split("\n")
    assert_eq([l.split(",")[:2] for l in lines[1:]],
              [["2", "ok"]] * 3 + [["3", "ok"], ["4", "error"], ["5", "error"]])
    assert_in(",12050,2026-06-16,", lines[1])
    assert_in(",6025,2026-06-16,", lines[2])
    assert_in(",6025,2026-07-16,", lines[3])
    assert_in("amount", lines[5])
    assert_in("revenue", lines[6])
    assert_eq(count(srv, "SELECT COUNT(*) FROM debt_act"), acts + 2)
    assert_eq(srv.sql("SELECT surname || ' ' || given_name FROM taxpayer WHERE fiscal_code = "
                      "'RSSMRA80A01H501U'"), "Rossi Mario")
    nav = lines[1].split(",")[3]
    r = srv.cli("positions", "export", "--ente", ente_cf, "--year", "2026")
    assert_in(nav, r.stdout)
    assert_eq(r.stdout.split("\n")[0].split(",")[:4], ["act_id", "act_type", "year", "number"])
    r = srv.cli("payments", "export", "--ente", VALLE, "--from", "2026-01-01")
    assert_in("movement_id,act_id", r.stdout)
    assert_in(",payment,", r.stdout)  # the demo data pays some


def t_cli_setup(srv):
    r = srv.cli("revenue", "add", "--ente", BORGO, "--code", "LAMPADE", "--name", "Lampade votive",
                "--taxonomy", "9/0114100TS/", "--iban", "IT60X0542811101000000123456", "--spontaneous")
    assert_in("Entrata creata: LAMPADE", r.stdout)
    r = srv.cli("revenue", "add", "--ente", BORGO, "--code", "ALTRO", "--name", "x",
                "--taxonomy", "9/0114100TS", "--iban", "IT60X0542811101000000123457", check=False)
    assert_eq(r.returncode, 1)
    assert_in("taxonomy:", r.stderr)
    assert_in("iban:", r.stderr)
    r = srv.cli("revenue", "list", "--ente", srv.sql("SELECT fiscal_code FROM ente WHERE slug = '%s'" % BORGO))
    assert_in("LAMPADE", r.stdout)
    assert_in("TARI", r.stdout)
    r = srv.cli("ente", "pagopa", "--ente", BORGO, "--segregation", "11", "--cbill", "ZZ999")
    assert_eq(r.returncode, 0)
    assert_eq(srv.sql("SELECT segregation_code FROM ente WHERE slug = '%s'" % BORGO), "11")
    # the sequence goes on with the new segregation code
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO, position(srv))
    assert_eq(r.status, 201)
    assert r.json()["options"][0]["nav"].startswith("311"), r.json()["options"][0]["nav"]
    for cmd in ["revenue", "positions", "payments", "installments"]:
        r = srv.cli(cmd, "--help")
        assert_eq(r.returncode, 0, cmd)
        assert_in("Uso:", r.stdout)


def t_audit(srv):
    n = count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'debt.act.create' AND actor_kind = 'api'")
    assert n >= 3, n
    r = srv.cli("audit", "verify")
    assert_eq(r.returncode, 0)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: test_positions.py BINARY sqlite|pg [PG_ADMIN_URL]")
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("positions/%s" % backend)
    srv = Server(binary, backend, pg, taxpayers=20)
    try:
        for name, fn in [
            ("token and Ente scope", t_auth),
            ("create with options and transfers, read by id, NAV, IUV, fiscal code", t_create),
            ("invalid fields: 422 naming each, nothing written", t_invalid),
            ("duplicate number: 409", t_duplicate),
            ("cancel", t_cancel),
            ("CSV import with bad lines, all-or-nothing, exports", t_import),
            ("revenue and pagoPA commands", t_cli_setup),
            ("audit rows, chain verifies", t_audit),
        ]:
            tap.run(name, fn, srv)
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
