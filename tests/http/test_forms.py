#!/usr/bin/env python3
"""HTTP tests of form and API error reporting, against the real binary:
every problem of a submission at once, each next to its own field (a
company's codice fiscale is spoken of as a codice fiscale); the JSON API as
published (responses checked against openapi.json), 400 for a malformed
body, PATCH as a JSON Merge Patch, PUT that refuses a missing list; an Ente
named by slug or by codice fiscale in the API and on the command line.
Usage: test_forms.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import html
import json
import re
import sys
import time
import urllib.parse

from harness import Server, Tap, assert_eq, assert_in, assert_valid_html
from oaschema import check_request, check_response, validate

BORGO, VALLE = "borgo-fittizio", "valle-immaginaria"
TP, TP_ID = "/api/v1/taxpayers", "/api/v1/taxpayers/{id}"


def piva(first10):
    s = 0
    for i, ch in enumerate(first10):
        v = int(ch)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        s += v
    return first10 + str((10 - s % 10) % 10)


def cf_check_char(first15):
    odd = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18,
                    20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]))
    even = {c: (int(c) if c.isdigit() else ord(c) - 65) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    s = sum(odd[c] if i % 2 == 0 else even[c] for i, c in enumerate(first15))
    return chr(65 + s % 26)


def make_cf(seed):
    base = "%sWWQXZ80A%02dH501" % ("JKXZQW"[seed % 6], 1 + seed % 28)
    return base + cf_check_char(base)


BORGO_CF = piva("8000123004")  # demo data
BAD_NUMERIC_CF = "12345678901"  # 11 digits, wrong check digit


def count(srv, sql):
    return int(srv.sql(sql).splitlines()[0])


def field_errors(page):
    """{field: message} of the messages shown next to the form's fields."""
    out = {}
    for m in re.finditer(r'<div id="f-([A-Za-z0-9_]+)-error"[^>]*>([^<]*)</div>', page.text):
        out[m.group(1)] = html.unescape(m.group(2))
    return out


def signed_in(srv, user):
    c = srv.client()
    assert_eq(c.login(user).status, 303, user)
    return c


def writes(srv):
    return tuple(count(srv, "SELECT COUNT(*) FROM %s" % t)
                 for t in ("ente", "region", "office", "app_user", "taxpayer",
                           "audit_log WHERE action NOT LIKE 'session.%'"))


# ---- admin forms: every problem at once, on its field ----

def ente_form(**kw):
    f = {"slug": "colle-nuovo", "name": "Comune di Colle Nuovo", "fiscal_code": piva("0135792468"),
         "population": "900", "segregation_code": "03", "mail_istanze": "istanze@colle.example.org",
         "mail_pec": "pec@pec.colle.example.org", "mail_info": "info@colle.example.org",
         "support_phone": "+39 0123 45678", "patron_day": "05-01"}
    f.update(kw)
    return f


def t_ente_every_error(srv):
    c = signed_in(srv, "admin")
    before = writes(srv)
    r = c.post("/admin/enti/nuovo", ente_form(slug="Colle!", name="", fiscal_code=BAD_NUMERIC_CF,
                                              segregation_code="A", mail_pec="pec@",
                                              support_phone="chiamaci", patron_day="13-40"))
    assert_eq(r.status, 422)
    errs = field_errors(r)
    for f in ("slug", "name", "fiscal_code", "segregation_code", "mail_pec", "support_phone",
              "patron_day"):
        assert f in errs, "no message on %s: %r" % (f, errs)
    assert_in("codice fiscale", errs["fiscal_code"])
    assert "partita IVA" not in r.text, "an Ente's codice fiscale is not a partita IVA"
    assert_eq(len(re.findall(r'<li><a href="#f-', r.text)), 7)  # the summary lists all seven
    assert_valid_html(r)
    # a number that cannot be read, with the other problems
    r = c.post("/admin/enti/nuovo", ente_form(population="mille", slug="X"))
    assert_eq(r.status, 422)
    assert "population" in field_errors(r) and "slug" in field_errors(r), field_errors(r)
    # a duplicate slug and an invalid field in one answer (422: not only a conflict)
    r = c.post("/admin/enti/nuovo", ente_form(slug=BORGO, patron_day="02-30"))
    assert_eq(r.status, 422)
    errs = field_errors(r)
    assert_in("Esiste già", errs.get("slug", ""))
    assert "patron_day" in errs, errs
    # only duplicates: 409, both named
    r = c.post("/admin/enti/nuovo", ente_form(slug=BORGO, fiscal_code=BORGO_CF))
    assert_eq(r.status, 409)
    errs = field_errors(r)
    assert "slug" in errs and "fiscal_code" in errs, errs
    assert_eq(writes(srv), before)


