#!/usr/bin/env python3
"""Online services (issue 9, seed 004) against the real binary, on demo data:
- `sportello service list|import`: the demo services, a bad document refused
  with the path of the bad element and nothing written, the Ente by its
  codice fiscale;
- the administrator's catalogue: a bad document shown again as typed with
  its problems (422), a good one saved (version bumped);
- a service's form filled in at the office for a citizen: a wrong field
  shows its message next to it with everything typed kept, a draft keeps
  the values and the attachment (type sniffed: a fake PDF is refused),
  the submission opens a case with request number and protocol number;
- the operator's page of the application, take in charge, request for
  integration, the applicant's integration, approval: four protocolled
  PDFs in the service's fascicolo of the year, mails in the outbox;
- another Ente's application is a 404;
- the citizen's portal: the services for anyone, the form after signing in,
  a conditional field required once it applies, the application page, an
  integration answered from the portal; another citizen gets a 404.
Usage: test_services.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import os
import re
import sys
import uuid

from harness import Server, Tap, assert_eq, assert_in, assert_valid_html

BORGO = "borgo-fittizio"
VALLE = "valle-immaginaria"
APPLY = "/ufficio/%s/servizi/passo_carrabile/domanda" % BORGO
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
STATE = {}


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


def multipart(c, path, fields, files=(), token_from=None):
    """POSTs multipart/form-data with the page's CSRF token."""
    token = csrf_of(c.get(token_from or path))
    b = "----sp" + uuid.uuid4().hex
    out = []
    for k, v in list(fields.items()) + [("_csrf", token)]:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                    % (b, k, v)).encode())
    for name, filename, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                    "Content-Type: application/pdf\r\n\r\n" % (b, name, filename)).encode()
                   + data + b"\r\n")
    out.append(("--%s--\r\n" % b).encode())
    return c.request("POST", path, body=b"".join(out),
                     headers={"Content-Type": "multipart/form-data; boundary=%s" % b})


GOOD = {"nome": "Mario Rossi", "codice_fiscale": "rssmra80a01h501u", "email": "mario.rossi@example.org",
        "titolo": "proprietario", "indirizzo": "Via Roma 1", "larghezza_cm": "350",
        "data_inizio": "2026-03-01", "lavori": "no",
        "_bollo": "seriale", "_bollo_seriale": "01234567890123", "_bollo_data": "2026-01-15"}


def t_cli(srv):
    r = srv.cli("service", "list", "--ente", BORGO)
    assert_in("passo_carrabile", r.stdout)
    assert_in("4 servizi.", r.stdout)
    cf = srv.sql("SELECT fiscal_code FROM ente WHERE slug = '%s'" % BORGO)
    r = srv.cli("service", "list", "--ente", cf)
    assert_in("rimborso_tributi", r.stdout)
    bad = os.path.join(srv.tmp, "bad.json")
    with open(bad, "w") as f:
        f.write('{"code": "nuovo", "name": "N", "category": "rimborso", "sections": [{"title": "S",'
                ' "fields": [{"name": "a", "type": "colore", "label": "A"}]}]}')
    before = count(srv, "SELECT COUNT(*) FROM service")
    r = srv.cli("service", "import", "--ente", BORGO, bad, check=False)
    assert_eq(r.returncode, 1)
    assert_in("sections[0].fields[0].type: tipo sconosciuto", r.stderr)
    assert_eq(count(srv, "SELECT COUNT(*) FROM service"), before)
    # a payment on a revenue the Ente does not have: refused, nothing written
    with open(bad, "w") as f:
        f.write('{"code": "nuovo2", "name": "N", "category": "rimborso", "payment": {"mode": '
                '"deferred", "revenue": "NOPE", "amount": "5,00"}, "sections": [{"title": "S",'
                ' "fields": [{"name": "a", "type": "text", "label": "A"}]}]}')
    r = srv.cli("service", "import", "--ente", BORGO, bad, check=False)
    assert_eq(r.returncode, 1)
    assert_in("payment.revenue: \"NOPE\" non è un'entrata dell'Ente", r.stderr)
    assert_eq(count(srv, "SELECT COUNT(*) FROM service"), before)
    good = os.path.join(srv.tmp, "good.json")
    with open(good, "w") as f:
        f.write('{"code": "nuovo", "name": "Servizio nuovo", "category": "informazioni", "sections":'
                ' [{"title": "S", "fields": [{"name": "a", "type": "text", "label": "A"}]}]}')
    r = srv.cli("service", "import", "--ente", VALLE, good)
    assert_in("Servizio creato: nuovo", r.stdout)


