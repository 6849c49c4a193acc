#!/usr/bin/env python3
"""The Ente's side of occupations of public land against the real binary, the
test SMTP server (scripts/start-mail-servers), Maildir intake and the pagoPA
station, time pinned with SPORTELLO_TEST_NOW:
- the canone mails (notice to the taxpayer, copy to the Ente, payment message,
  authorisation) are listed among the case's messages with their delivery
  state, and their protocol entries on the case;
- the Ente uploads the authorisation from the case page (Ente staff only,
  CSRF, multipart, PDF sniffed: a text file named .pdf is refused) and
  through POST /api/v1/cases/{id}/authorisation; it is registered in the
  protocol as incoming on the case and mailed to the taxpayer (PDF attached)
  with the Ente's payment message on the next working day, once; uploaded
  after the payment it goes at once; GET /api/v1/cases/{id} shows uploaded
  and delivered, schema-valid;
- a variation waiting for the Ente is approved or refused by the Ente
  replying APPROVATO / RIFIUTATO to the approval request (threaded by
  Message-ID); a reply from another address counts for nothing, one that
  says neither flags the case for an operator.
Usage: test_occupation_ente.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import email
import email.policy
import os
import re
import time

from harness import assert_eq, assert_in, assert_valid_html
import test_occupation as occ
from test_occupation import BORGO, FRIDAY, MONDAY, TUESDAY, ENTE_MAIL, TP_MAIL, api, jobs_run, sent, wait_sent
from test_services import multipart
import test_sanp as sanp

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PDF2 = PDF.replace(b"%%EOF", b"% seconda\n%%EOF")
ST = {}


class Ctx:
    pass


def case_json(srv, case_id):
    r = api(srv, "GET", "/api/v1/cases/%d?ente=%s" % (case_id, BORGO), template="/api/v1/cases/{id}")
    assert_eq(r.status, 200, r.text)
    return r.json()


def login(srv, user):
    c = srv.client()
    assert_eq(c.login(user).status, 303, user)
    return c


def declare(srv, place, surface):
    body = {"taxpayer": {"kind": "person", "fiscal_code": ST["cf"], "surname": "Bianchi", "given_name": "Anna",
                         "contacts": [{"channel": "email", "value": TP_MAIL, "consent": True}]},
            "place": place, "zone": "A", "use": "dehors", "kind": "temporary", "surface_m2": surface,
            "start": "2026-06-01", "end": "2026-06-10", "ente_email": ENTE_MAIL}
    r = api(srv, "POST", "/api/v1/occupations?ente=%s" % BORGO, body)
    assert_eq(r.status, 201, r.text)
    j = r.json()
    srv.cli("canone", "process", "--ente", BORGO, "--case", j["case_number"], env={"SPORTELLO_TEST_NOW": FRIDAY})
    return j["case_id"], j["case_number"]


def pay(srv, case_id, receipt):
    nav = case_json(srv, case_id)["notices"][0]["options"][0]["nav"]
    sanp.ST["cf"] = srv.sql("SELECT fiscal_code FROM ente WHERE slug = '%s'" % BORGO).strip()
    s = sanp.post(srv, "paSendRT", sanp.req_send_rt(srv, nav, receipt))
    sanp.ok(s, "paSendRTRes")


def upload_api(srv, case_id, data, name="concessione.pdf", ctype="application/pdf"):
    return srv.client().request(
        "POST", "/api/v1/cases/%d/authorisation?ente=%s&filename=%s" % (case_id, BORGO, name), body=data,
        headers={"Authorization": "Bearer " + occ.ST["token"], "Content-Type": ctype})


def t_setup(srv, ctx):
    occ.ST["token"] = occ.token(srv)
    rules = os.path.join(srv.tmp, "rules.csv")
    with open(rules, "w") as f:
        f.write("rule,code,value\nannual_tariff,,30.00\ndaily_tariff,,0.60\nzone,A,1.2\nuse,dehors,0.8\n"
                "revenue,,CUP\n")
    srv.cli("canone", "import", "--ente", BORGO, rules)
    ST["cf"] = occ.cf_person()
    ST["case"], ST["number"] = declare(srv, "Piazza del Mercato 3", "12,35")
    before = len(sent(ctx))
    jobs_run(srv, FRIDAY)
    jobs_run(srv, FRIDAY)
    wait_sent(ctx, before + 2)
    ST["mails"] = len(sent(ctx))


def t_messages_on_case(srv, ctx):
    # the notice and the Ente's copy are among the case's messages, sent
    op = login(srv, "operatore")
    page = "/ufficio/%s/pratiche/%d" % (BORGO, ST["case"])
    deadline = time.time() + 20
    while True:
        r = op.get(page)
        msgs = r.text.split('id="messaggi"', 1)[1].split('id="allegati"', 1)[0]
        if msgs.count("Stato: inviato") >= 2 or time.time() > deadline:
            break
        jobs_run(srv, FRIDAY)
        time.sleep(0.5)
    assert_valid_html(r)
    assert_in("Avviso di pagamento del canone unico", msgs)
    assert_in("Copia avviso canone unico", msgs)
    assert_in(TP_MAIL, msgs)
    assert_in(ENTE_MAIL, msgs)
    assert msgs.count("Stato: inviato") >= 2, msgs[:3000]
    # and their outgoing protocol entries on the case
    prot = r.text.split('id="protocollo"', 1)[1]
    assert prot.count("In uscita") >= 2, prot[:2000]
    n = int(srv.sql("SELECT COUNT(*) FROM case_message WHERE case_id = %d AND direction = 'out' AND outbox_id IS "
                    "NOT NULL" % ST["case"]))
    assert n >= 2, n


def t_upload_page(srv, ctx):
    page = "/ufficio/%s/pratiche/%d" % (BORGO, ST["case"])
    action = page + "/autorizzazione"
    e = login(srv, "ente.borgo")
    r = e.get(page)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("L&#39;Ente non ha ancora caricato", r.text.replace("'", "&#39;"))
    assert_in('enctype="multipart/form-data"', r.text)
    # an operator of the concessionaire may not upload it
    op = login(srv, "operatore")
    r = multipart(op, action, {}, [("file", "concessione.pdf", PDF)], token_from=page)
    assert_eq(r.status, 403)
    # without the CSRF token: refused
    r = e.request("POST", action, body=b"--x--\r\n", headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert_eq(r.status, 403)
    # a text file named .pdf: refused by its content, nothing written
    entries = int(srv.sql("SELECT COUNT(*) FROM protocol_entry"))
    r = multipart(e, action, {}, [("file", "concessione.pdf", b"non sono un pdf\n" * 20)], token_from=page)
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in("deve essere un documento PDF", r.text)
    r = multipart(e, action, {}, [("file", "", b"")], token_from=page)
    assert_eq(r.status, 422)
    assert_eq(int(srv.sql("SELECT COUNT(*) FROM protocol_entry")), entries)
    assert_eq(int(srv.sql("SELECT COUNT(*) FROM occupation_authorisation")), 0)
    # the PDF: stored, protocolled as incoming on the case
    r = multipart(e, action, {}, [("file", "Concessione 2026.pdf", PDF)], token_from=page)
    assert_eq(r.status, 303, r.text)
    r = e.get(page)
    assert_valid_html(r)
    assert_in("Caricata il", r.text)
    assert_in("Non ancora", r.text)
    prot = r.text.split('id="protocollo"', 1)[1]
    assert_in("In entrata", prot)
    assert_in("Autorizzazione all&#39;occupazione", prot.replace("'", "&#39;"))
    d = e.get(page + "/autorizzazione.pdf")
    assert_eq((d.status, d.body), (200, PDF))
    assert_eq(d.header("Content-Disposition"), 'attachment; filename="Concessione 2026.pdf"')
    j = case_json(srv, ST["case"])
    a = j["occupation"]["authorisation"]
    assert_eq((a["size"], a["delivered_at"]), (len(PDF), None))
    assert re.match(r"^\d{7}/2026$", a["protocol_number"]), a
    # replaced before delivery
    r = multipart(e, action, {}, [("file", "concessione.pdf", PDF2)], token_from=page)
    assert_eq(r.status, 303, r.text)
    assert_eq(case_json(srv, ST["case"])["occupation"]["authorisation"]["size"], len(PDF2))
    assert_eq(e.get(page + "/autorizzazione.pdf").body, PDF2)
    assert_eq(int(srv.sql("SELECT COUNT(*) FROM occupation_authorisation")), 1)


def t_delivered_after_payment(srv, ctx):
    pay(srv, ST["case"], "occe000000000000000000000000001")
    jobs_run(srv, FRIDAY)
    jobs_run(srv, MONDAY)
    time.sleep(1)
    assert_eq(len(sent(ctx)), ST["mails"])
    assert_eq(case_json(srv, ST["case"])["occupation"]["authorisation"]["delivered_at"], None)
    # Tuesday morning: the Ente is told and the taxpayer gets the authorisation
    jobs_run(srv, TUESDAY)
    jobs_run(srv, TUESDAY)
    got = wait_sent(ctx, ST["mails"] + 2)[ST["mails"]:]
    to_tp = [m for m in got if m["To"] == TP_MAIL]
    to_ente = [m for m in got if m["To"] == ENTE_MAIL]
    assert_eq((len(to_tp), len(to_ente)), (1, 1), [(m["To"], m["Subject"]) for m in got])
    assert_in("Autorizzazione all'occupazione", to_tp[0]["Subject"])
    pdfs = [p for p in to_tp[0].iter_attachments() if p.get_content_type() == "application/pdf"]
    assert_eq([p.get_content() for p in pdfs], [PDF2])
    assert_in("inviata al contribuente", to_ente[0].get_body(("plain",)).get_content())
    # once: running the jobs again sends nothing more
    jobs_run(srv, TUESDAY)
    time.sleep(1)
    assert_eq(len(sent(ctx)), ST["mails"] + 2)
    ST["mails"] += 2
    a = case_json(srv, ST["case"])["occupation"]["authorisation"]
    assert a["delivered_at"], a
    assert_eq(int(srv.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'occupation.authorisation_delivered'")), 1)
    # shown on the case page; no more uploads
    e = login(srv, "ente.borgo")
    page = "/ufficio/%s/pratiche/%d" % (BORGO, ST["case"])
    r = e.get(page)
    assert_valid_html(r)
    assert_in("Consegnata al contribuente", r.text)
    assert "Carica l&#39;autorizzazione" not in r.text and "Carica l'autorizzazione" not in r.text
    msgs = r.text.split('id="messaggi"', 1)[1].split('id="allegati"', 1)[0]
    assert_in("Autorizzazione all&#39;occupazione", msgs.replace("'", "&#39;"))
    assert_in("Pagamento ricevuto", msgs)
    r = upload_api(srv, ST["case"], PDF)
    assert_eq(r.status, 409, r.text)


def t_upload_api_after_payment(srv, ctx):
    case_id, number = declare(srv, "Via Garibaldi 8", "4")
    jobs_run(srv, FRIDAY)
    jobs_run(srv, FRIDAY)
    wait_sent(ctx, ST["mails"] + 2)
    ST["mails"] += 2
    pay(srv, case_id, "occe000000000000000000000000002")
    # not a PDF, wrong content type: refused
    r = upload_api(srv, case_id, b"GIF89a" + b"\0" * 100)
    assert_eq(r.status, 422, r.text)
    assert_eq([f["field"] for f in r.json()["error"]["fields"]], ["file"])
    assert_eq(upload_api(srv, case_id, PDF, ctype="text/plain").status, 422)
    assert_eq(upload_api(srv, 999999, PDF).status, 404)
    # the token is scoped to its Ente
    r = srv.client().request(
        "POST", "/api/v1/cases/%d/authorisation?ente=valle-immaginaria" % case_id, body=PDF,
        headers={"Authorization": "Bearer " + occ.ST["token"], "Content-Type": "application/pdf"})
    assert_eq(r.status, 404, r.text)
    assert_eq(int(srv.sql("SELECT COUNT(*) FROM occupation_authorisation WHERE case_id = %d" % case_id)), 0)
    # a scanned authorisation of 3 MB: above the server's default body
    # limit (1 MB), within the upload route's own
    big = PDF.replace(b"%%EOF", b"%" + b"s" * (3 * 1024 * 1024) + b"\n%%EOF")
    r = upload_api(srv, case_id, big)
    assert_eq(r.status, 201, r.text)
    assert_eq(int(srv.sql("SELECT size FROM occupation_authorisation WHERE case_id = %d" % case_id)), len(big))
    errs = occ.check_response(occ.DOC, "/api/v1/cases/{id}/authorisation", "post", r.status, r.json())
    assert not errs, errs
    # paid already: delivered at once
    assert r.json()["delivered_at"], r.json()
    jobs_run(srv, FRIDAY)
    got = wait_subject(ctx, ST["mails"], "Autorizzazione")
    assert_eq([m["To"] for m in got if "Autorizzazione" in m["Subject"]], [TP_MAIL], outbox_state(srv))
    ST["mails"] = len(sent(ctx))


def write_reply(md, name, frm, subject, body, in_reply_to):
    msg = email.message.EmailMessage()
    msg["From"] = frm
    msg["To"] = "istanze@comune-borgo.example"
    msg["Subject"] = subject
    msg["Date"] = "Fri, 03 Apr 2026 11:00:00 +0200"
    msg["Message-ID"] = "<%s@ente.example>" % name
    msg["In-Reply-To"] = in_reply_to
    msg["References"] = in_reply_to
    msg.set_content(body)
    tmp = os.path.join(md, "tmp", name)
    with open(tmp, "wb") as f:
        f.write(msg.as_bytes())
    os.rename(tmp, os.path.join(md, "new", name))


def wait_subject(ctx, start, needle, timeout=20):
    """The messages sent after the first `start`, once one of them has
    needle in its subject (others, such as a case's acknowledgement, may
    arrive first), or whatever arrived by the timeout."""
    deadline = time.time() + timeout
    while True:
        got = sent(ctx)[start:]
        if any(needle in m["Subject"] for m in got) or time.time() > deadline:
            return got
        time.sleep(0.2)


def variation(srv, ctx, what, surface):
    number, case_id = occ.new_case(srv, "osp_variazione", "Variazione %s" % what)
    srv.cli("canone", "variation", "--ente", BORGO, "--case", number, "--of", ST["number"], "--what", what,
            "--zone", "A", "--use", "dehors", "--kind", "temporary", "--surface", surface, "--start",
            "2026-06-01", "--end", "2026-06-10", env={"SPORTELLO_TEST_NOW": FRIDAY})
    before = len(sent(ctx))
    jobs_run(srv, FRIDAY)
    got = wait_subject(ctx, before, "Variazione da approvare")
    req = [m for m in got if m["To"] == ENTE_MAIL and "Variazione da approvare" in m["Subject"]]
    assert_eq(len(req), 1, [(m["To"], m["Subject"]) for m in got])
    ST["mails"] = len(sent(ctx))
    return case_id, number, req[0]


def next_now():
    # two minutes later each time, after every time used before: the
    # periodic canone.replies runs again a minute after its last run
    ST["tick"] = ST.get("tick", 0) + 1
    return str(int(TUESDAY) + 3600 + 120 * ST["tick"])


def ingest(srv):
    now = next_now()
    srv.cli("mail", "ingest", "--ente", BORGO, "--mailbox", "istanze", "--maildir", ST["md"],
            env={"SPORTELLO_TEST_NOW": now})
    jobs_run(srv, now)


def t_reply_approves(srv, ctx):
    md = os.path.join(srv.tmp, "istanze")
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(md, sub), exist_ok=True)
    ST["md"] = md
    srv.cli("mail", "mailbox", "add", "--ente", BORGO, "--name", "istanze", "--kind", "maildir", "--url", md,
            "--address", "istanze@comune-borgo.example")
    case_id, number, req = variation(srv, ctx, "surface", "20")
    subject = "Re: " + req["Subject"]
    # from another address: counts for nothing
    write_reply(md, "r1", TP_MAIL, subject, "APPROVATO\n", req["Message-ID"])
    ingest(srv)
    j = case_json(srv, case_id)
    assert_eq((j["occupation"]["ente_decision"], j["occupation"]["ente_reply_to_check"]), ("pending", False))
    # from the Ente, saying neither word: flagged for an operator
    write_reply(md, "r2", "Ufficio SUAP <%s>" % ENTE_MAIL, subject, "Ci sentiamo domani.\n\n> testo\n",
                req["Message-ID"])
    ingest(srv)
    j = case_json(srv, case_id)
    assert_eq((j["occupation"]["ente_decision"], j["occupation"]["ente_reply_to_check"]), ("pending", True))
    assert_eq(j["notices"], [])
    op = login(srv, "operatore")
    r = op.get("/ufficio/%s/pratiche/%d" % (BORGO, case_id))
    assert_valid_html(r)
    assert_in("Risposta dell&#39;Ente da verificare", r.text.replace("'", "&#39;"))
    assert_in("Ci sentiamo domani.", r.text)
    # not a reply to the approval request (no threading): nothing
    write_reply(md, "r3", ENTE_MAIL, "Approvato", "Approvato\n", "<altro@ente.example>")
    ingest(srv)
    assert_eq(case_json(srv, case_id)["occupation"]["ente_decision"], "pending")
    # the Ente's reply: approved, the difference billed
    # 0,60 × 1,2 × 0,8 × 20 m² × 10 days = 115,20 € less 74,88 € = 40,32 €
    write_reply(md, "r4", ENTE_MAIL.upper(), subject, "  approvato.\nCordiali saluti\n", req["Message-ID"])
    ingest(srv)
    j = case_json(srv, case_id)
    assert_eq((j["occupation"]["ente_decision"], j["occupation"]["ente_reply_to_check"]), ("approved", False))
    assert_eq([n["amount_cents"] for n in j["notices"]], [4032])
    rows = srv.sql("SELECT outcome FROM occupation_reply WHERE occupation_id = %d ORDER BY id"
                   % j["occupation"]["id"]).split()
    # the case's own request, r1 (another address), r2 (neither word), r4;
    # r3 answers nothing of ours: not on this case
    assert_eq(rows, ["ignored", "ignored", "unclear", "approved"])
    assert_eq(int(srv.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'occupation.variation_decide' AND "
                          "object_id = %d" % j["occupation"]["id"])), 1)
    # read once: running the job again decides nothing more
    jobs_run(srv, next_now())
    assert_eq(int(srv.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'occupation.decision_by_mail'")), 4)


def outbox_state(srv):
    """The last outbox rows and their jobs, for a failure message."""
    rows = srv.sql("SELECT o.id, o.subject, o.state, o.attempts, o.last_error, j.state, j.run_at, j.last_error "
                   "FROM outbox o LEFT JOIN job j ON j.kind = 'mail.deliver' AND j.payload LIKE "
                   "'%\"outbox_id\":' || o.id || '}%' ORDER BY o.id DESC LIMIT 4")
    return " / ".join(rows.split("\n"))


def t_reply_refuses(srv, ctx):
    case_id, number, req = variation(srv, ctx, "nature", "15")
    write_reply(ST["md"], "r5", ENTE_MAIL, "RIFIUTATO: " + req["Subject"], "\n", req["Message-ID"])
    ingest(srv)
    j = case_json(srv, case_id)
    assert_eq((j["occupation"]["ente_decision"], j["notices"]), ("refused", []))
    got = wait_subject(ctx, ST["mails"], "Variazione non approvata")
    assert_in("Variazione non approvata", " ".join(m["Subject"] for m in got), outbox_state(srv))


def t_audit(srv, ctx):
    assert_eq(srv.cli("audit", "verify").returncode, 0)
    assert_eq(srv.bugs(), [])


def main():
    tests = [t_setup, t_messages_on_case, t_upload_page, t_delivered_after_payment, t_upload_api_after_payment,
             t_reply_approves, t_reply_refuses, t_audit]
    only = os.environ.get("ONLY")
    if only:  # t_setup always: the others build on it
        tests = [t for t in tests if t is t_setup or t.__name__ in only.split(",")]
    occ.run_with_mail("occupation-ente", tests)

if __name__ == "__main__":
    main()