def t_office_every_error(srv):
    c = signed_in(srv, "admin")
    before = writes(srv)
    r = c.post("/admin/uffici/nuovo", {"code": "x", "name": "", "city": "c" * 101})
    assert_eq(r.status, 422)
    errs = field_errors(r)
    for f in ("region_id", "code", "name", "city"):
        assert f in errs, "no message on %s: %r" % (f, errs)
    assert_valid_html(r)
    # a new region is not created for an office that is refused
    r = c.post("/admin/uffici/nuovo", {"new_region": "Isole", "code": "x", "name": "Isole"})
    assert_eq(r.status, 422)
    assert "code" in field_errors(r)
    nord = srv.sql("SELECT id FROM region WHERE name = 'Nord'")
    r = c.post("/admin/uffici/nuovo", {"region_id": nord, "code": "NORD-01", "name": "",
                                       "city": "c" * 101})
    assert_eq(r.status, 422)
    errs = field_errors(r)
    assert "code" in errs and "name" in errs and "city" in errs, errs
    assert_eq(writes(srv), before)


def t_user_every_error(srv):
    c = signed_in(srv, "admin")
    before = writes(srv)
    r = c.post("/admin/utenti/nuovo", {"username": "A B", "full_name": "", "email": "non-valida",
                                       "role": "", "password": "corta",
                                       "password_confirm": "diversa"})
    assert_eq(r.status, 422)
    errs = field_errors(r)
    for f in ("username", "full_name", "email", "role", "password", "password_confirm"):
        assert f in errs, "no message on %s: %r" % (f, errs)
    assert "corta" not in r.text and "diversa" not in r.text
    assert_valid_html(r)
    # a username taken and a role that needs a region: both
    r = c.post("/admin/utenti/nuovo", {"username": "operatore", "full_name": "Doppio",
                                       "role": "supervisor_regional",
                                       "password": "password-lunga-1",
                                       "password_confirm": "password-lunga-1"})
    assert_eq(r.status, 422)
    errs = field_errors(r)
    assert "username" in errs and "region_id" in errs, errs
    # new password: too short and not repeated the same
    uid = int(srv.sql("SELECT id FROM app_user WHERE username = 'operatore'"))
    r = c.post("/admin/utenti/%d/password" % uid, {"password": "breve", "password_confirm": "brevi"},
               csrf_from="/admin/utenti/%d" % uid)
    assert_eq(r.status, 422)
    errs = field_errors(r)
    assert "password" in errs and "password_confirm" in errs, errs
    assert_valid_html(r)
    assert_eq(writes(srv), before)


# ---- the taxpayer form ----

def company_form(cf, **extra):
    """The taxpayer form as a browser posts it: one address, one contact."""
    f = {"kind": "company", "fiscal_code": cf, "company_name": "Alimentari Rossi",
         "address_rows": "1", "address_0_kind": "sede_legale", "address_0_street": "Via Roma 2",
         "address_0_postal_code": "00100", "address_0_city": "Roma", "address_0_province": "RM",
         "contact_rows": "1", "contact_0_channel": "pec",
         "contact_0_value": "alimentari@pec.example.org", "contact_0_consent": "1",
         "contact_source": "sportello"}
    f.update(extra)
    return f