def t_admin(srv):
    a = login(srv, "admin")
    base = "/admin/enti/%s/servizi" % BORGO
    r = a.get(base)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("Richiesta di passo carrabile", r.text)
    typed = '{"code": "x1", "name": "X", "category": "rimborso", "sections": []}'
    r = a.post(base, {"definition": typed})
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in("sections: serve un elenco", r.text)
    assert_in("&quot;x1&quot;", r.text)  # what was typed is kept
    sid = srv.sql("SELECT id FROM service WHERE code = 'rimborso_tributi' AND ente_id = "
                  "(SELECT id FROM ente WHERE slug = '%s')" % BORGO)
    page = a.get("%s/%s" % (base, sid))
    assert_eq(page.status, 200)
    assert_valid_html(page)
    assert_in("Anteprima del modulo", page.text)
    doc = re.search(r'<textarea id="f-definition"[^>]*>(.*?)</textarea>', page.text, re.S).group(1)
    doc = doc.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    doc = doc.replace("&#39;", "'").replace("Rimborso di tributi", "Rimborso tributi")
    r = a.post("%s/%s" % (base, sid), {"definition": doc})
    assert_eq(r.status, 303, r.text[:2000])
    assert_eq(srv.sql("SELECT version FROM service WHERE id = %s" % sid), "2")
    r = a.post("%s/%s" % (base, sid), {"definition": doc.replace('"rimborso_tributi"', '"altro"')})
    assert_eq(r.status, 422)
    assert_in("il codice del servizio non si cambia", r.text)


def t_wrong_field_and_draft(srv):
    c = login(srv, "operatore")
    r = c.get(APPLY)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in('enctype="multipart/form-data"', r.text)
    wrong = dict(GOOD, larghezza_cm="50")
    r = multipart(c, APPLY, wrong, [("planimetria", "pianta.pdf", PDF)])
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in("Scrivi un numero tra 100 e 2000.", r.text)
    assert_in('aria-describedby="f-larghezza_cm-error', r.text)
    assert_in('value="Mario Rossi"', r.text)
    assert_in("File già allegato: pianta.pdf", r.text)  # kept with a draft
    m = re.search(r'action="/ufficio/%s/servizi/passo_carrabile/domanda\?bozza=(\d+)"' % BORGO, r.text)
    assert m, "the refused submission was kept as a draft"
    draft = m.group(1)
    # a fake PDF (not a PDF by its content) is refused, the draft unchanged
    r = multipart(c, APPLY + "?bozza=" + draft, dict(wrong, _bozza="1"),
                  [("planimetria", "finto.pdf", b"MZ\x90\x00 not a pdf")])
    assert_eq(r.status, 422)
    assert_in("Tipo di file non ammesso", r.text)
    r = multipart(c, APPLY + "?bozza=" + draft, dict(wrong, _bozza="1"))
    assert_eq(r.status, 303)
    r = c.get(APPLY + "?bozza=" + draft)
    assert_eq(r.status, 200)
    assert_in('value="50"', r.text)
    assert_in("File già allegato: pianta.pdf", r.text)
    # someone else's draft is not there
    g = login(srv, "gestore")
    assert_eq(g.get(APPLY + "?bozza=" + draft).status, 404)
    STATE["draft"] = draft
    STATE["c"] = c


