#!/usr/bin/env python3
"""HTTP tests against the real binary: sign-in, roles, tenant isolation,
CSRF, limits, security headers, the registry pages and the JSON API, the
audit chain. Usage: test_http.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import json
import re
import socket
import sys
import time

from harness import Server, Tap, assert_eq, assert_in, assert_valid_html

BORGO, VALLE = "borgo-fittizio", "valle-immaginaria"
VALID_CF = "RSSMRA80A01H501U"  # computed below to be sure
CF_INVALID = "RSSMRA80A01H501X"


def cf_check_char(first15):
    odd = {c: v for c, v in zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
           [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20,
            11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23])}
    even = {c: (int(c) if c.isdigit() else ord(c) - 65) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    s = sum(odd[c] if i % 2 == 0 else even[c] for i, c in enumerate(first15))
    return chr(65 + s % 26)


def make_cf(seed):
    """A valid person CF unlikely to collide with demo data."""
    letters = "QXZWJK"
    base = "%s%s%s80A%02dH501" % (letters[seed % 6], "ZZ", "QQX", 1 + seed % 28)
    return base + cf_check_char(base)


def taxpayer_of(srv, slug):
    row = srv.sql("SELECT t.id FROM taxpayer t JOIN ente e ON e.id = t.ente_id "
                  "WHERE e.slug = '%s' ORDER BY t.id LIMIT 1" % slug)
    return int(row.splitlines()[0])


def count(srv, sql):
    return int(srv.sql(sql).splitlines()[0])


def t_health(srv):
    r = srv.client().get("/healthz")
    assert_eq(r.status, 200)
    assert_eq(r.json()["database"], "ok")


def t_security_headers(srv):
    r = srv.client().get("/accedi")
    assert_eq(r.status, 200)
    csp = r.header("Content-Security-Policy") or ""
    assert_in("frame-ancestors 'none'", csp)
    assert_in("script-src 'self'", csp)
    assert "unsafe-inline" not in csp
    assert_eq(r.header("X-Content-Type-Options"), "nosniff")
    assert_eq(r.header("Referrer-Policy"), "same-origin")
    assert_valid_html(r)


def t_404_page(srv):
    r = srv.client().get("/non-esiste")
    assert_eq(r.status, 404)
    assert_in("Pagina non trovata", r.text)
    assert_valid_html(r)
    r = srv.client().get("/api/v1/non-esiste")
    assert_eq(r.status, 404)
    assert_eq(r.json()["error"]["code"], "not_found")


def t_typed_routes(srv):
    """{id:id} takes digits only, and a literal segment wins over a
    placeholder whatever the table order."""
    c = srv.client()
    c.login("admin")
    assert_eq(c.get("/admin/utenti/nuovo").status, 200)
    for bad in ("/admin/utenti/abc", "/admin/utenti/0", "/admin/utenti/-1", "/admin/utenti/1x"):
        assert_eq(c.get(bad).status, 404, bad)
    tok = api_token(srv, BORGO)
    r = api(c, "GET", "/api/v1/taxpayers/abc?ente=%s" % BORGO, tok)
    assert_eq(r.status, 404)


def t_static(srv):
    c = srv.client()
    r = c.get("/static/css/sportello.css")
    assert_eq(r.status, 200)
    assert_in("text/css", r.header("Content-Type"))
    assert_eq(c.get("/static/../meson.build").status, 404)
    assert_eq(c.get("/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css").status, 200)


def t_login_wrong_password(srv):
    c = srv.client()
    r = c.login("operatore", "password-sbagliata")
    assert_eq(r.status, 401)
    assert_in("Nome utente o password non corretti", r.text)
    assert "sp_session" not in c.cookies
    assert_valid_html(r)


def t_login_and_rotation(srv):
    c = srv.client()
    r = c.login("operatore")
    assert_eq(r.status, 303)
    cookie = [v for v in r.headers_all("Set-Cookie") if v.startswith("sp_session=")][0]
    assert_in("HttpOnly", cookie)
    assert_in("SameSite=Lax", cookie)
    first = c.cookies["sp_session"]
    r = c.get("/ufficio")
    assert_eq(r.status, 303)
    r = c.post("/accedi", {"username": "operatore", "password": "demo-password-2026"},
               csrf_from="/ufficio/%s" % BORGO)  # signing in again while signed in
    assert_eq(r.status, 303)
    assert c.cookies["sp_session"] != first, "session id must change at sign-in"
    # the old session no longer works
    old = srv.client()
    old.cookies["sp_session"] = first
    assert_eq(old.get("/ufficio/%s" % BORGO).status, 303)


def t_login_needs_csrf(srv):
    c = srv.client()
    r = c.post("/accedi", {"username": "operatore", "password": "demo-password-2026"}, csrf=False)
    assert_eq(r.status, 403)
    assert "sp_session" not in c.cookies


def t_login_throttled(srv):
    c = srv.client()
    for _ in range(5):
        assert_eq(c.login("supervisore.nord", "sbagliata-sbagliata").status, 401)
    r = c.login("supervisore.nord")  # right password, but too many failures
    assert_eq(r.status, 429)
    assert "sp_session" not in c.cookies


def t_logout(srv):
    c = srv.client()
    c.login("operatore")
    r = c.post("/esci", {}, csrf_from="/ufficio/%s" % BORGO)
    assert_eq(r.status, 303)
    assert_eq(c.get("/ufficio/%s" % BORGO).status, 303)


def t_anonymous_redirected(srv):
    r = srv.client().get("/ufficio/%s/contribuenti" % BORGO)
    assert_eq(r.status, 303)
    assert r.header("Location").startswith("/accedi?dopo=")


def t_roles(srv):
    expect = {
        "admin": {"/admin": 200, "/ufficio/%s" % BORGO: 200, "/ufficio/%s" % VALLE: 200,
                  "/ufficio/%s/contribuenti/nuovo" % BORGO: 200},
        "operatore": {"/admin": 403, "/ufficio/%s" % BORGO: 200, "/ufficio/%s" % VALLE: 200,
                      "/ufficio/%s/contribuenti/nuovo" % BORGO: 200},
        "gestore": {"/admin": 403, "/ufficio/%s/contribuenti/nuovo" % VALLE: 200},
        "supervisore": {"/admin": 403, "/ufficio/%s/contribuenti/nuovo" % BORGO: 403},
        "ente.borgo": {"/admin": 403, "/ufficio/%s" % BORGO: 200, "/ufficio/%s" % VALLE: 404,
                       "/ufficio/%s/contribuenti" % VALLE: 404,
                       "/ufficio/%s/contribuenti/nuovo" % BORGO: 403},
    }
    for user, pages in expect.items():
        c = srv.client()
        assert_eq(c.login(user).status, 303, user)
        for path, status in pages.items():
            r = c.get(path)
            assert_eq(r.status, status, "%s %s" % (user, path))
            if r.status in (200, 403, 404):
                assert_valid_html(r)


def t_tenant_isolation_by_url(srv):
    valle_tp = taxpayer_of(srv, VALLE)
    borgo_tp = taxpayer_of(srv, BORGO)
    c = srv.client()
    c.login("ente.borgo")
    assert_eq(c.get("/ufficio/%s/contribuenti/%d" % (BORGO, borgo_tp)).status, 200)
    # Valle's taxpayer through Borgo's URL, and through Valle's own URL
    assert_eq(c.get("/ufficio/%s/contribuenti/%d" % (BORGO, valle_tp)).status, 404)
    assert_eq(c.get("/ufficio/%s/contribuenti/%d" % (VALLE, valle_tp)).status, 404)


def t_search(srv):
    c = srv.client()
    c.login("operatore")
    name = srv.sql("SELECT surname FROM taxpayer t JOIN ente e ON e.id=t.ente_id WHERE e.slug='%s' "
                   "AND kind='person' ORDER BY t.id LIMIT 1" % BORGO)
    r = c.get("/ufficio/%s/contribuenti?q=%s" % (BORGO, name[:3].lower()))
    assert_eq(r.status, 200)
    assert_in(name, r.text)
    assert_valid_html(r)
    cf = srv.sql("SELECT fiscal_code FROM taxpayer WHERE id=%d" % taxpayer_of(srv, BORGO))
    r = c.get("/ufficio/%s/contribuenti?q=%s" % (BORGO, cf))
    assert_in(cf, r.text)
    # a Borgo fiscal code is not found in Valle
    r = c.get("/ufficio/%s/contribuenti?q=%s" % (VALLE, cf))
    assert_in("Nessun contribuente trovato", r.text)
    r = c.get("/ufficio/%s/contribuenti?q=%s" % (BORGO, "x" * 101))
    assert_eq(r.status, 400)
    assert_valid_html(r)


def person_form(cf, **extra):
    """The taxpayer form as a browser posts it: one address row and one
    contact row (plus the empty rows the page adds)."""
    f = {"kind": "person", "fiscal_code": cf, "surname": "Prova", "given_name": "Paola",
         "address_rows": "2", "address_0_kind": "residenza", "address_0_street": "Via Roma 1",
         "address_0_postal_code": "00100", "address_0_city": "Roma", "address_0_province": "RM",
         "contact_rows": "2", "contact_0_channel": "email",
         "contact_0_value": "paola.prova@example.org", "contact_0_consent": "1",
         "contact_source": "sportello"}
    f.update(extra)
    return f


def t_create_invalid_then_valid(srv):
    c = srv.client()
    c.login("operatore")
    path = "/ufficio/%s/contribuenti/nuovo" % BORGO
    before = count(srv, "SELECT COUNT(*) FROM taxpayer")
    audit_before = count(srv, "SELECT COUNT(*) FROM audit_log")
    r = c.post(path, person_form(CF_INVALID, contact_0_value="non-una-mail",
                                 address_0_postal_code="12"))
    assert_eq(r.status, 422)
    assert_in('aria-invalid="true"', r.text)
    assert_in("codice fiscale", r.text.lower())
    assert_in('value="%s"' % CF_INVALID, r.text)  # the typed values are kept
    assert_in('id="f-contact_0_value-error"', r.text)
    assert_in('id="f-address_0_postal_code-error"', r.text)
    assert_in('href="#f-contact_0_value"', r.text)  # the summary links to the field
    assert_valid_html(r)
    assert_eq(count(srv, "SELECT COUNT(*) FROM taxpayer"), before)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log"), audit_before)
    cf = make_cf(1)
    r = c.post(path, person_form(cf))
    assert_eq(r.status, 303, r.text[:300])
    loc = r.header("Location")
    r = c.get(loc)
    assert_eq(r.status, 200)
    assert_in(cf, r.text)
    assert_in("paola.prova@example.org", r.text)
    assert_valid_html(r)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log"), audit_before + 1)
    # the same fiscal code again in the same Ente is refused, in another accepted
    r = c.post(path, person_form(cf))
    assert_eq(r.status, 409)
    assert_in("Esiste già un contribuente", r.text)
    r = c.post("/ufficio/%s/contribuenti/nuovo" % VALLE, person_form(cf))
    assert_eq(r.status, 303)


def t_edit(srv):
    c = srv.client()
    c.login("gestore")
    cf = make_cf(2)
    r = c.post("/ufficio/%s/contribuenti/nuovo" % BORGO, person_form(cf))
    assert_eq(r.status, 303)
    tid = int(re.search(r"/contribuenti/(\d+)", r.header("Location")).group(1))
    edit = "/ufficio/%s/contribuenti/%d/modifica" % (BORGO, tid)
    page = c.get(edit)
    assert_eq(page.status, 200)
    assert_valid_html(page)
    r = c.post(edit, person_form(cf, surname="Cambiato", contact_1_channel="pec",
                                 contact_1_value="prova@pec.example.org"))
    assert_eq(r.status, 303)
    r = c.get("/ufficio/%s/contribuenti/%d" % (BORGO, tid))
    assert_in("Cambiato", r.text)
    assert_in("prova@pec.example.org", r.text)
    r = c.post(edit, person_form(cf, contact_1_channel="pec", contact_1_value="non valida"))
    assert_eq(r.status, 422)
    assert_in("Cambiato", c.get("/ufficio/%s/contribuenti/%d" % (BORGO, tid)).text)


def t_csrf_refused(srv):
    c = srv.client()
    c.login("operatore")
    before = count(srv, "SELECT COUNT(*) FROM taxpayer")
    r = c.post("/ufficio/%s/contribuenti/nuovo" % BORGO, person_form(make_cf(3)), csrf=False)
    assert_eq(r.status, 403)
    r = c.post("/ufficio/%s/contribuenti/nuovo" % BORGO, dict(person_form(make_cf(3)), _csrf="x" * 43),
               csrf=False)
    assert_eq(r.status, 403)
    assert_eq(count(srv, "SELECT COUNT(*) FROM taxpayer"), before)


def raw_http(srv, head, chunks=()):
    """Sends a request by hand and returns the status line of the answer."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
    s.sendall(head)
    try:
        for ch in chunks:
            s.sendall(ch)
    except OSError:
        pass  # the server may answer and close before the body is all sent
    data = b""
    while b"\r\n\r\n" not in data:
        part = s.recv(65536)
        if not part:
            break
        data += part
    s.close()
    return data