def t_taxpayer_form_company_cf(srv):
    c = signed_in(srv, "operatore")
    path = "/ufficio/%s/contribuenti/nuovo" % BORGO
    before = writes(srv)
    r = c.post(path, company_form(BAD_NUMERIC_CF, company_name="", contact_0_value="non-una-pec",
                                  address_0_postal_code="12"))
    assert_eq(r.status, 422)
    errs = field_errors(r)
    for f in ("fiscal_code", "company_name", "contact_0_value", "address_0_postal_code"):
        assert f in errs, "no message on %s: %r" % (f, errs)
    assert_in("codice fiscale", errs["fiscal_code"])
    assert "partita IVA" not in errs["fiscal_code"], errs["fiscal_code"]
    assert_valid_html(r)
    r = c.post(path, company_form("12345"))
    assert_eq(r.status, 422)
    assert_in("codice fiscale", field_errors(r)["fiscal_code"])
    assert_eq(writes(srv), before)
    # a sole trader's company: the owner's 16-character codice fiscale
    r = c.post(path, company_form(make_cf(7)))
    assert_eq(r.status, 303, r.text[:300])
    # a duplicate and an invalid field: both, 422
    r = c.post(path, company_form(make_cf(7), contact_0_value="x"))
    assert_eq(r.status, 422)
    errs = field_errors(r)
    assert_in("Esiste già", errs.get("fiscal_code", ""))
    assert "contact_0_value" in errs, errs


# ---- the JSON API ----

def api_token(srv, *entes):
    args = ["api-token", "create", "--name", "forms-%d" % time.time_ns()]
    for e in entes:
        args += ["--ente", e]
    out = srv.cli(*args).stdout
    return max(re.findall(r"[A-Za-z0-9_-]{40,}", out), key=len)


def api(c, method, path, token, body=None, content_type="application/json", raw=None):
    h = {"Authorization": "Bearer " + token}
    if content_type:
        h["Content-Type"] = content_type
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return c.request(method, path, body=data, headers=h, raw=True)


def person(cf, **kw):
    b = {"kind": "person", "fiscal_code": cf, "surname": "Patch", "given_name": "Paola",
         "vat_number": piva("0112233445"), "birth_place": "Roma",
         "addresses": [{"kind": "residenza", "street": "Via Roma 1", "postal_code": "00100",
                        "city": "Roma", "province": "RM"}],
         "contacts": [{"channel": "email", "value": "paola.patch@example.org", "consent": True}]}
    b.update(kw)
    return b


class Api:
    """Calls the API and checks every answer against the published schema."""

    def __init__(self, srv, doc, token):
        self.c, self.doc, self.tok = srv.client(), doc, token

    def call(self, method, template, path, body=None, status=None, **kw):
        r = api(self.c, method, path, self.tok, body, **kw)
        if status is not None:
            assert_eq(r.status, status, "%s %s: %s" % (method, path, r.text[:300]))
        errs = check_response(self.doc, template, method, r.status, r.json())
        assert not errs, "\n".join(errs[:10])
        return r


def openapi(srv):
    r = srv.client().get("/api/v1/openapi.json")
    assert_eq(r.status, 200)
    return r.json()


def t_api_company_cf(srv):
    a = Api(srv, openapi(srv), api_token(srv, BORGO))
    body = {"kind": "company", "fiscal_code": BAD_NUMERIC_CF, "company_name": "",
            "addresses": [], "contacts": [{"channel": "pec", "value": "x"}]}
    r = a.call("POST", TP, "%s?ente=%s" % (TP, BORGO), body, 422)
    fields = {f["field"]: f["message"] for f in r.json()["error"]["fields"]}
    for f in ("fiscal_code", "company_name", "contacts[0].value"):
        assert f in fields, fields
    assert_in("codice fiscale", fields["fiscal_code"])
    assert "partita IVA" not in fields["fiscal_code"]
    body.update(fiscal_code=make_cf(11), company_name="Ditta Individuale Bianchi", contacts=[])
    r = a.call("POST", TP, "%s?ente=%s" % (TP, BORGO), body, 201)
    assert_eq(r.json()["fiscal_code"], make_cf(11))