def t_submit(srv):
    c = STATE["c"]
    draft = STATE["draft"]
    cases_before = count(srv, "SELECT COUNT(*) FROM cases")
    r = multipart(c, APPLY + "?bozza=" + draft, GOOD)
    assert_eq(r.status, 303, r.text[:3000])
    loc = r.header("Location")
    app_id = re.search(r"/domande/(\d+)", loc).group(1)
    assert_eq(app_id, draft)
    assert_eq(count(srv, "SELECT COUNT(*) FROM cases"), cases_before + 1)
    row = srv.sql("SELECT x.state, c.channel, c.category_code, c.protocol_number IS NOT NULL, "
                  "c.requester_fiscal_code FROM service_application x JOIN cases c ON c.id = x.case_id "
                  "WHERE x.id = %s" % app_id)
    assert_in("submitted", row)
    assert_in("RSSMRA80A01H501U", row)
    page = c.get(loc)
    assert_eq(page.status, 200)
    assert_valid_html(page)
    for s in ["Numero richiesta", "Richiesta presentata il", "Protocollo", "Modulo compilato",
              "pianta.pdf", "Imposta di bollo", "Pagamenti", "Iter della pratica",
              "01234567890123", "15/01/2026"]:
        assert_in(s, page.text)
    assert "Appuntamenti" not in page.text  # this service has none
    STATE["app"] = app_id


def t_work(srv):
    c = STATE["c"]
    app = STATE["app"]
    base = "/ufficio/%s/domande/%s" % (BORGO, app)
    r = c.post(base + "/prendi", {}, csrf_from=base)
    assert_eq(r.status, 303)
    r = c.post(base + "/integrazione", {"body": ""}, csrf_from=base)
    assert_eq(r.status, 422)
    r = c.post(base + "/integrazione", {"body": "Allegare la visura catastale."}, csrf_from=base)
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT c.state FROM cases c JOIN service_application x ON x.case_id = c.id "
                      "WHERE x.id = %s" % app), "waiting")
    r = multipart(c, base + "/risposta", {"text": "Ecco la visura."},
                  [("allegato", "visura.pdf", PDF)], token_from=base)
    assert_eq(r.status, 303, r.text[:2000])
    # a deferred payment: a bad amount is refused with nothing issued, then
    # the notice goes to the applicant with its PDF
    r = c.post(base + "/pagamento", {"amount": "0"}, csrf_from=base)
    assert_eq(r.status, 422)
    assert_in("Indica un importo in euro tra 0,01", r.text)
    assert_eq(count(srv, "SELECT COUNT(*) FROM service_payment WHERE application_id = %s" % app), 0)
    assert_in('value="25,00"', c.get(base).text)  # the service's amount, proposed
    r = c.post(base + "/pagamento", {"amount": "25,00"}, csrf_from=base)
    assert_eq(r.status, 303, r.text[:2000])
    assert_eq(srv.sql("SELECT p.kind, p.amount_cents, a.charged_cents, a.residual_cents FROM "
                      "service_payment p JOIN debt_act a ON a.id = p.act_id "
                      "WHERE p.application_id = %s" % app).split("|"),
              ["deferred", "2500", "2500", "2500"])
    att = count(srv, "SELECT COUNT(*) FROM outbox o JOIN outbox_attachment t ON t.outbox_id = o.id "
                     "WHERE o.to_addr = 'mario.rossi@example.org' AND t.name LIKE 'avviso-%.pdf'")
    assert_eq(att, 1)
    page = c.get(base)
    assert_valid_html(page)
    assert_in("Da pagare", page.text)
    assert_in("Pagamento in attesa", page.text)
    # approval waits for the payment unless overridden with a reason (audited)
    r = c.post(base + "/esito", {"outcome": "accepted", "message": "Concessione rilasciata."},
               csrf_from=base)
    assert_eq(r.status, 422)
    assert_in("Pagamento in attesa", r.text)
    assert_eq(srv.sql("SELECT c.state FROM cases c JOIN service_application x ON x.case_id = c.id "
                      "WHERE x.id = %s" % app), "in_progress")
    r = c.post(base + "/esito", {"outcome": "accepted", "message": "Concessione rilasciata.",
                                 "override": "Pagamento verificato allo sportello."}, csrf_from=base)
    assert_eq(r.status, 303)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'service.payment_override' "
                         "AND object_id = %s" % app), 1)
    page = c.get(base)
    assert_valid_html(page)
    assert_in("Accolta", page.text)
    # five protocolled PDFs in the service's fascicolo of the year (the four
    # steps and the payment request with its notice)
    year = srv.sql("SELECT c.year FROM cases c JOIN service_application x ON x.case_id = c.id "
                   "WHERE x.id = %s" % app)
    pdfs = count(srv, "SELECT COUNT(*) FROM protocol_entry e JOIN protocol_fascicolo f "
                      "ON f.id = e.fascicolo_id JOIN protocol_document d ON d.entry_id = e.id "
                      "WHERE f.category = 'servizio:passo_carrabile' AND f.year = %s "
                      "AND d.role = 'primary' AND d.mime = 'application/pdf'" % year)
    assert_eq(pdfs, 5)
    dirs = srv.sql("SELECT e.direction FROM protocol_entry e JOIN protocol_fascicolo f "
                   "ON f.id = e.fascicolo_id WHERE f.category = 'servizio:passo_carrabile' "
                   "ORDER BY e.number")
    assert_eq(dirs.split(), ["in", "out", "in", "out", "out"])
    link = re.search(r'href="(/ufficio/[^"]+/documenti/[0-9a-f]{64})"', page.text).group(1)
    doc = c.get(link)
    assert_eq(doc.status, 200)
    assert doc.body.startswith(b"%PDF-"), doc.body[:20]
    mails = count(srv, "SELECT COUNT(*) FROM outbox WHERE to_addr = 'mario.rossi@example.org'")
    assert mails >= 3, mails  # acknowledgement, integration request, outcome
    assert_eq(srv.bugs(), [])


