#!/usr/bin/env python3
"""Cases (pratiche) against the real binary, on a database with demo data:
- the queue and the case page by role and Ente (another Ente's is a 404,
  actions need the right role and the CSRF token);
- a request taken at the counter gets a case number, a protocol number and
  a deadline; bad input re-shows the form (422) and writes nothing;
- manager assigns, operator takes, asks, closes: each message goes to the
  outbox threaded (In-Reply-To/References) and is protocolled as outgoing;
- the public follow page: right second factor gives state and outcome,
  a wrong one and a number that does not exist give the same page, and
  lookups are limited per client (429);
- the intermediary form at 22:59 (saved, protocol number shown) and at
  23:01 (clear message, nothing saved), with SPORTELLO_TEST_NOW;
- the JSON API /api/v1/cases and the CSV report.
Usage: test_cases.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import csv
import io
import re
import sys

from harness import Server, Tap, assert_eq, assert_in, assert_valid_html

BORGO = "borgo-fittizio"
VALLE = "valle-immaginaria"
Q = "/ufficio/%s/pratiche" % BORGO
# 2026-12-04 (a Friday) in Rome, winter time (UTC+1)
AT_2259 = "1796421540"
AT_2301 = "1796421660"


def count(srv, sql):
    return int(srv.sql(sql).splitlines()[0])


def login(srv, user):
    c = srv.client()
    assert_eq(c.login(user).status, 303, user)
    return c


def csrf_of(page):
    m = re.search(r'name="_csrf" value="([^"]*)"', page.text)
    assert m, "no CSRF token on the page"
    return m.group(1)


def post_from(c, page_path, action, form):
    """POSTs form to action with the token of page_path."""
    token = csrf_of(c.get(page_path))
    f = dict(form)
    f["_csrf"] = token
    return c.request("POST", action, body=f)


def t_queue_and_roles(srv):
    g = login(srv, "gestore")
    r = g.get(Q)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("Da prendere in carico", r.text)
    assert_in("Urgente", r.text)  # the demo has urgent cases, shown first
    rows = re.findall(r'<th scope="row"><a href="/ufficio/borgo-fittizio/pratiche/(\d+)"', r.text)
    assert rows, "no case in the queue"
    first = rows[0]
    assert_eq(srv.sql("SELECT priority FROM cases WHERE id = %s" % first), "urgent")
    for view in ("mie", "in-attesa", "scadute", "chiuse", "aperte"):
        r = g.get(Q + "?vista=" + view + "&categoria=rimborso&dal=2020-01-01&al=2030-12-31")
        assert_eq(r.status, 200, view)
        assert_valid_html(r)
    r = g.get(Q + "/" + first)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    for section in ("Dati generali", "Iter della pratica", "Messaggi", "Allegati",
                    "Dati di protocollazione", "Numero richiesta", "Richiesta presentata il",
                    "Protocollo"):
        assert_in(section, r.text)
    # Ente staff: their Ente only, read-only
    e = login(srv, "ente.borgo")
    assert_eq(e.get(Q).status, 200)
    assert_eq(e.get("/ufficio/%s/pratiche" % VALLE).status, 404)
    r = post_from(e, Q + "/" + first, Q + "/" + first + "/prendi", {})
    assert_eq(r.status, 403)
    # an intermediary does not see office pages; anonymous goes to sign in
    i = login(srv, "intermediario")
    assert_eq(i.get(Q).status, 403)
    r = srv.client().get(Q)
    assert_eq(r.status, 303)
    assert_in("/accedi", r.header("Location"))
    # a case of another Ente through this Ente's path is a 404
    other = srv.sql("SELECT MIN(c.id) FROM cases c JOIN ente e ON e.id = c.ente_id WHERE e.slug = '%s'"
                    % VALLE)
    assert_eq(g.get(Q + "/" + other).status, 404)


def t_counter_request(srv):
    op = login(srv, "operatore")
    before = count(srv, "SELECT COUNT(*) FROM cases")
    r = post_from(op, Q + "/nuova", Q + "/nuova",
                  {"channel": "counter", "category": "rimborso", "subject": "Rimborso allo sportello",
                   "requester_name": "Carla Neri"})
    assert_eq(r.status, 422)
    assert_in("almeno un recapito", r.text)
    assert_valid_html(r)
    assert_eq(count(srv, "SELECT COUNT(*) FROM cases"), before)
    # without the CSRF token: refused
    r = op.request("POST", Q + "/nuova", body={"subject": "x", "requester_name": "y"})
    assert_eq(r.status, 403)
    r = post_from(op, Q + "/nuova", Q + "/nuova",
                  {"channel": "phone", "category": "rimborso",
                   "subject": "Rimborso richiesto al telefono", "requester_name": "Carla Neri",
                   "requester_email": "carla.neri@example.org", "description": "Versato due volte"})
    assert_eq(r.status, 303)
    loc = r.header("Location")
    m = re.match(r"^/ufficio/borgo-fittizio/pratiche/(\d+)\?salvato=aperta$", loc)
    assert m, loc
    cid = m.group(1)
    page = op.get(loc)
    assert_in("Richiesta registrata", page.text)
    assert_in("Rimborso richiesto al telefono", page.text)
    row = srv.sql("SELECT channel, state, protocol_number, due_date FROM cases WHERE id = %s" % cid)
    channel, state, prot, due = row.split("|")
    assert_eq((channel, state), ("phone", "new"))
    assert int(prot) > 0
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", due), due
    # the acknowledgement with the protocol number is in the outbox
    ack = srv.sql("SELECT subject || '|' || body_text FROM outbox WHERE object_type = 'case' AND "
                  "object_id = %s AND auto_submitted = 'auto-generated'" % cid)
    assert_in("[Pratica ", ack)
    assert_in("%07d/" % int(prot), ack)


def t_assign_take_ask_close(srv):
    g = login(srv, "gestore")
    op = login(srv, "operatore")
    cid = srv.sql("SELECT MAX(id) FROM cases WHERE subject = 'Rimborso richiesto al telefono'")
    page = Q + "/" + cid
    op_id = srv.sql("SELECT id FROM app_user WHERE username = 'operatore'")
    # the operator cannot assign (role), the manager can
    r = post_from(op, page, page + "/assegna", {"assignee": op_id})
    assert_eq(r.status, 403)
    r = post_from(g, page, page + "/assegna", {"assignee": op_id, "reason": "Competenza rimborsi"})
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT state FROM cases WHERE id = %s" % cid), "assigned")
    # asking before taking it in charge is refused by the state machine
    r = post_from(op, page, page + "/rispondi", {"body": "Documenti?", "tipo": "richiesta"})
    assert_eq(r.status, 409)
    r = post_from(op, page, page + "/prendi", {})
    assert_eq(r.status, 303)
    r = post_from(op, page, page + "/rispondi", {"body": "", "tipo": "risposta"})
    assert_eq(r.status, 422)
    r = post_from(op, page, page + "/rispondi",
                  {"body": "Ci invii la ricevuta del versamento.", "tipo": "richiesta"})
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT state FROM cases WHERE id = %s" % cid), "waiting")
    r = post_from(op, page, page + "/prendi", {})  # resume
    assert_eq(r.status, 303)
    r = post_from(op, page, page + "/chiudi", {"outcome": "accepted", "message": "Rimborso disposto."})
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT state || '/' || outcome FROM cases WHERE id = %s" % cid),
              "closed/accepted")
    r = post_from(op, page, page + "/chiudi", {"outcome": "rejected"})
    assert_eq(r.status, 409)
    # every outgoing message in the outbox, threaded, protocolled as outgoing
    out = srv.sql("SELECT o.message_id || '|' || COALESCE(o.in_reply_to, '') || '|' || "
                  "COALESCE(o.refs, '') || '|' || o.subject FROM case_message m JOIN outbox o ON "
                  "o.id = m.outbox_id WHERE m.case_id = %s AND m.kind IN ('request_info', 'outcome') "
                  "ORDER BY m.id" % cid).splitlines()
    assert_eq(len(out), 2)
    ask, outcome = [x.split("|") for x in out]
    assert_eq(outcome[1], ask[0])  # the outcome answers the question
    assert_in(ask[0], outcome[2])
    assert_in("[Pratica ", outcome[3])
    prot_out = count(srv, "SELECT COUNT(*) FROM case_protocol p JOIN protocol_entry e ON "
                          "e.id = p.entry_id WHERE p.case_id = %s AND e.direction = 'out'" % cid)
    assert_eq(prot_out, 2)
    page_text = g.get(page).text
    assert_in("Accolta", page_text)
    assert_in("Informazioni richieste", page_text)
    assert_in("Competenza rimborsi", page_text)


def t_admin_config(srv):
    a = login(srv, "admin")
    page = "/admin/pratiche?ente=" + BORGO
    r = a.get(page)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("Regole di smistamento", r.text)
    assert_eq(login(srv, "gestore").get(page).status, 403)
    ente = "(SELECT id FROM ente WHERE slug = '%s')" % BORGO
    rules = count(srv, "SELECT COUNT(*) FROM case_rule WHERE ente_id = %s" % ente)
    nord = srv.sql("SELECT id FROM office WHERE code = 'NORD-01'")
    sud = srv.sql("SELECT id FROM office WHERE code = 'SUD-01'")
    # a rule to an office that does not serve the Ente is refused
    r = post_from(a, page, "/admin/pratiche/regole", {"ente": BORGO, "category": "sgravio",
                                                      "rule_office": sud})
    assert_eq(r.status, 422)
    r = post_from(a, page, "/admin/pratiche/uffici", {"ente": BORGO, "office_id": sud, "azione": "on"})
    assert_eq(r.status, 303)
    r = post_from(a, page, "/admin/pratiche/regole", {"ente": BORGO, "category": "sgravio",
                                                      "rule_office": sud})
    assert_eq(r.status, 303)
    assert_eq(count(srv, "SELECT COUNT(*) FROM case_rule WHERE ente_id = %s" % ente), rules + 1)
    rid = srv.sql("SELECT MAX(id) FROM case_rule WHERE ente_id = %s" % ente)
    r = post_from(a, page, "/admin/pratiche/categorie", {"ente": BORGO, "code": "sgravio",
                                                         "name": "Sgravio", "working_days": "400"})
    assert_eq(r.status, 422)
    r = post_from(a, page, "/admin/pratiche/categorie", {"ente": BORGO, "code": "sgravio",
                                                         "name": "Sgravio", "working_days": "7",
                                                         "active": "1"})
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT working_days FROM case_category WHERE ente_id = %s AND code = 'sgravio'"
                      % ente), "7")
    # a new case of that category goes to SUD-01 by the rule
    op = login(srv, "operatore")
    r = post_from(op, Q + "/nuova", Q + "/nuova",
                  {"channel": "counter", "category": "sgravio", "subject": "Sgravio allo sportello",
                   "requester_name": "Ugo Bassi", "requester_phone": "+39 333 9999999"})
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT office_id FROM cases WHERE subject = 'Sgravio allo sportello'"), sud)
    r = post_from(a, page, "/admin/pratiche/regole/elimina", {"ente": BORGO, "rule_id": rid})
    assert_eq(r.status, 303)
    r = post_from(a, page, "/admin/pratiche/uffici", {"ente": BORGO, "office_id": sud, "azione": "off"})
    assert_eq(r.status, 303)
    assert_eq(count(srv, "SELECT COUNT(*) FROM office_ente WHERE ente_id = %s" % ente), 1)
    assert nord


def follow(c, ente, number, second):
    return c.post("/pratiche/segui", {"ente": ente, "numero": number, "verifica": second})


def strip_token(text):
    return re.sub(r'name="_csrf" value="[^"]*"', "", text)


def t_follow_page(srv):
    c = srv.client()
    r = c.get("/pratiche/segui")
    assert_eq(r.status, 200)
    assert_valid_html(r)
    cid = srv.sql("SELECT MAX(id) FROM cases WHERE subject = 'Rimborso richiesto al telefono'")
    year, num = srv.sql("SELECT protocol_year || ' ' || protocol_number FROM cases WHERE id = %s"
                        % cid).split()
    prot = "%07d/%s" % (int(num), year)
    r = follow(c, BORGO, prot, "Carla.Neri@example.org")
    assert_eq(r.status, 200)
    assert_in("Chiusa", r.text)
    assert_in("Accolta", r.text)
    assert "Rimborso richiesto al telefono" not in r.text, "the follow page shows the subject"
    wrong_factor = follow(c, BORGO, prot, "altro@example.org")
    no_such = follow(c, BORGO, "9999999/%s" % year, "altro@example.org")
    assert_eq(wrong_factor.status, no_such.status)
    assert_in("Nessuna pratica corrisponde", wrong_factor.text)
    assert_eq(strip_token(wrong_factor.text).replace(prot, "N"),
              strip_token(no_such.text).replace("9999999/%s" % year, "N"))
    assert "Chiusa" not in wrong_factor.text


def t_follow_rate_limit(srv):
    c = srv.client()
    statuses = [follow(c, BORGO, "0000001/2026", "x@example.org").status for _ in range(12)]
    assert 429 in statuses, statuses
    assert_eq(statuses[0], 200)


def t_api_and_report(srv):
    token = srv.cli("api-token", "create", "--name", "pratiche", "--ente", BORGO).stdout.strip().splitlines()[-1]
    h = {"Authorization": "Bearer " + token}
    c = srv.client()
    r = c.get("/api/v1/cases?ente=%s&state=new" % BORGO, headers=h)
    assert_eq(r.status, 200)
    items = r.json()["items"]
    assert items
    for it in items:
        for k in ("id", "protocol_number", "state", "category", "priority", "office", "due_date"):
            assert k in it, (k, it)
        assert_eq(it["state"], "new")
    assert_eq(items[0]["priority"], "urgent")
    cf = srv.sql("SELECT fiscal_code FROM ente WHERE slug = '%s'" % BORGO)
    r = c.get("/api/v1/cases?ente=%s&state=closed" % cf, headers=h)  # slug or codice fiscale
    assert_eq(r.status, 200)
    assert all(it["state"] == "closed" for it in r.json()["items"])
    r = c.get("/api/v1/cases/%d?ente=%s" % (items[0]["id"], BORGO), headers=h)
    assert_eq(r.status, 200)
    assert_eq(r.json()["iter"][0]["kind"], "created")
    assert_eq(c.get("/api/v1/cases?ente=%s&state=boh" % BORGO, headers=h).status, 422)
    assert_eq(c.get("/api/v1/cases?ente=%s" % VALLE, headers=h).status, 404)
    other = srv.sql("SELECT MIN(c.id) FROM cases c JOIN ente e ON e.id = c.ente_id WHERE e.slug = '%s'"
                    % VALLE)
    assert_eq(c.get("/api/v1/cases/%s?ente=%s" % (other, BORGO), headers=h).status, 404)
    assert_eq(c.get("/api/v1/cases?ente=%s" % BORGO).status, 401)
    # the report and its CSV
    s = login(srv, "supervisore")
    r = s.get(Q + "/report")
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("Sportello Nord", r.text)
    r = s.get(Q + "/report?formato=csv")
    assert_eq(r.status, 200)
    assert_in("text/csv", r.header("Content-Type"))
    rows = list(csv.reader(io.StringIO(r.text)))
    assert_eq(rows[0][:3], ["regione", "ufficio", "da_prendere_in_carico"])
    total = sum(int(x[6]) for x in rows[1:])
    assert_eq(total, count(srv, "SELECT COUNT(*) FROM cases c JOIN ente e ON e.id = c.ente_id "
                                "WHERE e.slug = '%s' AND c.state = 'closed'" % BORGO))
    r = s.get("/ufficio/riepilogo-pratiche")
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("Sportello Sud", r.text)
    assert_eq(srv.bugs(), [])


def intermediary_form(srv, c):
    return c.get("/intermediari/%s/richiesta" % BORGO)


def t_intermediary_hours(binary, backend, pg, tap):
    srv = Server(binary, backend, pg, taxpayers=5, env={"SPORTELLO_TEST_NOW": AT_2259})
    try:
        def open_at_2259():
            c = login(srv, "intermediario")
            r = c.get("/ufficio")
            assert_eq(r.status, 303)
            assert_in("/intermediari/", r.header("Location"))
            r = intermediary_form(srv, c)
            assert_eq(r.status, 200)
            assert_valid_html(r)
            assert_in('name="act_number"', r.text)
            assert_in("studio.intermediari@example.org", r.text)  # contact filled in
            before = count(srv, "SELECT COUNT(*) FROM cases")
            r = post_from(c, "/intermediari/%s/richiesta" % BORGO, "/intermediari/%s/richiesta" % BORGO,
                          {"act_number": "COM-2026-555", "act_taxpayer_cf": "RSSMRA80A01H501U",
                           "reason": "Pagamento già effettuato", "description": "Allego F24",
                           "contact": "Dott. Ivo Intermediari", "email": "ivo@example.org",
                           "phone": "+39 02 1234567"})
            assert_eq(r.status, 200)
            assert_in("numero di protocollo", r.text)
            assert_eq(count(srv, "SELECT COUNT(*) FROM cases"), before + 1)
            row = srv.sql("SELECT channel || '|' || requester_kind || '|' || act_number || '|' || "
                          "requester_contact FROM cases ORDER BY id DESC LIMIT 1")
            assert_eq(row, "intermediary|intermediary|COM-2026-555|Dott. Ivo Intermediari")
            # the protocol number is e-mailed; the office's managers are told
            assert count(srv, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'ivo@example.org'") == 1
            assert count(srv, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'gestore@example.org'") >= 1
            # the next form has the last contact details filled in
            r = intermediary_form(srv, c)
            assert_in("Dott. Ivo Intermediari", r.text)
            assert_in("+39 02 1234567", r.text)
        tap.run("intermediary at 22:59", open_at_2259)
        srv.stop()
        srv.env["SPORTELLO_TEST_NOW"] = AT_2301
        srv.start()

        def closed_at_2301():
            c = login(srv, "intermediario")
            r = intermediary_form(srv, c)
            assert_eq(r.status, 200)
            assert_in("è chiuso", r.text)
            assert 'name="act_number"' not in r.text
            before = count(srv, "SELECT COUNT(*) FROM cases")
            token = csrf_of(r)
            r = c.request("POST", "/intermediari/%s/richiesta" % BORGO,
                          body={"_csrf": token, "act_number": "COM-2026-556",
                                "act_taxpayer_cf": "RSSMRA80A01H501U", "reason": "Tardi",
                                "contact": "Ivo", "email": "ivo@example.org"})
            assert_eq(r.status, 409)
            assert_in("nessun dato è stato salvato", r.text)
            assert_eq(count(srv, "SELECT COUNT(*) FROM cases"), before)
            assert_eq(srv.bugs(), [])
        tap.run("intermediary at 23:01", closed_at_2301)
    finally:
        srv.stop()


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("cases[%s]" % backend)
    srv = Server(binary, backend, pg, taxpayers=10, env={"SPORTELLO_CASES_FOLLOW_PER_MINUTE": "8"})
    try:
        for t in [t_queue_and_roles, t_counter_request, t_assign_take_ask_close, t_follow_page,
                  t_admin_config, t_api_and_report, t_follow_rate_limit]:
            tap.run(t.__name__[2:], t, srv)
    finally:
        srv.stop()
    t_intermediary_hours(binary, backend, pg, tap)
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