def t_api_malformed_400(srv):
    a = Api(srv, openapi(srv), api_token(srv, BORGO))
    url = "%s?ente=%s" % (TP, BORGO)
    tid = int(srv.sql("SELECT t.id FROM taxpayer t JOIN ente e ON e.id = t.ente_id "
                      "WHERE e.slug = '%s' ORDER BY t.id LIMIT 1" % BORGO))
    one = "%s/%d?ente=%s" % (TP, tid, BORGO)
    before = writes(srv)
    for method, template, path in (("POST", TP, url), ("PUT", TP_ID, one), ("PATCH", TP_ID, one)):
        for raw in ("{not json", "", "[1, 2]", '"text"', "null", '{"kind": "person"} trailing'):
            r = a.call(method, template, path, raw=raw, status=400)
            assert_eq(r.json()["error"]["code"], "malformed_json")
        for ct in ("text/plain", None, "application/jsonx"):
            r = a.call(method, template, path, raw=json.dumps(person(make_cf(3))),
                       content_type=ct, status=400)
            assert_eq(r.json()["error"]["code"], "bad_request")
    assert_eq(writes(srv), before)


def audit_rows(srv, tid):
    return count(srv, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'taxpayer' "
                      "AND object_id = %d" % tid)


def t_api_put_needs_lists(srv):
    a = Api(srv, openapi(srv), api_token(srv, BORGO))
    cf = make_cf(5)
    tp = a.call("POST", TP, "%s?ente=%s" % (TP, BORGO), person(cf), 201).json()
    one = "%s/%d?ente=%s" % (TP, tp["id"], BORGO)
    audits = audit_rows(srv, tp["id"])
    body = person(cf, surname="Senza")
    del body["addresses"]
    r = a.call("PUT", TP_ID, one, body, 422)
    assert_in("addresses", [f["field"] for f in r.json()["error"]["fields"]])
    body = person(cf)
    del body["contacts"]
    r = a.call("PUT", TP_ID, one, body, 422)
    assert_in("contacts", [f["field"] for f in r.json()["error"]["fields"]])
    got = a.call("GET", TP_ID, one, status=200).json()
    assert_eq(got["surname"], "Patch")
    assert_eq(len(got["addresses"]), 1)
    assert_eq(len(got["contacts"]), 1)
    assert_eq(audit_rows(srv, tp["id"]), audits)
    # empty lists, sent on purpose, do clear them
    r = a.call("PUT", TP_ID, one, person(cf, addresses=[], contacts=[]), 200)
    assert_eq(r.json()["addresses"], [])
    assert_eq(audit_rows(srv, tp["id"]), audits + 1)