def t_other_ente(srv):
    app = STATE["app"]
    c = login(srv, "admin")
    assert_eq(c.get("/ufficio/%s/domande/%s" % (VALLE, app)).status, 404)
    assert_eq(c.get("/ufficio/%s/domande/%s" % (BORGO, app)).status, 200)


CITIZEN_CF = "VRDLGU75B12F205B"


def citizen(srv, cf):
    c = srv.client()
    P = "/enti/%s" % BORGO
    r = c.request("POST", P + "/accedi/demo",
                  body={"_csrf": csrf_of(c.get(P + "/accedi")), "codice_fiscale": cf})
    assert_eq(r.status, 303)
    return c


def t_citizen(srv):
    P = "/enti/%s" % BORGO
    anon = srv.client()
    r = anon.get(P + "/servizi")
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("Compila la domanda: Richiesta di passo carrabile", r.text)
    r = anon.get(P + "/servizi/passo_carrabile/domanda")
    assert_eq(r.status, 303)  # to the sign-in
    c = citizen(srv, CITIZEN_CF)
    form = P + "/servizi/passo_carrabile/domanda"
    r = c.get(form)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    values = dict(GOOD, nome="Luigi Verdi", codice_fiscale=CITIZEN_CF, email="luigi.verdi@example.org",
                  lavori="si", _bollo_seriale="01234567890124")
    r = multipart(c, form, values, [("planimetria", "pianta.pdf", PDF)])
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in('id="f-impresa-error"', r.text)  # required once lavori = si
    assert_in('value="Luigi Verdi"', r.text)
    draft = re.search(r'domanda\?bozza=(\d+)"', r.text).group(1)
    r = multipart(c, form + "?bozza=" + draft, dict(values, impresa="Edil Verdi"))
    assert_eq(r.status, 303, r.text[:2000])
    loc = r.header("Location").split("?")[0]
    assert_in("/area-personale/domande/", loc)
    app = re.search(r"/domande/(\d+)", loc).group(1)
    page = c.get(loc)
    assert_eq(page.status, 200)
    assert_valid_html(page)
    assert_in("Numero richiesta", page.text)
    mine = c.get(P + "/area-personale/domande")
    assert_valid_html(mine)
    assert_in("Richiesta di passo carrabile", mine.text)
    # another citizen does not see it
    other = citizen(srv, "BNCGNN70A41H501V")
    assert_eq(other.get(loc).status, 404)
    # the operator asks for an integration; the citizen answers from the portal
    op = login(srv, "operatore")
    base = "/ufficio/%s/domande/%s" % (BORGO, app)
    assert_eq(op.post(base + "/prendi", {}, csrf_from=base).status, 303)
    assert_eq(op.post(base + "/integrazione", {"body": "Serve la visura."}, csrf_from=base).status, 303)
    page = c.get(loc)
    assert_in("Serve la visura.", page.text)
    assert_valid_html(page)
    r = multipart(c, loc + "/risposta", {"text": "Allego la visura."},
                  [("allegato", "visura.pdf", PDF)], token_from=loc)
    assert_eq(r.status, 303, r.text[:2000])
    assert_eq(srv.sql("SELECT c.state FROM cases c JOIN service_application x ON x.case_id = c.id "
                      "WHERE x.id = %s" % app), "in_progress")
    assert_eq(other.post(loc + "/risposta", {"text": "x"}, csrf_from=P + "/servizi").status, 404)
    assert_eq(srv.bugs(), [])