def t_oversized_body(srv):
    # declared too large: refused before the body is read
    big = 2 * 1024 * 1024
    r = raw_http(srv, b"POST /accedi HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                      b"\r\nContent-Length: %d\r\n\r\n" % big)
    assert r.startswith(b"HTTP/1.1 413"), r[:100]
    r = raw_http(srv, b"POST /api/v1/taxpayers?ente=%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                      b"\r\nContent-Length: %d\r\n\r\n" % (BORGO.encode(), big))
    assert r.startswith(b"HTTP/1.1 413"), r[:100]
    assert b"too_large" in r or b"application/json" in r
    # streamed without a length: refused once it passes the limit
    chunk = b"x" * 65536
    chunks = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * 20 + [b"0\r\n\r\n"]
    r = raw_http(srv, b"POST /accedi HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                      b"\r\nTransfer-Encoding: chunked\r\n\r\n", chunks)
    assert r.startswith(b"HTTP/1.1 413"), r[:100]
    # an upload route takes more than the server's default (here the API's
    # authorisation PDF: 10 MB and 1 MB of room): 2 MB is read and reaches
    # the route (no token: 401), over its own limit it is refused at once
    path = b"/api/v1/cases/1/authorisation?ente=" + BORGO.encode()
    r = raw_http(srv, b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\nConnection: close"
                      b"\r\nContent-Length: %d\r\n\r\n" % (path, big), [b"%PDF" + b"x" * (big - 4)])
    assert r.startswith(b"HTTP/1.1 401"), r[:100]
    r = raw_http(srv, b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf"
                      b"\r\nContent-Length: %d\r\n\r\n" % (path, 12 * 1024 * 1024))
    assert r.startswith(b"HTTP/1.1 413"), r[:100]
    assert_eq(srv.client().get("/healthz").status, 200)


def t_oversized_headers(srv):
    c = srv.client()
    try:
        r = c.get("/healthz", headers={"X-Big": "y" * 40000})
        assert r.status in (413, 431), r.status
    except (ConnectionError, OSError):
        pass  # closing the connection is also a refusal
    assert_eq(srv.client().get("/healthz").status, 200)


def t_slow_client(srv):
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finishes the headers
    s.settimeout(10)
    t0 = time.time()
    data = s.recv(100)
    assert_eq(data, b"", "server should drop the slow client")
    assert time.time() - t0 < 9
    s.close()


def api_token(srv, *entes):
    args = ["api-token", "create", "--name", "test-%d" % time.time_ns()]
    for e in entes:
        args += ["--ente", e]
    out = srv.cli(*args).stdout
    return max(re.findall(r"[A-Za-z0-9_-]{40,}", out), key=len)


def api(c, method, path, token, body=None):
    h = {"Authorization": "Bearer " + token}
    if body is not None:
        h["Content-Type"] = "application/json"
        body = json.dumps(body)
    return c.request(method, path, body=body, headers=h, raw=True)


def t_api_auth(srv):
    c = srv.client()
    r = c.get("/api/v1/taxpayers?ente=%s&q=a" % BORGO)
    assert_eq(r.status, 401)
    assert_eq(r.json()["error"]["code"], "unauthorized")
    r = api(c, "GET", "/api/v1/taxpayers?ente=%s&q=a" % BORGO, "x" * 43)
    assert_eq(r.status, 401)


def t_api_crud_and_isolation(srv):
    c = srv.client()
    tok = api_token(srv, BORGO)
    body = {"kind": "person", "fiscal_code": CF_INVALID, "surname": "Api", "given_name": "Anna",
            "contacts": [{"channel": "email", "value": "bad", "consent": True}]}
    before = count(srv, "SELECT COUNT(*) FROM taxpayer")
    r = api(c, "POST", "/api/v1/taxpayers?ente=%s" % BORGO, tok, body)
    assert_eq(r.status, 422)
    fields = {f["field"] for f in r.json()["error"]["fields"]}
    assert "fiscal_code" in fields and "contacts[0].value" in fields, fields
    assert_eq(count(srv, "SELECT COUNT(*) FROM taxpayer"), before)
    cf = make_cf(4)
    body["fiscal_code"] = cf
    body["contacts"][0]["value"] = "anna.api@example.org"
    r = api(c, "POST", "/api/v1/taxpayers?ente=%s" % BORGO, tok, body)
    assert_eq(r.status, 201, r.text)
    tp = r.json()
    assert_eq(tp["fiscal_code"], cf)
    assert tp["contacts"][0]["consent_at"], "consent time recorded"
    r = api(c, "POST", "/api/v1/taxpayers?ente=%s" % BORGO, tok, body)
    assert_eq(r.status, 409)
    r = api(c, "GET", "/api/v1/taxpayers?ente=%s&fiscal_code=%s" % (BORGO, cf), tok)
    assert_eq(r.status, 200)
    assert_eq([t["id"] for t in r.json()["items"]], [tp["id"]])
    r = api(c, "GET", "/api/v1/taxpayers/%d?ente=%s" % (tp["id"], BORGO), tok)
    assert_eq(r.status, 200)
    body["surname"] = "Apitest"
    body["addresses"] = []  # PUT replaces everything: both lists must be sent
    r = api(c, "PUT", "/api/v1/taxpayers/%d?ente=%s" % (tp["id"], BORGO), tok, body)
    assert_eq(r.status, 200)
    assert_eq(r.json()["surname"], "Apitest")
    # Valle is not in the token's scope: 404 both for the Ente and its taxpayer
    valle_tp = taxpayer_of(srv, VALLE)
    assert_eq(api(c, "GET", "/api/v1/taxpayers?ente=%s&q=a" % VALLE, tok).status, 404)
    assert_eq(api(c, "GET", "/api/v1/taxpayers/%d?ente=%s" % (valle_tp, VALLE), tok).status, 404)
    assert_eq(api(c, "GET", "/api/v1/taxpayers/%d?ente=%s" % (valle_tp, BORGO), tok).status, 404)
    r = api(c, "PUT", "/api/v1/taxpayers/%d?ente=%s" % (valle_tp, BORGO), tok, body)
    assert_eq(r.status, 404)
    r = api(c, "POST", "/api/v1/taxpayers?ente=%s" % BORGO, tok, None)
    assert_eq(r.status, 400)  # no body, no JSON Content-Type
    # bad search parameters: named, and nothing is read
    r = api(c, "GET", "/api/v1/taxpayers?ente=%s&q=a&limit=0" % BORGO, tok)
    assert_eq(r.status, 422)
    assert_eq(api(c, "GET", "/api/v1/taxpayers?ente=%s&q=%s" % (BORGO, "a" * 101), tok).status, 400)
    assert_eq(api(c, "GET", "/api/v1/taxpayers?q=a", tok).status, 400)  # no Ente named
    r = c.request("POST", "/api/v1/taxpayers?ente=%s" % BORGO, body=b"{not json",
                  headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"},
                  raw=True)
    assert_eq(r.status, 400)  # malformed JSON: 400, as documented


def t_openapi(srv):
    r = srv.client().get("/api/v1/openapi.json")
    assert_eq(r.status, 200)
    doc = r.json()
    assert_eq(doc["openapi"][:2], "3.")
    assert "/api/v1/taxpayers" in doc["paths"]
    assert "post" in doc["paths"]["/api/v1/taxpayers"]


def t_internal_error(srv):
    """A storage failure in the middle of a request (a table gone) gives the
    500 page in the site style / a JSON 500, and the server keeps serving."""
    tid = taxpayer_of(srv, BORGO)
    tok = api_token(srv, BORGO)
    c = srv.client()
    c.login("operatore")
    srv.sql("ALTER TABLE taxpayer_contact RENAME TO taxpayer_contact_away")
    try:
        r = c.get("/ufficio/%s/contribuenti/%d" % (BORGO, tid))
        assert_eq(r.status, 500)
        assert_in("Si è verificato un errore interno", r.text)
        assert_valid_html(r)
        assert "taxpayer_contact" not in r.text  # the cause stays in the log
        r = api(c, "GET", "/api/v1/taxpayers/%d?ente=%s" % (tid, BORGO), tok)
        assert_eq(r.status, 500)
        assert_eq(r.json()["error"]["code"], "storage_error")
        assert "taxpayer_contact" not in r.text
    finally:
        srv.sql("ALTER TABLE taxpayer_contact_away RENAME TO taxpayer_contact")
    # each 500 logged its cause once: the store function and the driver's message
    srv.log.flush()
    log = open(srv.log.name).read()
    lines = [l for l in log.splitlines() if "-> 500 storage_error" in l]
    assert_eq(len(lines), 2, log[-2000:])
    for l in lines:
        assert re.search(r"(prepare|statement) \w+: .*taxpayer_contact", l), l
    assert_eq(c.get("/ufficio/%s/contribuenti/%d" % (BORGO, tid)).status, 200)


def t_audit_chain(srv):
    r = srv.cli("audit", "verify")
    assert_eq(r.returncode, 0)
    assert_in("integro", r.stdout)
    last = srv.sql("SELECT MAX(id) FROM audit_log")
    srv.sql("UPDATE audit_log SET after_json = '{}' WHERE id = (SELECT MIN(id) FROM audit_log)")
    r = srv.cli("audit", "verify", check=False)
    assert_eq(r.returncode, 1)
    assert last


def t_config_and_help(srv):
    r = srv.cli("config", env={"SPORTELLO_SECURITY_SECRET_KEY": "segreto-da-non-mostrare-0123456789abcdef",
                               "SPORTELLO_SERVER_THREADS": "7"})
    assert "segreto-da-non-mostrare-0123456789abcdef" not in r.stdout
    assert_in("threads = 7", r.stdout)
    for cmd in ["serve", "worker", "migrate", "demo-data", "config", "ente", "office", "user",
                "api-token", "audit"]:
        r = srv.cli(cmd, "--help")
        assert_eq(r.returncode, 0, cmd)
        assert_in("Uso:", r.stdout, cmd)
    r = srv.cli("config", env={"SPORTELLO_SERVER_THREADS": "-1"}, check=False)
    assert_eq(r.returncode, 2)


def restarted_with(srv, env, fn):
    """Runs fn with the server restarted under extra environment, then
    restarts it as it was."""
    srv.stop()
    saved = dict(srv.env)
    srv.env.update(env)
    try:
        srv.start()
        fn()
    finally:
        srv.stop()
        srv.env = saved
        srv.start()


def t_rate_limit(srv):
    def check():
        c = srv.client()
        statuses = [c.get("/healthz").status for _ in range(30)]
        assert_eq(statuses, [200] * 30)
        r = c.get("/healthz")
        assert_eq(r.status, 429)
        assert int(r.header("Retry-After")) >= 1
        r = c.get("/accedi")
        assert_eq(r.status, 429)
        assert_in("Troppi tentativi", r.text)
        assert_eq(c.get("/static/css/sportello.css").status, 200)  # assets are not counted
    restarted_with(srv, {"SPORTELLO_SERVER_RATE_LIMIT_PER_MINUTE": "30"}, check)
    assert_eq(srv.client().get("/healthz").status, 200)


def t_trusted_proxy(srv):
    """Behind a trusted proxy the limit applies per real client (the right-most
    X-Forwarded-For entry); from anyone else X-Forwarded-For is ignored."""
    def get(c, xff):
        return c.get("/healthz", headers={"X-Forwarded-For": xff}).status

    def trusted():
        c = srv.client()
        assert_eq([get(c, "10.0.0.1") for _ in range(5)], [200] * 5)
        assert_eq(get(c, "10.0.0.1"), 429)
        assert_eq(get(c, "10.0.0.2"), 200)  # another client behind the proxy
        assert_eq(get(c, "6.6.6.6, 10.0.0.1"), 429)  # a forged left entry changes nothing
        # malformed header: counted against the proxy's own address
        assert_eq([get(c, "non-un-indirizzo") for _ in range(5)], [200] * 5)
        assert_eq(get(c, "altro, non-valido"), 429)
    restarted_with(srv, {"SPORTELLO_SERVER_RATE_LIMIT_PER_MINUTE": "5",
                         "SPORTELLO_SERVER_TRUSTED_PROXIES": "127.0.0.1"}, trusted)

    def untrusted():
        c = srv.client()
        assert_eq([get(c, "10.0.0.%d" % i) for i in range(5)], [200] * 5)
        assert_eq(get(c, "10.0.0.99"), 429)  # the header is not believed
    restarted_with(srv, {"SPORTELLO_SERVER_RATE_LIMIT_PER_MINUTE": "5"}, untrusted)


def t_behind_tls(srv):
    """Behind a TLS proxy: HSTS on every answer, Secure on every cookie."""
    def check():
        c = srv.client()
        r = c.get("/accedi")
        assert_in("max-age=", r.header("Strict-Transport-Security") or "")
        assert all("; Secure" in v for v in r.headers_all("Set-Cookie")), r.headers_all("Set-Cookie")
        r = c.login("operatore")
        assert_eq(r.status, 303)
        assert all("; Secure" in v for v in r.headers_all("Set-Cookie"))
    restarted_with(srv, {"SPORTELLO_SERVER_BEHIND_TLS": "true"}, check)
    assert srv.client().get("/accedi").header("Strict-Transport-Security") is None


def t_port_busy(srv):
    """A second server on a port already in use must refuse to start."""
    r = srv.cli("serve", "--listen", "127.0.0.1:%d" % srv.port, "--no-workers", check=False)
    assert_eq(r.returncode, 1, r.stdout + r.stderr)
    assert_in("porta occupata", r.stderr)
    assert_eq(srv.client().get("/healthz").status, 200)


def t_worker(srv):
    """The job loop alone starts, works and stops cleanly on SIGTERM."""
    import subprocess
    import select
    p = subprocess.Popen([srv.binary, "worker"], env=srv.env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    # SIGTERM once it says it started (a loaded machine may take seconds)
    seen, deadline = "", time.time() + 30
    while "worker started" not in seen and time.time() < deadline:
        if select.select([p.stdout], [], [], 0.5)[0]:
            line = p.stdout.readline()
            if not line:
                break
            seen += line
    assert p.poll() is None, seen
    assert_in("worker started", seen)
    time.sleep(0.3)
    p.terminate()
    out, _ = p.communicate(timeout=15)
    assert_eq(p.returncode, 0, seen + out)


def t_db_unavailable(srv):
    """PostgreSQL refuses new connections and drops ours: 503, nothing half-written."""
    c = srv.client()
    c.login("operatore")
    form_page = c.get("/ufficio/%s/contribuenti/nuovo" % BORGO)
    token = re.search(r'name="_csrf" value="([^"]*)"', form_page.text).group(1)
    admin = srv.pg_admin_url
    import subprocess
    name = srv.pg_name
    subprocess.run(["psql", "-q", admin, "-c", "ALTER DATABASE %s ALLOW_CONNECTIONS false" % name],
                   check=True, capture_output=True)
    subprocess.run(["psql", "-q", admin, "-c",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'" % name],
                   check=True, capture_output=True)
    try:
        assert_eq(c.get("/healthz").status, 503)
        cf = make_cf(5)
        r = c.request("POST", "/ufficio/%s/contribuenti/nuovo" % BORGO,
                      body=dict(person_form(cf), _csrf=token))
        assert_eq(r.status, 503)
        assert_in("non è al momento disponibile", r.text)
    finally:
        subprocess.run(["psql", "-q", admin, "-c", "ALTER DATABASE %s ALLOW_CONNECTIONS true" % name],
                       check=True, capture_output=True)
    time.sleep(0.2)
    assert_eq(c.get("/healthz").status, 200)
    assert_eq(count(srv, "SELECT COUNT(*) FROM taxpayer WHERE fiscal_code = '%s'" % cf), 0)


def t_access_log(srv):
    """One line per request with status and duration; never the query string
    (it may hold fiscal codes), never a session id or token."""
    srv.log.flush()
    log = open(srv.log.name).read()
    assert re.search(r"access 127\.0\.0\.1 GET /healthz 200 \d+B \d+\.\d+ms", log), log[-500:]
    assert re.search(r"access 127\.0\.0\.1 POST /accedi (303|401|429) ", log)
    assert "?q=" not in log and "fiscal_code=" not in log
    assert "sp_session" not in log and "Bearer" not in log


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("http[%s]" % backend)
    srv = Server(binary, backend, pg, env={"SPORTELLO_SERVER_TIMEOUT_SECONDS": "3",
                                           "SPORTELLO_SERVER_MAX_HEADER_BYTES": "16384"})
    try:
        tests = [t_health, t_security_headers, t_404_page, t_typed_routes, t_static, t_login_wrong_password,
                 t_login_and_rotation, t_login_needs_csrf, t_login_throttled, t_logout,
                 t_anonymous_redirected, t_roles, t_tenant_isolation_by_url, t_search,
                 t_create_invalid_then_valid, t_edit, t_csrf_refused, t_oversized_body,
                 t_oversized_headers, t_slow_client, t_api_auth, t_api_crud_and_isolation,
                 t_openapi, t_config_and_help, t_behind_tls, t_rate_limit, t_trusted_proxy, t_port_busy, t_worker]
        if backend == "pg":
            tests.append(t_db_unavailable)
        tests.append(t_internal_error)
        tests.append(t_audit_chain)  # last: it tampers with the chain
        for t in tests:
            tap.run(t.__name__[2:], t, srv)
        rc = srv.stop()
        tap.run("clean_shutdown", lambda: assert_eq(rc, 0, "server exit status"))
        tap.run("access_log", t_access_log, srv)
        tap.run("no_bug_logged", lambda: assert_eq(srv.bugs(), []))
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
