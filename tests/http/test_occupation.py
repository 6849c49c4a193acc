#!/usr/bin/env python3
"""Occupation of public land end to end against the real binary, the test
SMTP server (scripts/start-mail-servers) and the pagoPA station, with the
time pinned by SPORTELLO_TEST_NOW: a declaration through the API on the
Friday before Easter Monday is due on Thursday; processing issues one
notice; the taxpayer's mail (PDF notice attached) and the Ente's copy (with
the taxpayer's overdue positions) reach the SMTP server; a paSendRT for the
notice makes the Ente's payment message go out on the next working day
(Tuesday), not before; GET /api/v1/cases/{id} shows state, deadline,
notices and payments, schema-valid. Variations and cessations opened from
the office forms and the API (nothing written on error), the change of
holder's pro-rata notice with the old act relieved, the photo upload link
(token, types, CSRF, expiry), the inspection record with photos, and no
charge after the cessation.
Usage: test_occupation.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import sys
import struct
import time
import uuid
import zlib

from harness import SOURCE, Server, Tap, assert_eq, assert_in, assert_valid_html
sys.path.insert(0, os.path.join(SOURCE, "tests", "mail"))
from test_mail import sent, wait_sent  # noqa: E402  (Maildir reading shared with the mail suite)
from oaschema import check_request, check_response
import test_sanp as sanp

BORGO = "borgo-fittizio"
FRIDAY = "1775203200"     # Friday 3 April 2026, 10:00 in Rome; Monday 6 is Easter Monday
MONDAY = "1775462400"     # Easter Monday 6 April 2026, 10:00 in Rome
TUESDAY = "1775543400"    # Tuesday 7 April 2026, 08:30 in Rome
ENTE_MAIL = "suap@borgo-fittizio.example.it"
TP_MAIL = "anna.bianchi@example.org"
DOC = json.load(open(os.path.join(SOURCE, "src", "api", "openapi.json")))
ST = {}


class Ctx:
    pass


def token(srv):
    out = srv.cli("api-token", "create", "--name", "occ-%d" % time.time_ns(), "--ente", BORGO).stdout
    return max(re.findall(r"[A-Za-z0-9_-]{40,}", out), key=len)


def api(srv, method, path, body=None, template=None):
    h = {"Authorization": "Bearer " + ST["token"]}
    data = None
    if body is not None:
        h["Content-Type"] = "application/json"
        data = json.dumps(body)
        errs = check_request(DOC, template or path.split("?")[0], method.lower(), body)
        assert not errs, errs
    r = srv.client().request(method, path, body=data, headers=h, raw=True)
    errs = check_response(DOC, template or path.split("?")[0], method.lower(), r.status, r.json())
    assert not errs, errs
    return r


def jobs_run(srv, now):
    srv.cli("jobs", "run", env={"SPORTELLO_TEST_NOW": now})


def cf_person():
    # BNCNNA80A41H501 + check character (codice fiscale rules)
    odd = {c: v for c, v in zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4,
                                 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23])}
    even = {c: (int(c) if c.isdigit() else ord(c) - 65) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    s = "BNCNNA80A41H501"
    total = sum(odd[c] if i % 2 == 0 else even[c] for i, c in enumerate(s))
    return s + chr(65 + total % 26)


def t_rules(srv, ctx):
    ST["token"] = token(srv)
    rules = os.path.join(srv.tmp, "rules.csv")
    with open(rules, "w") as f:
        f.write("rule,code,value\nannual_tariff,,30.00\ndaily_tariff,,0.60\nzone,A,1.2\nuse,dehors,0.8\n"
                "revenue,,CUP\n")
    srv.cli("canone", "import", "--ente", BORGO, rules)


def t_declare(srv, ctx):
    ST["cf"] = cf_person()
    body = {"taxpayer": {"kind": "person", "fiscal_code": ST["cf"], "surname": "Bianchi", "given_name": "Anna",
                         "contacts": [{"channel": "email", "value": TP_MAIL, "consent": True}]},
            "place": "Piazza del Mercato 3", "zone": "A", "use": "dehors", "kind": "temporary",
            "surface_m2": "12,35", "start": "2026-06-01", "end": "2026-06-10", "ente_email": ENTE_MAIL,
            "ente_office": "SUAP"}
    bad = dict(body, zone="A!", surface_m2="dodici")
    r = api(srv, "POST", "/api/v1/occupations?ente=%s" % BORGO, bad)
    assert_eq(r.status, 422, r.text)
    assert_eq(sorted(f["field"] for f in r.json()["error"]["fields"]), ["surface_m2", "zone"])
    r = api(srv, "POST", "/api/v1/occupations?ente=%s" % BORGO, body)
    assert_eq(r.status, 201, r.text)
    j = r.json()
    # Friday 3 April + 3 working days, Easter Monday skipped: Thursday 9 April
    assert_eq(j["due_date"], "2026-04-09")
    assert re.match(r"^\d{7}/2026$", j["protocol_number"]), j
    ST["case"], ST["number"], ST["occ"] = j["case_id"], j["case_number"], j["occupation_id"]
    # an overdue position of the taxpayer, for the Ente's copy
    p = {"taxpayer_fiscal_code": ST["cf"], "revenue": "TARI", "year": 2025, "description": "TARI 2025 scaduta",
         "due_date": "2026-01-31", "lines": [{"kind": "tax", "amount_cents": 12345}]}
    r = api(srv, "POST", "/api/v1/positions?ente=%s" % BORGO, p)
    assert_eq(r.status, 201, r.text)


def t_process(srv, ctx):
    env = {"SPORTELLO_TEST_NOW": FRIDAY}
    acts = int(srv.sql("SELECT COUNT(*) FROM debt_act WHERE act_type = 'canone'"))
    r = srv.cli("canone", "process", "--ente", BORGO, "--case", ST["number"], env=env)
    assert_in("avviso emesso", r.stdout)
    assert_in("74,88", r.stdout)  # 0,60 × 1,2 × 0,8 × 13 m² × 10 days
    r = srv.cli("canone", "process", "--ente", BORGO, "--case", ST["number"], env=env)
    assert_in("già elaborata", r.stdout)
    assert_eq(int(srv.sql("SELECT COUNT(*) FROM debt_act WHERE act_type = 'canone'")), acts + 1)


def t_notice_mails(srv, ctx):
    before = len(sent(ctx))
    jobs_run(srv, FRIDAY)
    jobs_run(srv, FRIDAY)
    got = wait_sent(ctx, before + 2)[before:]
    to_tp = [m for m in got if m["To"] == TP_MAIL]
    to_ente = [m for m in got if m["To"] == ENTE_MAIL]
    assert_eq((len(to_tp), len(to_ente)), (1, 1), [m["To"] for m in got])
    for m in (to_tp[0], to_ente[0]):
        assert_in("[Pratica %s]" % ST["number"], m["Subject"])
        pdfs = [p for p in m.iter_attachments() if p.get_content_type() == "application/pdf"]
        assert_eq(len(pdfs), 1)
        assert pdfs[0].get_content()[:5] == b"%PDF-", pdfs[0].get_content()[:10]
    body = to_ente[0].get_body(("plain",)).get_content()
    assert_in("TARI 2025 scaduta", body)
    assert_in("123,45", body)
    assert_in("74,88", to_tp[0].get_body(("plain",)).get_content())
    ST["mails"] = len(sent(ctx))


def t_case_api(srv, ctx):
    r = api(srv, "GET", "/api/v1/cases/%d?ente=%s" % (ST["case"], BORGO), template="/api/v1/cases/{id}")
    assert_eq(r.status, 200, r.text)
    j = r.json()
    assert_eq(j["due_date"], "2026-04-09")
    assert_eq(j["occupation"]["state"], "notice_sent")
    assert_eq(j["occupation"]["amount_cents"], 7488)
    assert_eq(j["notices"][0]["amount_cents"], 7488)
    assert_eq(j["payments"], [])
    ST["nav"] = j["notices"][0]["options"][0]["nav"]


def t_payment(srv, ctx):
    sanp.ST["cf"] = srv.sql("SELECT fiscal_code FROM ente WHERE slug = '%s'" % BORGO).strip()
    s = sanp.post(srv, "paSendRT", sanp.req_send_rt(srv, ST["nav"], "occ0000000000000000000000000001"))
    sanp.ok(s, "paSendRTRes")
    # on Friday and on Easter Monday nothing goes to the Ente yet
    jobs_run(srv, FRIDAY)
    jobs_run(srv, MONDAY)
    time.sleep(1)
    assert_eq(len(sent(ctx)), ST["mails"])
    due = srv.sql("SELECT paid_report_due FROM occupation WHERE case_id = %d" % ST["case"]).strip()
    assert_eq(due, "2026-04-07")
    # Tuesday morning: the job tells the Ente
    jobs_run(srv, TUESDAY)
    jobs_run(srv, TUESDAY)
    got = wait_sent(ctx, ST["mails"] + 1)[ST["mails"]:]
    assert_eq(got[0]["To"], ENTE_MAIL)
    assert_in("Pagamento ricevuto", got[0]["Subject"])
    r = api(srv, "GET", "/api/v1/cases/%d?ente=%s" % (ST["case"], BORGO), template="/api/v1/cases/{id}")
    j = r.json()
    assert_eq(j["occupation"]["state"], "paid")
    assert_eq(j["occupation"]["paid_report_due"], "2026-04-07")
    assert_eq([p["amount_cents"] for p in j["payments"]], [7488])


def login(srv, user):
    c = srv.client()
    assert_eq(c.login(user).status, 303, user)
    return c


def t_web(srv, ctx):
    # the case page shows the occupation and its fee
    op = login(srv, "operatore")
    page = "/ufficio/%s/pratiche/%d" % (BORGO, ST["case"])
    r = op.get(page)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("Occupazione di suolo pubblico", r.text)
    assert_in("Importo dovuto", r.text)
    assert_in("74,88", r.text)
    # the Ente's back-office page: a wrong field keeps what was typed
    e = login(srv, "ente.borgo")
    form = "/ufficio/%s/occupazioni/nuova" % BORGO
    r = e.get(form)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    values = {"taxpayer.kind": "person", "taxpayer.fiscal_code": ST["cf"], "taxpayer.surname": "Bianchi",
              "taxpayer.given_name": "Anna", "place": "Via Roma 10", "zone": "A", "use": "dehors",
              "kind": "temporary", "surface_m2": "tre", "start": "2026-06-01", "end": "2026-06-03",
              "ente_email": ENTE_MAIL}
    r = e.post(form, values)
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in("Via Roma 10", r.text)
    assert_in("al massimo due decimali", r.text)
    values["surface_m2"] = "3"
    r = e.post(form, values)
    assert_eq(r.status, 303, r.text)
    case_id = int(re.search(r"/pratiche/(\d+)", r.header("Location")).group(1))
    ST["web_case"] = case_id
    # the operator processes it from the case page, twice: one act
    page = "/ufficio/%s/pratiche/%d" % (BORGO, case_id)
    r = op.get(page)
    assert_valid_html(r)
    assert_in("Calcola il canone", r.text)
    acts = int(srv.sql("SELECT COUNT(*) FROM debt_act WHERE act_type = 'canone'"))
    r = op.post(page + "/elabora-occupazione", {}, csrf_from=page)
    assert_eq(r.status, 303, r.text)
    r = op.post(page + "/elabora-occupazione", {}, csrf_from=page)
    assert_eq(r.status, 303, r.text)
    assert_eq(int(srv.sql("SELECT COUNT(*) FROM debt_act WHERE act_type = 'canone'")), acts + 1)
    # 0,60 × 1,2 × 0,8 × 3 m² × 3 days = 5,184 € -> 5,18 €
    r = op.get(page)
    assert_in("5,18", r.text)


def new_case(srv, category, subject):
    r = srv.cli("cases", "add", "--ente", BORGO, "--subject", subject, "--name", "Anna Bianchi", "--email", TP_MAIL,
                "--category", category, "--channel", "email", env={"SPORTELLO_TEST_NOW": FRIDAY})
    number = re.search(r"Pratica (\d{4}-\d{6}) aperta", r.stdout).group(1)
    case_id = int(srv.sql("SELECT id FROM cases WHERE year = %s AND number = %d AND ente_id = (SELECT id FROM ente "
                          "WHERE slug = '%s')" % (number[:4], int(number[5:]), BORGO)))
    return number, case_id


def case_json(srv, case_id):
    r = api(srv, "GET", "/api/v1/cases/%d?ente=%s" % (case_id, BORGO), template="/api/v1/cases/{id}")
    assert_eq(r.status, 200, r.text)
    return r.json()


def t_variation(srv, ctx):
    number, case_id = new_case(srv, "osp_variazione", "Variazione superficie dehors")
    env = {"SPORTELLO_TEST_NOW": FRIDAY}
    r = srv.cli("canone", "variation", "--ente", BORGO, "--case", number, "--of", ST["number"], "--what", "surface",
                "--zone", "A", "--use", "dehors", "--kind", "temporary", "--surface", "20", "--start", "2026-06-01",
                "--end", "2026-06-10", env=env)
    assert_in("awaiting_ente", r.stdout)
    j = case_json(srv, case_id)
    assert_eq(j["due_date"], "2026-04-09")
    assert_eq((j["occupation"]["ente_decision"], j["notices"]), ("pending", []))
    # the Ente decides from its page; only then the difference is billed:
    # 0,60 × 1,2 × 0,8 × 20 m² × 10 days = 115,20 € less 74,88 € = 40,32 €
    e = login(srv, "ente.borgo")
    page = "/ufficio/%s/pratiche/%d" % (BORGO, case_id)
    r = e.get(page)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("Decisione dell&#39;Ente", r.text.replace("'", "&#39;"))
    r = e.post(page + "/variazione-decisione", {"decisione": "approva"}, csrf_from=page)
    assert_eq(r.status, 303, r.text)
    j = case_json(srv, case_id)
    assert_eq(j["occupation"]["ente_decision"], "approved")
    assert_eq([n["amount_cents"] for n in j["notices"]], [4032])


def cf_of(s):
    odd = {c: v for c, v in zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4,
                                 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23])}
    even = {c: (int(c) if c.isdigit() else ord(c) - 65) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    total = sum(odd[c] if i % 2 == 0 else even[c] for i, c in enumerate(s))
    return s + chr(65 + total % 26)


def errors_of(r):
    m = re.search(r'id="errori-modulo".*?</div>', r.text, re.S)
    return m.group(0) if m else r.text[:300]


def count(srv, table, where="1 = 1"):
    return int(srv.sql("SELECT COUNT(*) FROM %s WHERE %s" % (table, where)))


def t_office_changes(srv, ctx):
    """An operator opens a variation and a cessation from the declaration's
    case: a wrong field is shown next to its message with what was typed
    kept and nothing written; a good one opens its own case."""
    op = login(srv, "operatore")
    parent = "/ufficio/%s/pratiche/%d" % (BORGO, ST["case"])
    r = op.get(parent)
    assert_in("Apri una variazione", r.text)
    assert_in("Apri una cessazione", r.text)
    form = parent + "/variazione-occupazione"
    r = op.get(form)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in('value="12,35"', r.text)  # the declared data proposed
    cases, tps = count(srv, "cases"), count(srv, "taxpayer")
    new_cf = cf_of("VRDLGU75C12H501")
    bad = {"what": "holder", "channel": "counter", "taxpayer.kind": "person", "taxpayer.fiscal_code": "VRDLGU75C12",
           "taxpayer.surname": "Verdi", "taxpayer.given_name": "Luigi", "note": "Subentro nel dehors"}
    r = op.post(form, bad, csrf_from=form)
    assert_eq(r.status, 422, r.text[:300])
    assert_valid_html(r)
    assert_in('id="f-taxpayer.fiscal_code-error"', r.text)
    assert_in("Subentro nel dehors", r.text)
    r = op.post(form, dict(bad, what="surface", surface_m2="tre"), csrf_from=form)
    assert_eq(r.status, 422)
    assert_in('id="f-surface_m2-error"', r.text)
    assert_in('value="tre"', r.text)
    assert_eq((count(srv, "cases"), count(srv, "taxpayer")), (cases, tps))
    # a change of surface: its own case, waiting for the Ente
    r = op.post(form, {"what": "surface", "channel": "email", "place": "Piazza del Mercato 3", "zone": "A",
                       "use": "dehors", "kind": "temporary", "surface_m2": "15", "start": "2026-06-01",
                       "end": "2026-06-10"}, csrf_from=form)
    assert_eq(r.status, 303, errors_of(r))
    cid = int(re.search(r"/pratiche/(\d+)", r.header("Location")).group(1))
    j = case_json(srv, cid)
    assert_eq((j["category"], j["occupation"]["state"], j["occupation"]["ente_decision"], j["notices"]),
              ("osp_variazione", "awaiting_ente", "pending", []))
    ST["pending_variation"] = cid
    # a change of holder: the registry is updated at once
    r = op.post(form, dict(bad, **{"taxpayer.fiscal_code": new_cf, "taxpayer.email": "luigi.verdi@example.org"}),
                csrf_from=form)
    assert_eq(r.status, 303, errors_of(r))
    holder = srv.sql("SELECT t.fiscal_code FROM occupation o JOIN taxpayer t ON t.id = o.taxpayer_id "
                     "WHERE o.case_id = %d" % ST["case"]).strip()
    assert_eq(holder, new_cf)
    # the cessation form
    form = parent + "/cessazione-occupazione"
    r = op.get(form)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    cases = count(srv, "cases")
    r = op.post(form, {"channel": "counter", "ceased_on": "5 giugno"}, csrf_from=form)
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in('id="f-ceased_on-error"', r.text)
    assert_eq(count(srv, "cases"), cases)
    r = op.post(form, {"channel": "counter", "ceased_on": "2026-06-08"}, csrf_from=form)
    assert_eq(r.status, 303, errors_of(r))
    cid = int(re.search(r"/pratiche/(\d+)", r.header("Location")).group(1))
    j = case_json(srv, cid)
    assert_eq((j["category"], j["due_date"], j["occupation"]["inspection_due"]),
              ("osp_cessazione", "2026-04-13", "2026-04-23"))
    r = op.get("/ufficio/%s/pratiche/%d" % (BORGO, cid))
    assert_in("Sopralluogo entro", r.text)
    ST["cess_case"] = cid
    # a case that is not a processed declaration offers nothing
    r = op.get("/ufficio/%s/pratiche/%d/cessazione-occupazione" % (BORGO, cid))
    assert_eq(r.status, 409)


def t_api_changes(srv, ctx):
    base = "/api/v1/occupations/%d/%%s?ente=%s" % (ST["occ"], BORGO)
    cases = count(srv, "cases")
    r = api(srv, "POST", base % "variations", {"variation": "surface", "zone": "A", "use": "dehors",
                                               "kind": "temporary", "surface_m2": "20,555", "start": "2026-06-01",
                                               "end": "2026-05-01"},
            template="/api/v1/occupations/{id}/variations")
    assert_eq(r.status, 422, r.text)
    assert_eq(sorted(f["field"] for f in r.json()["error"]["fields"]), ["end", "surface_m2"])
    r = api(srv, "POST", base % "variations", {"variation": "holder"}, template="/api/v1/occupations/{id}/variations")
    assert_eq(r.status, 422, r.text)
    assert_eq([f["field"] for f in r.json()["error"]["fields"]], ["taxpayer.fiscal_code"])
    assert_eq(count(srv, "cases"), cases)
    r = api(srv, "POST", base % "variations", {"variation": "nature", "zone": "A", "use": "dehors",
                                               "kind": "permanent", "surface_m2": "12,35", "start": "2026-06-01",
                                               "channel": "pec"},
            template="/api/v1/occupations/{id}/variations")
    assert_eq(r.status, 201, r.text)
    j = r.json()
    assert_eq((j["state"], j["ente_decision"], j["due_date"], j["parent_occupation_id"]),
              ("awaiting_ente", "pending", "2026-04-09", ST["occ"]))
    assert re.match(r"^\d{7}/2026$", j["protocol_number"]), j
    r = api(srv, "POST", base % "cessations", {"ceased_on": "2026-06-09"},
            template="/api/v1/occupations/{id}/cessations")
    assert_eq(r.status, 201, r.text)
    assert_eq((r.json()["state"], r.json()["inspection_due"]), ("declared", "2026-04-23"))
    r = api(srv, "POST", "/api/v1/occupations/999999/cessations?ente=%s" % BORGO, {"ceased_on": "2026-06-09"},
            template="/api/v1/occupations/{id}/cessations")
    assert_eq(r.status, 404, r.text)
    # a change of a change is refused, nothing written
    cases = count(srv, "cases")
    r = api(srv, "POST", "/api/v1/occupations/%d/cessations?ente=%s" % (j["occupation_id"], BORGO),
            {"ceased_on": "2026-06-09"}, template="/api/v1/occupations/{id}/cessations")
    assert_eq(r.status, 422, r.text)
    assert_eq(count(srv, "cases"), cases)


def png(w=2, h=2):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def multipart(c, path, fields, files=(), token=None):
    if token is None:
        m = re.search(r'name="_csrf" value="([^"]*)"', c.get(path).text)
        token = m.group(1) if m else ""
    b = "----sp" + uuid.uuid4().hex
    out = []
    for k, v in list(fields.items()) + [("_csrf", token)]:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (b, k, v)).encode())
    for name, filename, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                    "Content-Type: image/png\r\n\r\n" % (b, name, filename)).encode() + data + b"\r\n")
    out.append(("--%s--\r\n" % b).encode())
    return c.request("POST", path, body=b"".join(out),
                     headers={"Content-Type": "multipart/form-data; boundary=%s" % b})


def t_photo_link(srv, ctx):
    """The photo request mail carries a link: the taxpayer uploads photos
    without signing in (JPEG/PNG by content, CSRF), they land on the case
    as attachments; a wrong token is a 404, an expired link says so."""
    cid = ST["cess_case"]
    op = login(srv, "operatore")
    page = "/ufficio/%s/pratiche/%d" % (BORGO, cid)
    r = op.post(page + "/chiedi-foto", {}, csrf_from=page)
    assert_eq(r.status, 303, r.text[:300])
    # the one photo request so far (t_cessation asks later)
    body = srv.sql("SELECT body_text FROM outbox WHERE body_text LIKE '%/occupazioni/foto/%' ORDER BY id DESC LIMIT 1")
    m = re.search(r"(/enti/%s/occupazioni/foto/)([0-9a-f]{32})\b" % BORGO, body)
    assert m, body
    link, token = m.group(0), m.group(2)
    # only the SHA-256 of the token is stored
    assert_eq(count(srv, "occupation_photo_link", "token_hash = '%s'" % token), 0)
    assert_eq(count(srv, "occupation_photo_link", "case_id = %d" % cid), 1)
    c = srv.client()
    r = c.get(link)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in('enctype="multipart/form-data"', r.text)
    bad = link[:-1] + ("0" if link[-1] != "0" else "1")
    assert_eq(c.get(bad).status, 404)
    atts = count(srv, "case_attachment", "case_id = %d" % cid)
    # no CSRF token: refused
    assert_eq(multipart(c, link, {}, [("foto", "a.png", png())], token="x").status, 403)
    # a text file named .png is not a photo: the message next to the field
    r = multipart(c, link, {}, [("foto", "finta.png", b"not a picture at all\n" * 20)])
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in('id="f-foto-error"', r.text)
    assert_in("finta.png non è una fotografia JPEG o PNG", r.text)
    assert_eq(count(srv, "case_attachment", "case_id = %d" % cid), atts)
    r = multipart(c, link, {}, [("foto", "ripristino-1.png", png()), ("foto", "ripristino-2.png", png(3, 3))])
    assert_eq(r.status, 303, r.text[:300])
    assert_eq(count(srv, "case_attachment", "case_id = %d AND mime = 'image/png'" % cid), atts + 2)
    assert_eq(srv.sql("SELECT photos FROM occupation_photo_link WHERE case_id = %d" % cid).strip(), "2")
    r = c.get(r.header("Location"))
    assert_in("Fotografie ricevute", r.text)
    # the case went back in progress and shows the photos
    j = case_json(srv, cid)
    assert_eq(j["state"], "in_progress")
    r = op.get(page)
    assert_in("ripristino-1.png", r.text)
    assert_in("2 fotografie caricate", r.text)
    # an expired link says so and takes nothing
    srv.sql("UPDATE occupation_photo_link SET expires_at = 1000 WHERE case_id = %d" % cid)
    r = c.get(link)
    assert_eq(r.status, 410)
    assert_valid_html(r)
    r = multipart(c, link, {}, [("foto", "tardi.png", png())], token=re.search(r'name="_csrf" value="([^"]*)"',
                                                                                    c.get("/enti/%s/multe" % BORGO).text).group(1))
    assert_eq(r.status, 422)
    assert_eq(count(srv, "case_attachment", "case_id = %d AND mime = 'image/png'" % cid), atts + 2)


def t_inspection_web(srv, ctx):
    """The operator records the inspection with inspector, outcome, report
    and photos; the Ente gets the outcome; a later approval of a pending
    variation of the ceased occupation charges nothing."""
    cid = ST["cess_case"]
    op = login(srv, "operatore")
    form = "/ufficio/%s/pratiche/%d/sopralluogo-verbale" % (BORGO, cid)
    r = op.get(form)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    atts = count(srv, "case_attachment", "case_id = %d" % cid)
    r = multipart(op, form, {"day": "2026-04-21", "inspector": "", "outcome": "restored",
                             "report": "Luoghi in ordine."}, [("foto", "verbale.png", b"%PDF-1.4 no\n" * 30)])
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in('id="f-inspector-error"', r.text)
    assert_in('id="f-foto-error"', r.text)
    assert_in("Luoghi in ordine.", r.text)
    assert_eq(count(srv, "occupation_inspection"), 0)
    r = multipart(op, form, {"day": "2026-04-21", "inspector": "Agente Rossi", "outcome": "restored",
                             "report": "Luoghi in ordine."}, [("foto", "sopralluogo.png", png())])
    assert_eq(r.status, 303, r.text[:300])
    assert_eq(count(srv, "case_attachment", "case_id = %d AND name = 'sopralluogo.png'" % cid), 1)
    r = op.get("/ufficio/%s/pratiche/%d" % (BORGO, cid))
    assert_in("Agente Rossi", r.text)
    assert_in("Luoghi ripristinati", r.text)
    assert_eq(count(srv, "outbox", "to_addr = '%s' AND body_text LIKE '%%Agente Rossi%%'" % ENTE_MAIL), 1)
    # no further charges: the pending surface variation approved now bills nothing
    vid = ST["pending_variation"]
    acts = count(srv, "debt_act", "act_type = 'canone'")
    e = login(srv, "ente.borgo")
    page = "/ufficio/%s/pratiche/%d" % (BORGO, vid)
    r = e.post(page + "/variazione-decisione", {"decisione": "approva"}, csrf_from=page)
    assert_eq(r.status, 303, r.text[:300])
    j = case_json(srv, vid)
    assert_eq((j["occupation"]["ente_decision"], j["notices"]), ("approved", []))
    assert_eq(count(srv, "debt_act", "act_type = 'canone'"), acts)


def t_holder_notice(srv, ctx):
    """A change of holder bills the new holder the part of the period after
    the change that the old holder has not paid: 5,18 € for 1-3 June, the
    change on 2 June leaves 2 of 3 days: 5,18 × 2 / 3 = 3,4533 -> 3,45 €,
    relieved from the old act and issued to the new holder, whose notice
    (with the Ente's copy) is mailed."""
    # the old holder's notice goes out first (see occupation_notice_data)
    jobs_run(srv, FRIDAY)
    jobs_run(srv, FRIDAY)
    time.sleep(1)
    occ = int(srv.sql("SELECT id FROM occupation WHERE case_id = %d" % ST["web_case"]))
    old_act = int(srv.sql("SELECT act_id FROM occupation WHERE id = %d" % occ))
    new_cf = cf_of("NREGNN70A01H501")
    mail = "giovanni.neri@example.org"
    r = api(srv, "POST", "/api/v1/occupations/%d/variations?ente=%s" % (occ, BORGO),
            {"variation": "holder", "start": "2026-06-02", "channel": "email",
             "taxpayer": {"kind": "person", "fiscal_code": new_cf, "surname": "Neri", "given_name": "Giovanni",
                          "contacts": [{"channel": "email", "value": mail, "consent": True}]}},
            template="/api/v1/occupations/{id}/variations")
    assert_eq(r.status, 201, r.text)
    assert_eq(r.json()["state"], "notice_issued")
    j = case_json(srv, r.json()["case_id"])
    assert_eq([n["amount_cents"] for n in j["notices"]], [345])
    assert_eq(srv.sql("SELECT t.fiscal_code FROM debt_act a JOIN taxpayer t ON t.id = a.taxpayer_id "
                      "WHERE a.id = (SELECT act_id FROM occupation WHERE case_id = %d)" % j["id"]).strip(), new_cf)
    assert_eq(srv.sql("SELECT relieved_cents || '/' || residual_cents FROM debt_act WHERE id = %d" % old_act).strip(),
              "345/173")
    assert_eq(count(srv, "debt_movement", "act_id = %d AND kind = 'relief' AND note LIKE 'Variazione di intestazione dal 2026-06-02%%'"
                    % old_act), 1)
    before = len(sent(ctx))
    jobs_run(srv, FRIDAY)
    jobs_run(srv, FRIDAY)
    got = [m for m in wait_sent(ctx, before + 3)[before:]]
    to_new = [m for m in got if m["To"] == mail]
    assert_eq(len(to_new), 1, [(m["To"], m["Subject"]) for m in got])
    assert_eq(len([p for p in to_new[0].iter_attachments() if p.get_content_type() == "application/pdf"]), 1)
    assert_in("3,45", to_new[0].get_body(("plain",)).get_content())
    assert [m for m in got if m["To"] == ENTE_MAIL and "3,45" in m.get_body(("plain",)).get_content()], \
        [m["Subject"] for m in got]


def t_cessation(srv, ctx):
    number, case_id = new_case(srv, "osp_cessazione", "Cessazione occupazione Piazza del Mercato")
    env = {"SPORTELLO_TEST_NOW": FRIDAY}
    r = srv.cli("canone", "cessation", "--ente", BORGO, "--case", number, "--of", ST["number"], "--date",
                "2026-06-05", env=env)
    assert_in("sopralluogo entro il 2026-04-23", r.stdout)
    before = int(srv.sql("SELECT COUNT(*) FROM outbox WHERE to_addr = '%s' AND body_text LIKE '%%fotografie%%'"
                         % TP_MAIL))
    srv.cli("canone", "photos", "--ente", BORGO, "--case", number, env=env)
    assert_eq(int(srv.sql("SELECT COUNT(*) FROM outbox WHERE to_addr = '%s' AND body_text LIKE '%%fotografie%%'"
                          % TP_MAIL)), before + 1)
    j = case_json(srv, case_id)
    # 5 working days from Friday 3 April (Easter Monday skipped); the
    # inspection within 20 days of the request
    assert_eq((j["due_date"], j["state"]), ("2026-04-13", "waiting"))
    assert_eq(j["occupation"]["inspection_due"], "2026-04-23")
    op = login(srv, "operatore")
    r = op.get("/ufficio/%s/pratiche/%d" % (BORGO, case_id))
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("Sopralluogo entro", r.text)
    assert_in("23/04/2026", r.text)
    srv.cli("canone", "inspection", "--ente", BORGO, "--case", number, "--date", "2026-04-20", "--report",
            "Luoghi ripristinati, nessun danno.", env=env)
    assert_eq(case_json(srv, ST["case"])["occupation"]["ceased_on"], "2026-06-05")


def t_audit(srv, ctx):
    assert_eq(srv.cli("audit", "verify").returncode, 0)
    assert_eq(srv.bugs(), [])


def run_with_mail(name, tests):
    """Runs tests (each fn(srv, ctx)) as the TAP suite name/<backend>
    against a server with demo data whose mail goes to an OpenSMTPD started
    here (its Maildir in ctx.smtp_maildir), and exits with the result."""
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("%s/%s" % (name, backend))
    servers = "/tmp/sportello-%ssrv-%d" % (name, os.getpid())
    # one OpenSMTPD per machine (its control socket is at a fixed path):
    # wait a while for another test's to go away
    for _ in range(90):
        out = subprocess.run([os.path.join(SOURCE, "scripts", "start-mail-servers"), servers],
                             capture_output=True, text=True)
        if out.returncode == 0 or "control socket already listening" not in out.stderr:
            break
        subprocess.run([os.path.join(SOURCE, "scripts", "stop-mail-servers"), servers], capture_output=True)
        time.sleep(2)
    if out.returncode != 0:
        subprocess.run([os.path.join(SOURCE, "scripts", "stop-mail-servers"), servers], capture_output=True)
        print("not ok 1 - mail servers did not start\n# " + out.stderr.replace("\n", "\n# "))
        print("1..1")
        sys.exit(1)
    ctx = Ctx()
    conf = dict(line.split("=", 1) for line in out.stdout.split())
    ctx.smtp_maildir = conf["SMTP_MAILDIR"]
    srv = None
    try:
        srv = Server(binary, backend, pg, taxpayers=3, demo_args=("--no-cases",), env={
            "SPORTELLO_TEST_NOW": FRIDAY,
            "SPORTELLO_MAIL_SMTP_URL": conf["SMTP_URL"],
            "SPORTELLO_MAIL_SMTP_STARTTLS": "no",
            "SPORTELLO_MAIL_DOMAIN": "sportello.test",
            "SPORTELLO_PORTAL_FONT_DIR": os.path.join(SOURCE, "web", "node_modules", "bootstrap-italia", "src",
                                                   "fonts"),
            "SPORTELLO_PAGOPA_BROKER_ID": sanp.BROKER, "SPORTELLO_PAGOPA_STATION_ID": sanp.STATION,
        })
        for t in tests:
            tap.run(t.__name__[2:], t, srv, ctx)
    finally:
        if srv:
            srv.stop()
        subprocess.run([os.path.join(SOURCE, "scripts", "stop-mail-servers"), servers])
        shutil.rmtree(servers, ignore_errors=True)
    sys.exit(tap.done())


def main():
    run_with_mail("occupation", [t_rules, t_declare, t_process, t_notice_mails, t_case_api, t_payment, t_web,
                                 t_variation, t_office_changes, t_api_changes, t_holder_notice, t_photo_link,
                                 t_cessation, t_inspection_web, t_audit])

if __name__ == "__main__":
    main()