def t_advance(srv):
    """A payment in advance: the act and its notice at submission, shown to
    the citizen (pay, PDF) and to the operator; approval after payment."""
    P = "/enti/%s" % BORGO
    c = citizen(srv, CITIZEN_CF)
    form = P + "/servizi/occupazione_temporanea/domanda"
    values = {"nome": "Luigi Verdi", "codice_fiscale": CITIZEN_CF, "email": "luigi.verdi@example.org",
              "uso": "trasloco", "luogo": "Via Roma 2", "superficie_m2": "12", "dal": "2026-05-04",
              "al": "2026-05-05", "canone": "45,50", "_bollo": "pagopa"}
    r = multipart(c, form, values)
    assert_eq(r.status, 303, r.text[:3000])
    loc = r.header("Location").split("?")[0]
    app = re.search(r"/domande/(\d+)", loc).group(1)
    rows = srv.sql("SELECT p.kind, p.amount_cents, a.charged_cents, a.act_type, t.fiscal_code, r.code "
                   "FROM service_payment p JOIN debt_act a ON a.id = p.act_id JOIN taxpayer t ON "
                   "t.id = a.taxpayer_id JOIN debt_revenue r ON r.id = a.revenue_id "
                   "WHERE p.application_id = %s ORDER BY p.kind" % app).splitlines()
    assert_eq([r.split("|") for r in rows],
              [["advance", "4550", "4550", "bonario", CITIZEN_CF, "CUP"],
               ["stamp", "1600", "1600", "bonario", CITIZEN_CF, "BOLLO"]])
    act = srv.sql("SELECT act_id FROM service_payment WHERE application_id = %s AND kind = 'advance'"
                  % app)
    stamp_act = srv.sql("SELECT act_id FROM service_payment WHERE application_id = %s AND "
                        "kind = 'stamp'" % app)
    page = c.get(loc)
    assert_valid_html(page)
    assert_in("45,50 euro", page.text)
    assert_in("16,00 euro", page.text)
    assert_in("Pagamento pagoPA di 16,00 euro", page.text)
    assert_in("Da pagare", page.text)
    assert_in("Paga con pagoPA", page.text)
    pdf = re.search(r'href="([^"]*/avviso/pdf\?[^"]*)"', page.text).group(1).replace("&amp;", "&")
    doc = c.get(pdf)
    assert_eq(doc.status, 200)
    assert doc.body.startswith(b"%PDF-"), doc.body[:20]
    op = login(srv, "operatore")
    base = "/ufficio/%s/domande/%s" % (BORGO, app)
    assert_eq(op.post(base + "/prendi", {}, csrf_from=base).status, 303)
    page = op.get(base)
    assert_valid_html(page)
    assert_in("Pagamento in attesa", page.text)
    assert_in("Da pagare", page.text)
    r = op.post(base + "/esito", {"outcome": "accepted"}, csrf_from=base)
    assert_eq(r.status, 422)
    # paid (here at the counter): the ledger says so, the approval goes through
    srv.cli("act", "pay", "--ente", BORGO, "--act", act, "--channel", "counter", "--amount", "45,50",
            "--reference", "SVC-%s" % app)
    assert_eq(op.post(base + "/esito", {"outcome": "accepted"}, csrf_from=base).status, 422)  # the stamp
    srv.cli("act", "pay", "--ente", BORGO, "--act", stamp_act, "--channel", "counter", "--amount",
            "16,00", "--reference", "SVC-B-%s" % app)
    page = op.get(base)
    assert_in("Pagato", page.text)
    assert "Pagamento in attesa" not in page.text
    assert_eq(op.post(base + "/esito", {"outcome": "accepted"}, csrf_from=base).status, 303)
    assert_in("Pagato", c.get(loc).text)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'service.payment_override' "
                         "AND object_id = %s" % app), 0)
    assert_eq(srv.bugs(), [])