def t_api_patch(srv):
    a = Api(srv, openapi(srv), api_token(srv, BORGO, VALLE))
    cf = make_cf(9)
    tp = a.call("POST", TP, "%s?ente=%s" % (TP, BORGO), person(cf), 201).json()
    one = "%s/%d?ente=%s" % (TP, tp["id"], BORGO)
    audits = audit_rows(srv, tp["id"])
    # only the surname: everything else as it was, one audit row
    r = a.call("PATCH", TP_ID, one, {"surname": "Cambiata"}, 200,
               content_type="application/merge-patch+json")
    got = r.json()
    assert_eq(got["surname"], "Cambiata")
    for k in ("fiscal_code", "given_name", "vat_number", "birth_place", "addresses", "contacts"):
        assert_eq(got[k], tp[k], k)
    assert_eq(audit_rows(srv, tp["id"]), audits + 1)
    assert_eq(srv.sql("SELECT action FROM audit_log WHERE object_type = 'taxpayer' AND "
                      "object_id = %d ORDER BY id DESC LIMIT 1" % tp["id"]), "taxpayer.update")
    # null removes an optional field; a list present replaces the list
    new_contacts = [{"channel": "mobile", "value": "+39 333 1234567", "consent": False}]
    r = a.call("PATCH", TP_ID, one, {"vat_number": None, "birth_place": None,
                                     "contacts": new_contacts}, 200)
    got = r.json()
    assert_eq(got["vat_number"], None)
    assert_eq(got["birth_place"], None)
    assert_eq([c["value"] for c in got["contacts"]], ["+393331234567"])
    assert_eq(got["addresses"], tp["addresses"])
    # a nested object in a list is replaced whole, and validated
    r = a.call("PATCH", TP_ID, one, {"addresses": [{"kind": "residenza"}]}, 422)
    fields = [f["field"] for f in r.json()["error"]["fields"]]
    assert "addresses[0].street" in fields and "addresses[0].city" in fields, fields
    # required fields cannot be removed; wrong types are named
    r = a.call("PATCH", TP_ID, one, {"fiscal_code": None, "surname": 12}, 422)
    fields = [f["field"] for f in r.json()["error"]["fields"]]
    assert "fiscal_code" in fields and "surname" in fields, fields
    r = a.call("PATCH", TP_ID, one, {"kind": None}, 422)
    assert_eq(audit_rows(srv, tp["id"]), audits + 2)
    assert_eq(a.call("GET", TP_ID, one, status=200).json()["surname"], "Cambiata")
    # another Ente's taxpayer through this Ente: 404; an unknown id: 404
    valle = int(srv.sql("SELECT t.id FROM taxpayer t JOIN ente e ON e.id = t.ente_id "
                        "WHERE e.slug = '%s' ORDER BY t.id LIMIT 1" % VALLE))
    a.call("PATCH", TP_ID, "%s/%d?ente=%s" % (TP, valle, BORGO), {"surname": "X"}, 404)
    a.call("PATCH", TP_ID, "%s/999999?ente=%s" % (TP, BORGO), {"surname": "X"}, 404)
    # a person becomes a company: the person's fields go
    r = a.call("PATCH", TP_ID, one, {"kind": "company", "company_name": "Patch Srl",
                                     "fiscal_code": piva("0998877665")}, 200)
    got = r.json()
    assert_eq((got["kind"], got["surname"], got["sex"]), ("company", None, None))


def t_api_matches_schema(srv):
    """Every kind of answer the API gives, checked against openapi.json;
    and the document's own example bodies against its request schemas."""
    doc = openapi(srv)
    a = Api(srv, doc, api_token(srv, BORGO))
    items = []
    for kind in ("person", "company"):
        name = srv.sql("SELECT COALESCE(surname, company_name) FROM taxpayer t JOIN ente e ON "
                       "e.id = t.ente_id WHERE e.slug = '%s' AND t.kind = '%s' ORDER BY t.id "
                       "LIMIT 1" % (BORGO, kind))
        r = a.call("GET", TP, "%s?ente=%s&q=%s&limit=100" % (TP, BORGO, urllib.parse.quote(name[:4])), status=200)
        items += r.json()["items"]
    assert_eq({t["kind"] for t in items}, {"person", "company"}, "the demo data has both")
    for t in items:
        a.call("GET", TP_ID, "%s/%d?ente=%s" % (TP, t["id"], BORGO), status=200)
    company = [t for t in items if t["kind"] == "company"][0]
    assert_eq(company["sex"], None)
    a.call("GET", TP, "%s?ente=%s&fiscal_code=%s" % (TP, BORGO, company["fiscal_code"]), status=200)
    a.call("GET", TP, "%s?ente=%s" % (TP, BORGO), status=200)  # the whole registry, by pages
    a.call("GET", TP, "%s?ente=%s&limit=0" % (TP, BORGO), status=422)
    a.call("GET", TP, "%s?ente=%s&q=%s" % (TP, BORGO, "a" * 101), status=400)
    a.call("GET", TP, "%s?ente=%s&q=a" % (TP, VALLE), status=404)
    a.call("GET", TP_ID, "%s/999999?ente=%s" % (TP, BORGO), status=404)
    body = person(make_cf(13))
    assert not check_request(doc, TP, "POST", body)
    created = a.call("POST", TP, "%s?ente=%s" % (TP, BORGO), body, 201).json()
    a.call("POST", TP, "%s?ente=%s" % (TP, BORGO), body, 409)
    one = "%s/%d?ente=%s" % (TP, created["id"], BORGO)
    assert not check_request(doc, TP_ID, "PUT", body)
    a.call("PUT", TP_ID, one, body, 200)
    assert not check_request(doc, TP_ID, "PATCH", {"surname": "X", "birth_place": None},
                             "application/merge-patch+json")
    a.call("PATCH", TP_ID, one, {"surname": "Schema"}, 200)
    bad = Api(srv, doc, "x" * 43)
    bad.call("GET", TP, "%s?ente=%s&q=a" % (TP, BORGO), status=401)
    # the checker itself: it does catch a mismatch
    assert validate(doc, {"$ref": "#/components/schemas/Taxpayer"}, dict(created, extra=1))
    assert validate(doc, {"type": "string", "enum": ["M", "F"], "nullable": True}, None)