def t_stamp(srv):
    """The stamp duty declared by serial: 14 digits, a date not in the
    future, a serial used once per Ente; nothing submitted when refused."""
    c = login(srv, "operatore")
    form = "/ufficio/%s/servizi/certificato_destinazione/domanda" % BORGO
    page = c.get(form)
    assert_valid_html(page)
    assert_in('value="pagopa"', page.text)  # the Ente has the stamp-duty revenue
    values = {"nome": "Anna Bianchi", "codice_fiscale": "BNCGNN70A41H501V", "email": "anna@example.org",
              "foglio": "12", "particelle": "101, 102", "uso": "compravendita",
              "_bollo": "seriale", "_bollo_seriale": "0123456789012", "_bollo_data": "2099-01-01"}
    cases = count(srv, "SELECT COUNT(*) FROM cases")
    r = multipart(c, form, values)
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in("è di 14 cifre", r.text)
    assert_in("non può essere futura", r.text)
    assert_in('id="f-_bollo_seriale-error"', r.text)
    assert_in('value="0123456789012"', r.text)  # kept as typed
    draft = re.search(r'domanda\?bozza=(\d+)"', r.text).group(1)
    # the serial of the first application (t_submit): used already
    r = multipart(c, form + "?bozza=" + draft, dict(values, _bollo_seriale="01234567890123",
                                                    _bollo_data="2026-01-15"))
    assert_eq(r.status, 422)
    assert_in("già stata usata", r.text)
    assert_eq(count(srv, "SELECT COUNT(*) FROM cases"), cases)
    r = multipart(c, form + "?bozza=" + draft, dict(values, _bollo_seriale="98765432109876",
                                                    _bollo_data="2026-01-15"))
    assert_eq(r.status, 303, r.text[:2000])
    app = re.search(r"/domande/(\d+)", r.header("Location")).group(1)
    assert_eq(srv.sql("SELECT mode, serial, issue_date FROM service_stamp WHERE application_id = %s"
                      % app).split("|"), ["serial", "98765432109876", "2026-01-15"])
    # the advance payment of this service (fixed 30,00 on DIRITTI)
    assert_eq(srv.sql("SELECT p.kind, p.amount_cents FROM service_payment p WHERE p.application_id = %s"
                      % app).split("|"), ["advance", "3000"])
    page = c.get(r.header("Location"))
    assert_in("98765432109876", page.text)
    assert_in("30,00 euro", page.text)
    assert_eq(srv.bugs(), [])


def t_mail_answer(srv):
    """The applicant answers a request for integration by replying to its
    mail: intake joins it to the case, the job records the integration step
    with its PDF protocolled incoming in the service's fascicolo, once."""
    c = login(srv, "operatore")
    values = dict(GOOD, nome="Carla Neri", email="carla.neri@example.org",
                  _bollo_seriale="55555555555555")
    r = multipart(c, APPLY, values, [("planimetria", "pianta.pdf", PDF)])
    assert_eq(r.status, 303, r.text[:2000])
    app = re.search(r"/domande/(\d+)", r.header("Location")).group(1)
    base = "/ufficio/%s/domande/%s" % (BORGO, app)
    assert_eq(c.post(base + "/prendi", {}, csrf_from=base).status, 303)
    assert_eq(c.post(base + "/integrazione", {"body": "Serve la visura catastale."},
                     csrf_from=base).status, 303)
    asked = srv.sql("SELECT message_id FROM outbox WHERE to_addr = 'carla.neri@example.org' "
                    "ORDER BY id DESC LIMIT 1")
    md = os.path.join(srv.tmp, "istanze")
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(md, sub), exist_ok=True)
    srv.cli("mail", "mailbox", "add", "--ente", BORGO, "--name", "istanze", "--kind", "maildir",
            "--url", md, "--address", "istanze@comune-borgo.example")
    eml = ("From: Carla Neri <carla.neri@example.org>\r\nTo: istanze@comune-borgo.example\r\n"
           "Subject: Re: richiesta di integrazione\r\nMessage-ID: <svc-answer-1@example.org>\r\n"
           "In-Reply-To: %s\r\nReferences: %s\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "Buongiorno, la visura è stata richiesta al catasto: la invio appena arriva.\r\n"
           % (asked, asked))
    with open(os.path.join(md, "tmp", "answer.eml"), "w") as f:
        f.write(eml)
    os.rename(os.path.join(md, "tmp", "answer.eml"), os.path.join(md, "new", "answer.eml"))
    srv.cli("mail", "ingest", "--ente", BORGO, "--mailbox", "istanze", "--maildir", md)
    case = srv.sql("SELECT case_id FROM service_application WHERE id = %s" % app)
    assert_eq(srv.sql("SELECT case_id FROM mail_message WHERE message_id = '<svc-answer-1@example.org>'"),
              case)
    assert_eq(srv.sql("SELECT state FROM cases WHERE id = %s" % case), "in_progress")
    step = ("SELECT COUNT(*) FROM protocol_entry e JOIN protocol_fascicolo f ON f.id = e.fascicolo_id "
            "JOIN protocol_document d ON d.entry_id = e.id JOIN case_protocol p ON p.entry_id = e.id "
            "WHERE f.category = 'servizio:passo_carrabile' AND e.direction = 'in' AND p.case_id = %s "
            "AND d.role = 'primary' AND d.mime = 'application/pdf' AND d.name = 'integrazione.pdf'"
            % case)
    assert_eq(count(srv, step), 0)  # not before the job runs
    srv.cli("jobs", "run")
    assert_eq(count(srv, step), 1)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'service.answer' AND "
                         "object_id = %s" % app), 1)
    # the job again (a retry after a crash): nothing twice
    srv.sql("UPDATE job SET state = 'queued', run_at = 0 WHERE kind = 'case.mail_reply'")
    srv.cli("jobs", "run")
    assert_eq(count(srv, step), 1)
    page = c.get(base)
    assert_valid_html(page)
    assert_in("integrazione.pdf", page.text)
    assert_in("la visura è stata richiesta", page.text)
    assert_eq(srv.bugs(), [])