def t_api_ente_by_fiscal_code(srv):
    doc = openapi(srv)
    a = Api(srv, doc, api_token(srv, BORGO))
    by_slug = a.call("GET", TP, "%s?ente=%s&limit=5" % (TP, BORGO), status=200).json()
    by_cf = a.call("GET", TP, "%s?ente=%s&limit=5" % (TP, BORGO_CF), status=200).json()
    assert_eq(by_cf, by_slug)
    assert by_cf["items"] and by_cf["items"][0]["ente"] == BORGO
    tid = by_cf["items"][0]["id"]
    a.call("GET", TP_ID, "%s/%d?ente=%s" % (TP, tid, BORGO_CF), status=200)
    a.call("GET", TP, "%s?ente=%s&q=a" % (TP, piva("8000456006")), status=404)  # Valle: not in token
    a.call("GET", TP, "%s?ente=%s&q=a" % (TP, piva("9999999999")), status=404)
    r = a.call("POST", TP, "%s?ente=%s" % (TP, BORGO_CF), person(make_cf(17)), 201)
    assert r.header("Location").endswith("?ente=%s" % BORGO)


def t_cli_ente_by_fiscal_code(srv):
    valle_cf = piva("8000456006")
    out = srv.cli("api-token", "create", "--name", "cf-token", "--ente", valle_cf).stdout
    tok = max(re.findall(r"[A-Za-z0-9_-]{40,}", out), key=len)
    c = srv.client()
    assert_eq(api(c, "GET", "%s?ente=%s&q=a" % (TP, VALLE), tok).status, 200)
    assert_eq(api(c, "GET", "%s?ente=%s&q=a" % (TP, BORGO), tok).status, 404)
    r = srv.cli("user", "add", "--username", "staff.cf", "--name", "Staff Codice",
                "--role", "ente_staff", "--ente", BORGO_CF, "--ente", VALLE,
                env={"SPORTELLO_PASSWORD": "password-lunga-1"})
    assert_eq(r.returncode, 0)
    ids = srv.sql("SELECT e.slug FROM user_ente ue JOIN ente e ON e.id = ue.ente_id JOIN app_user u "
                  "ON u.id = ue.user_id WHERE u.username = 'staff.cf' ORDER BY e.slug")
    assert_eq(ids.split(), [BORGO, VALLE])
    r = srv.cli("user", "entes", "staff.cf", "--ente", " %s " % valle_cf)
    assert_eq(r.returncode, 0, r.stderr)
    assert_eq(srv.sql("SELECT e.slug FROM user_ente ue JOIN ente e ON e.id = ue.ente_id JOIN "
                      "app_user u ON u.id = ue.user_id WHERE u.username = 'staff.cf'"), VALLE)
    r = srv.cli("user", "entes", "staff.cf", "--ente", piva("9999999999"), check=False)
    assert r.returncode != 0
    assert_in("ente inesistente: %s" % piva("9999999999"), r.stderr)


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("forms[%s]" % backend)
    srv = Server(binary, backend, pg, taxpayers=40)
    try:
        for t in (t_ente_every_error, t_office_every_error, t_user_every_error,
                  t_taxpayer_form_company_cf, t_api_company_cf, t_api_malformed_400,
                  t_api_put_needs_lists, t_api_patch, t_api_matches_schema,
                  t_api_ente_by_fiscal_code, t_cli_ente_by_fiscal_code):
            tap.run(t.__name__[2:], t, srv)
        r = srv.cli("audit", "verify")
        tap.run("audit_chain", lambda: assert_eq(r.returncode, 0, r.stdout + r.stderr))
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