def t_appointment(srv):
    """A service with appointment: the citizen books a slot of the service's
    agenda topic from the application page (the agenda's own booking), the
    operator sees it, a rejection cancels it."""
    import datetime
    P = "/enti/%s" % BORGO
    counter = srv.sql("SELECT c.id FROM agenda_counter c JOIN ente e ON e.id = c.ente_id "
                      "WHERE e.slug = '%s' ORDER BY c.id LIMIT 1" % BORGO)
    srv.cli("agenda", "open", "--ente", BORGO, "--counter", counter, "--topic", "occupazione_temporanea",
            "--slot-minutes", "30", "--capacity", "1", "--topic-name", "Occupazione temporanea")
    c = citizen(srv, CITIZEN_CF)
    values = {"nome": "Luigi Verdi", "codice_fiscale": CITIZEN_CF, "email": "luigi.verdi@example.org",
              "uso": "evento", "luogo": "Piazza Roma", "superficie_m2": "30", "dal": "2026-06-01",
              "al": "2026-06-02", "canone": "20,00", "_bollo": "seriale",
              "_bollo_seriale": "77777777777777", "_bollo_data": "2026-01-15"}
    r = multipart(c, P + "/servizi/occupazione_temporanea/domanda", values)
    assert_eq(r.status, 303, r.text[:2000])
    loc = r.header("Location").split("?")[0]
    app = re.search(r"/domande/(\d+)", loc).group(1)
    y, w, _ = (datetime.date.today() + datetime.timedelta(days=7)).isocalendar()
    page = c.get("%s?settimana=%d-W%02d" % (loc, y, w))
    assert_eq(page.status, 200)
    assert_valid_html(page)
    assert_in("Prenota l&#39;appuntamento", page.text)
    slot = re.search(r'name="start" id="[^"]*" value="([^"]+)"', page.text).group(1)
    # without the consent: refused, nothing booked
    r = c.post(loc + "/appuntamento", {"start": slot}, csrf_from=loc)
    assert_eq(r.status, 422)
    assert_eq(srv.sql("SELECT COALESCE(appointment_id, 0) FROM service_application WHERE id = %s" % app), "0")
    other = citizen(srv, "BNCGNN70A41H501V")
    assert_eq(other.post(loc + "/appuntamento", {"start": slot, "privacy_consent": "1"},
                         csrf_from=P + "/servizi").status, 404)
    r = c.post(loc + "/appuntamento", {"start": slot, "privacy_consent": "1"}, csrf_from=loc)
    assert_eq(r.status, 303, r.text[:2000])
    row = srv.sql("SELECT a.state, a.fiscal_code, t.code FROM service_application x JOIN "
                  "agenda_appointment a ON a.id = x.appointment_id JOIN agenda_topic t ON "
                  "t.id = a.topic_id WHERE x.id = %s" % app)
    assert_eq(row.split("|"), ["booked", CITIZEN_CF, "occupazione_temporanea"])
    page = c.get(loc)
    assert_valid_html(page)
    assert_in("Data e ora", page.text)
    r = c.post(loc + "/appuntamento", {"start": slot, "privacy_consent": "1"}, csrf_from=loc)
    assert_eq(r.status, 409)
    assert_in("Hai già un appuntamento", r.text)
    op = login(srv, "operatore")
    base = "/ufficio/%s/domande/%s" % (BORGO, app)
    page = op.get(base)
    assert_valid_html(page)
    assert_in("Sportello tributi", page.text)
    assert_eq(op.post(base + "/prendi", {}, csrf_from=base).status, 303)
    assert_eq(op.post(base + "/esito", {"outcome": "rejected", "message": "Area non disponibile."},
                      csrf_from=base).status, 303)
    assert_eq(srv.sql("SELECT a.state FROM service_application x JOIN agenda_appointment a ON "
                      "a.id = x.appointment_id WHERE x.id = %s" % app), "cancelled")
    assert_eq(srv.bugs(), [])


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("services[%s]" % backend)
    srv = Server(binary, backend, pg, taxpayers=10, env={"SPORTELLO_PORTAL_DEMO_LOGIN": "true"})
    try:
        for t in [t_cli, t_admin, t_wrong_field_and_draft, t_submit, t_work, t_other_ente, t_citizen, t_advance,
                  t_stamp, t_mail_answer, t_appointment]:
            tap.run(t.__name__[2:], t, srv)
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
