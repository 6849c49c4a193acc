#!/usr/bin/env python3
"""Debt positions in the office, against the real binary on demo data:
- search by NAV (with and without spaces), IUV, fiscal code, act number;
  a bad year re-shows the form (422);
- the act page: data, lines, options with the grouped NAV, the notice PDF
  of each option (pdftotext carries the NAV), movements, receipts, history;
- operations with CSRF forms: payment from another channel (a repeated
  reference is refused and books nothing), partial relief with reason,
  installment plan, cancellation, overpayment then compensation and refund;
  bad input gets the Italian message next to its field and writes nothing;
- the review queue of unmatched pagoPA receipts: assign to a notice (booked
  once), mark refunded; the reconciliation page with a flow's outcome;
- roles and tenant isolation: another Ente's act, option, receipt or flow
  through this Ente's path is a 404, Ente staff cannot post (403).
Usage: test_acts.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import html as htmllib
import json
import os
import re
import shutil
import subprocess
import sys
import time

from harness import SOURCE, Server, Tap, assert_eq, assert_in, assert_valid_html
import test_sanp as sanp
from oaschema import check_request, check_response

BORGO = "borgo-fittizio"
VALLE = "valle-immaginaria"
P = "/ufficio/%s/posizioni" % BORGO
FONTS = os.path.join(SOURCE, "web", "node_modules", "bootstrap-italia", "src", "fonts")
ST = {}


def count(srv, sql):
    return int(srv.sql(sql).splitlines()[0])


def login(srv, user):
    c = srv.client()
    assert_eq(c.login(user).status, 303, user)
    return c


def field_error(page, name):
    m = re.search(r'id="f-%s-error"[^>]*>([^<]*)<' % re.escape(name), page.text)
    return htmllib.unescape(m.group(1)) if m else None


def act_of(srv, description):
    return int(srv.sql("SELECT id FROM debt_act WHERE description = '%s'" % description))


def options(srv, act):
    rows = srv.sql("SELECT id, installment, nav, iuv, state FROM debt_option WHERE act_id = %d ORDER BY id" % act)
    return [r.split("|") for r in rows.splitlines()]


def movements(srv, act=None):
    return count(srv, "SELECT COUNT(*) FROM debt_movement" + (" WHERE act_id = %d" % act if act else ""))


def act_post(c, act, action, form):
    return c.post("%s/%d/%s" % (P, act, action), form, csrf_from="%s/%d" % (P, act))


def t_setup(srv):
    ST["cf"], ST["ente_id"] = srv.sql("SELECT fiscal_code, id FROM ente WHERE slug = '%s'" % BORGO).split("|")
    ST["ente_id"] = int(ST["ente_id"])
    sanp.ST.update({"cf": ST["cf"], "ente_id": ST["ente_id"]})
    tp = srv.sql("SELECT fiscal_code FROM taxpayer WHERE ente_id = %d AND length(fiscal_code) = 16 "
                 "ORDER BY id LIMIT 1" % ST["ente_id"])
    ST["tp"] = tp
    rows = ["ente_cf,taxpayer_cf,taxpayer_name,revenue,year,description,amount,due_date,installments"]
    for name, amount, inst in [("Atto ricerca", "300.00", "2"), ("Atto pagamento", "200.00", ""),
                               ("Atto sgravio", "250.00", ""), ("Atto rate", "400.00", ""),
                               ("Atto annullo", "120.00", ""), ("Atto credito", "150.00", ""),
                               ("Atto debito", "180.00", ""), ("Atto ricevuta", "90.00", ""),
                               ("Api sgravio", "300.00", ""), ("Api credito", "100.00", ""),
                               ("Api debito", "100.00", ""), ("Cli atto", "200.00", ""),
                               ("Cli debito", "50.00", "")]:
        rows.append("%s,%s,,IMU,2026,%s,%s,2026-12-16,%s" % (BORGO, tp, name, amount, inst))
    path = os.path.join(srv.tmp, "acts.csv")
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    r = srv.cli("positions", "import", path)
    assert_eq(r.stdout.count(",ok,"), 15, r.stdout + r.stderr)  # 1 + 2 installments, then 12 singles


def t_search(srv):
    c = login(srv, "operatore")
    act = act_of(srv, "Atto ricerca")
    opts = options(srv, act)
    assert_eq(len(opts), 3)
    nav, iuv = opts[1][2], opts[1][3]
    grouped = " ".join(nav[i:i + 4] for i in range(0, 18, 4))
    number = srv.sql("SELECT number FROM debt_act WHERE id = %d" % act)
    link = 'href="%s/%d"' % (P, act)
    for q in (nav, grouped, iuv, ST["tp"], ST["tp"].lower(), number):
        r = c.get(P + "?q=" + q.replace(" ", "+"))
        assert_eq(r.status, 200, q)
        assert_valid_html(r)
        assert_in(link, r.text, q)
    r = c.get(P + "?q=" + number + "&anno=2026")
    assert_in(link, r.text)
    r = c.get(P + "?q=" + number + "&anno=2019")
    assert link not in r.text, "year filter"
    assert_in("Nessuna posizione trovata", r.text)
    r = c.get(P + "?q=301999999999999999")
    assert_in("Nessuna posizione trovata", r.text)
    r = c.get(P + "?anno=26x")
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in("anno di quattro cifre", field_error(r, "anno") or "")
    r = c.get(P)
    assert_eq(r.status, 200)
    assert_in(link, r.text)
    # the office navigation and home lead here
    assert_in('href="%s"' % P, c.get("/ufficio/%s" % BORGO).text)


def t_act_page(srv):
    c = login(srv, "ente.borgo")  # read-only staff of the Ente see it, without operations
    act = act_of(srv, "Atto ricerca")
    r = c.get("%s/%d" % (P, act))
    assert_eq(r.status, 200)
    assert_valid_html(r)
    page = htmllib.unescape(r.text)
    for s in ("Voci dell'atto", "Modalità di pagamento e avvisi", "Movimenti contabili", "Ricevute pagoPA",
              "Storico dello stato", "Soluzione unica", "Rata 2", "300,00 €", "Addebito", ST["tp"]):
        assert_in(s, page)
    nav = options(srv, act)[0][2]
    assert_in(" ".join(nav[i:i + 4] for i in range(0, 18, 4)), r.text)
    assert "Registra il pagamento" not in r.text, "operations shown to read-only staff"
    links = re.findall(r'href="(%s/%d/avviso/\d+)"' % (re.escape(P), act), r.text)
    assert_eq(len(links), 3, r.text[-3000:])
    for i, href in enumerate(links):
        pdf = c.get(href)
        assert_eq(pdf.status, 200, href)
        assert_eq(pdf.header("Content-Type"), "application/pdf")
        assert pdf.body.startswith(b"%PDF-"), "not a PDF"
        if shutil.which("pdftotext"):
            p = os.path.join(srv.tmp, "avviso-%d.pdf" % i)
            with open(p, "wb") as f:
                f.write(pdf.body)
            text = subprocess.run(["pdftotext", "-layout", p, "-"], capture_output=True, text=True).stdout
            o = options(srv, act)[i]
            assert_in(o[2], re.sub(r"\s+", "", text), "NAV in the PDF")
    # another Ente's act and an option of another act are 404
    other = int(srv.sql("SELECT MIN(a.id) FROM debt_act a JOIN ente e ON e.id = a.ente_id WHERE e.slug = '%s'"
                        % VALLE))
    assert_eq(c.get("%s/%d" % (P, other)).status, 404)
    other_opt = srv.sql("SELECT MIN(id) FROM debt_option WHERE act_id = %d" % other)
    assert_eq(c.get("%s/%d/avviso/%s" % (P, act, other_opt)).status, 404)
    assert_eq(c.get("%s/%d/avviso/%s" % (P, other, other_opt)).status, 404)
    assert_eq(c.get("/ufficio/%s/posizioni/%d" % (VALLE, act)).status, 404)  # not enabled on Valle


def t_payment(srv):
    c = login(srv, "operatore")
    act = act_of(srv, "Atto pagamento")
    before = movements(srv)
    # bad input: every field's message, nothing written
    r = act_post(c, act, "pagamento", {"pag_canale": "assegno", "pag_importo": "12,345", "pag_data": "2026-13-01"})
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in("canale", field_error(r, "pag_canale") or "")
    assert_in("importo", field_error(r, "pag_importo") or "")
    assert_in("data valida", field_error(r, "pag_data") or "")
    assert_in("riferimento", field_error(r, "pag_riferimento") or "")
    assert_eq(movements(srv), before)
    # without the CSRF token: refused
    r = c.request("POST", "%s/%d/pagamento" % (P, act),
                  body={"pag_canale": "f24", "pag_importo": "10,00", "pag_riferimento": "X"})
    assert_eq(r.status, 403)
    # Ente staff cannot record operations
    e = login(srv, "ente.borgo")
    r = act_post(e, act, "pagamento", {"pag_canale": "f24", "pag_importo": "10,00", "pag_riferimento": "X"})
    assert_eq(r.status, 403)
    assert_eq(movements(srv), before)
    form = {"pag_canale": "bank_transfer", "pag_importo": "120,50", "pag_data": "2026-11-20",
            "pag_riferimento": "CRO-ACTS-0001", "pag_evidenza": "Estratto conto n. 11"}
    r = act_post(c, act, "pagamento", form)
    assert_eq(r.status, 303, r.text[:500])
    assert_in("salvato=pagamento", r.header("Location"))
    row = srv.sql("SELECT kind, amount_cents, channel, reference, value_date FROM debt_movement WHERE act_id = %d "
                  "AND kind = 'payment'" % act)
    assert_eq(row, "payment|12050|bank_transfer|CRO-ACTS-0001|2026-11-20")
    assert_eq(srv.sql("SELECT state, residual_cents FROM debt_act WHERE id = %d" % act), "partly_paid|7950")
    page = c.get(r.header("Location"))
    assert_in("Pagamento registrato", page.text)
    assert_in("CRO-ACTS-0001", page.text)
    assert_in("Bonifico bancario", page.text)
    # the same reference again: refused (409), booked once
    r = act_post(c, act, "pagamento", form)
    assert_eq(r.status, 409)
    assert_in("già stato registrato", field_error(r, "pag_riferimento") or "")
    assert_eq(movements(srv), before + 1)
    # another Ente's act through this path: 404, nothing written
    other = int(srv.sql("SELECT MIN(a.id) FROM debt_act a JOIN ente e ON e.id = a.ente_id WHERE e.slug = '%s' "
                        "AND a.residual_cents > 0" % VALLE))
    r = c.post("%s/%d/pagamento" % (P, other), dict(form, pag_riferimento="CRO-OTHER"),
               csrf_from="%s/%d" % (P, act))
    assert_eq(r.status, 404)
    assert_eq(movements(srv), before + 1)


def t_relief_plan_cancel(srv):
    c = login(srv, "gestore")
    act = act_of(srv, "Atto sgravio")
    before = movements(srv)
    r = act_post(c, act, "sgravio", {"sgravio_importo": "50,00"})
    assert_eq(r.status, 422)
    assert_in("motivo", field_error(r, "sgravio_motivo") or "")
    r = act_post(c, act, "sgravio", {"sgravio_importo": "900,00", "sgravio_motivo": "Troppo"})
    assert_eq(r.status, 422)
    assert_in("supera", field_error(r, "sgravio_importo") or "")
    assert_eq(movements(srv), before)
    old_nav = options(srv, act)[0][2]
    r = act_post(c, act, "sgravio", {"sgravio_importo": "50,00", "sgravio_motivo": "Rendita catastale rettificata"})
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT residual_cents FROM debt_act WHERE id = %d" % act), "20000")
    opts = options(srv, act)
    assert_eq(opts[0][4], "replaced")
    assert opts[-1][2] != old_nav and opts[-1][4] == "open", opts
    page = c.get("%s/%d" % (P, act))
    assert_in("Rendita catastale rettificata", page.text)
    assert_in("Avvisi precedenti", page.text)
    # plan: outside the bracket (400 euros: 2..4 installments), then 3
    act = act_of(srv, "Atto rate")
    r = act_post(c, act, "rateizza", {"rate_numero": "10", "rate_prima_scadenza": "2027-01-31"})
    assert_eq(r.status, 422)
    assert_in("da 2 a 4 rate", field_error(r, "rate_numero") or "")
    r = act_post(c, act, "rateizza", {"rate_numero": "3"})
    assert_eq(r.status, 422)
    assert_in("prima rata", field_error(r, "rate_prima_scadenza") or "")
    assert_eq(len(options(srv, act)), 1)
    r = act_post(c, act, "rateizza", {"rate_numero": "3", "rate_prima_scadenza": "2027-01-31"})
    assert_eq(r.status, 303)
    opts = [o for o in options(srv, act) if o[4] == "open"]
    assert_eq([o[1] for o in opts], ["1", "2", "3"])
    assert_eq(srv.sql("SELECT state FROM debt_act WHERE id = %d" % act), "installments")
    assert_eq(srv.sql("SELECT due_date FROM debt_option WHERE act_id = %d AND installment = 3 AND state = 'open'"
                      % act), "2027-03-31")
    # cancel: reason required, then cancelled
    act = act_of(srv, "Atto annullo")
    r = act_post(c, act, "annulla", {"annulla_motivo": "  "})
    assert_eq(r.status, 422)
    assert_eq(srv.sql("SELECT state FROM debt_act WHERE id = %d" % act), "issued")
    r = act_post(c, act, "annulla", {"annulla_motivo": "Emesso per errore"})
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT state FROM debt_act WHERE id = %d" % act), "cancelled")
    # nothing left to cancel: 409 with the reason on the page
    r = act_post(c, act, "annulla", {"annulla_motivo": "Di nuovo"})
    assert_eq(r.status, 409)
    assert_eq(count(srv, "SELECT COUNT(*) FROM debt_event WHERE act_id = %d AND kind = 'cancelled'" % act), 1)


def t_credit(srv):
    c = login(srv, "operatore")
    credit, debt = act_of(srv, "Atto credito"), act_of(srv, "Atto debito")
    audits = "SELECT COUNT(*) FROM audit_log WHERE action IN ('debt.compensation', 'debt.compensation.credit', " \
             "'debt.refund')"
    audits_before = count(srv, audits)
    # overpaid by 50,00 at the counter
    r = act_post(c, credit, "pagamento", {"pag_canale": "counter", "pag_importo": "200,00",
                                          "pag_riferimento": "SPORTELLO-77"})
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT state, residual_cents FROM debt_act WHERE id = %d" % credit), "paid|-5000")
    page = c.get("%s/%d" % (P, credit))
    assert_in("Credito da rimborsare", page.text)
    assert_in("Compensazione", page.text)
    # compensate 30,00 onto the other act of the same taxpayer
    r = act_post(c, credit, "compensazione", {"comp_altro": str(debt), "comp_importo": "80,00"})
    assert_eq(r.status, 409)  # more than the credit
    r = act_post(c, credit, "compensazione", {"comp_altro": str(debt), "comp_importo": "30,00",
                                              "comp_nota": "Compensazione d'ufficio"})
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT residual_cents FROM debt_act WHERE id = %d" % debt), "15000")
    assert_eq(srv.sql("SELECT residual_cents FROM debt_act WHERE id = %d" % credit), "-2000")
    # refund: more than the credit is refused, then the rest
    r = act_post(c, credit, "rimborso", {"rimborso_importo": "25,00"})
    assert_eq(r.status, 422)
    assert_in("supera il credito", field_error(r, "rimborso_importo") or "")
    r = act_post(c, credit, "rimborso", {"rimborso_importo": "20,00", "rimborso_riferimento": "CRO-RIMB-1"})
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT residual_cents FROM debt_act WHERE id = %d" % credit), "0")
    kinds = srv.sql("SELECT kind FROM debt_movement WHERE act_id = %d ORDER BY id" % credit).split()
    assert_eq(kinds, ["charge", "payment", "credit_used", "refund"])
    assert_eq(count(srv, audits), audits_before + 3)


def t_review(srv):
    c = login(srv, "operatore")
    q = "/ufficio/%s/ricevute-da-verificare" % BORGO
    unknown = sanp.nav_check("3019999999999998")
    x = sanp.req_send_rt(srv, unknown, "actsreview0000000000000000000001",
                         transfers=[(1, 9000, ST["cf"], "IT60X0542811101000000123456")])
    sanp.ok(sanp.post(srv, "paSendRT", x), "paSendRTRes")
    x = sanp.req_send_rt(srv, unknown, "actsreview0000000000000000000002",
                         transfers=[(1, 1000, ST["cf"], "IT60X0542811101000000123456")])
    sanp.ok(sanp.post(srv, "paSendRT", x), "paSendRTRes")
    r1 = int(srv.sql("SELECT id FROM pagopa_receipt WHERE receipt_id = 'actsreview0000000000000000000001'"))
    r2 = int(srv.sql("SELECT id FROM pagopa_receipt WHERE receipt_id = 'actsreview0000000000000000000002'"))
    page = c.get(q)
    assert_eq(page.status, 200)
    assert_valid_html(page)
    assert_in("actsreview0000000000000000000001", page.text)
    assert_in("Avviso sconosciuto", page.text)
    before = movements(srv)
    r = c.post("%s/%d/abbina" % (q, r1), {"avviso_%d" % r1: "301999999999999999"}, csrf_from=q)
    assert_eq(r.status, 422)
    assert_in("Nessun avviso", field_error(r, "avviso_%d" % r1) or "")
    assert_eq(movements(srv), before)
    act = act_of(srv, "Atto ricevuta")
    nav = options(srv, act)[0][2]
    grouped = " ".join(nav[i:i + 4] for i in range(0, 18, 4))
    r = c.post("%s/%d/abbina" % (q, r1), {"avviso_%d" % r1: grouped, "nota_%d" % r1: "verificato"}, csrf_from=q)
    assert_eq(r.status, 303, r.text[:400])
    assert_eq(movements(srv), before + 1)
    assert_eq(srv.sql("SELECT state FROM debt_act WHERE id = %d" % act), "paid")
    assert_in("actsreview0000000000000000000001", c.get("%s/%d" % (P, act)).text)  # on the act's receipts
    r = c.post("%s/%d/abbina" % (q, r1), {"avviso_%d" % r1: grouped}, csrf_from=q)
    assert_eq(r.status, 409)
    assert_eq(movements(srv), before + 1)
    r = c.post("%s/%d/rimborsata" % (q, r2), {"rimborso_%d" % r2: ""}, csrf_from=q)
    assert_eq(r.status, 422)
    assert_in("estremi", field_error(r, "rimborso_%d" % r2) or "")
    r = c.post("%s/%d/rimborsata" % (q, r2), {"rimborso_%d" % r2: "CRO 555 del 30/11"}, csrf_from=q)
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT state FROM pagopa_receipt WHERE id = %d" % r2), "refunded")
    page = c.get(q)
    assert "actsreview000000000000000000000" not in page.text, "still in the queue"
    # Ente staff read the queue but cannot resolve
    e = login(srv, "ente.borgo")
    assert_eq(e.post("%s/%d/rimborsata" % (q, r2), {"rimborso_%d" % r2: "x"}, csrf_from=q).status, 403)


def t_reconciliation(srv):
    c = login(srv, "gestore")
    q = "/ufficio/%s/riconciliazione" % BORGO
    r = c.get(q)
    assert_eq(r.status, 200)
    assert_in("Nessun flusso importato", r.text)
    rid = "actsreview0000000000000000000001"
    iuv = srv.sql("SELECT iuv FROM pagopa_receipt WHERE receipt_id = '%s'" % rid)
    ghost = (sanp.nav_check("3019999999999997")[1:], "ghostacts000000000000000000000", 1, 777)
    sanp.FDR_DATE = "2026-10-02"
    p = sanp.write(srv, "fa.xml", sanp.flow("2026-10-02ACTS-0001", "2026-10-03T01:00:00",
                                             [(iuv, rid, 1, 9001), ghost]))
    r = srv.cli("fdr", "import", p, check=False)
    assert_eq(r.returncode, 0, r.stdout + r.stderr)
    r = c.get(q)
    assert_valid_html(r)
    assert_in("2026-10-02ACTS-0001", r.text)
    flow = int(srv.sql("SELECT id FROM pagopa_fdr WHERE flow_id = '2026-10-02ACTS-0001'"))
    r = c.get("%s/%d" % (q, flow))
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("ghostacts000000000000000000000", r.text)
    assert_in("Ricevuta mancante", r.text)
    assert_in("Importo diverso", r.text)
    assert_in("90,01 €", r.text)
    assert_in("90,00 €", r.text)
    assert_eq(c.get("/ufficio/%s/riconciliazione/%d" % (VALLE, flow)).status, 404)
    v = login(srv, "admin")  # admin sees Valle, where the flow is not
    assert_eq(v.get("/ufficio/%s/riconciliazione/%d" % (VALLE, flow)).status, 404)


def api_call(srv, doc, method, template, path, body=None, status=None, tok=None):
    h = {"Authorization": "Bearer " + (tok or ST["token"]), "Content-Type": "application/json"}
    if body is not None:
        errs = check_request(doc, template, method, body)
        assert status in (400, 422) or not errs, "request not in the schema: %s" % errs[:5]
    r = srv.client().request(method, path, body=json.dumps(body) if body is not None else None, headers=h,
                             raw=True)
    if status is not None:
        assert_eq(r.status, status, "%s %s: %s" % (method, path, r.text[:400]))
    errs = check_response(doc, template, method, r.status, r.json())
    assert not errs, "\n".join(errs[:10])
    return r


def t_api(srv):
    ST["token"] = max(re.findall(r"[A-Za-z0-9_-]{40,}", srv.cli("api-token", "create", "--name", "acts",
                                                                "--ente", BORGO).stdout), key=len)
    doc = srv.client().get("/api/v1/openapi.json").json()
    t = "/api/v1/positions/{id}/"
    q = "?ente=" + ST["cf"]  # the codice fiscale names the Ente too
    act = act_of(srv, "Api sgravio")
    before = movements(srv)
    r = api_call(srv, doc, "POST", t + "relieve", "/api/v1/positions/%d/relieve%s" % (act, q),
                 {"amount_cents": -5}, 422)
    assert_eq(sorted(f["field"] for f in r.json()["error"]["fields"]), ["amount_cents", "reason"])
    r = api_call(srv, doc, "POST", t + "payments", "/api/v1/positions/%d/payments%s" % (act, q),
                 {"channel": "cash", "value_date": "2026-13-30"}, 422)
    assert_eq(sorted(f["field"] for f in r.json()["error"]["fields"]),
              ["amount_cents", "channel", "reference", "value_date"])
    r = srv.client().request("POST", "/api/v1/positions/%d/relieve%s" % (act, q), body="[1]",
                             headers={"Authorization": "Bearer " + ST["token"], "Content-Type": "application/json"},
                             raw=True)
    assert_eq(r.status, 400)
    assert_eq(movements(srv), before)
    r = api_call(srv, doc, "POST", t + "relieve", "/api/v1/positions/%d/relieve%s" % (act, q),
                 {"amount_cents": 10000, "reason": "Riduzione per inagibilità"}, 200)
    assert_eq(r.json()["residual_cents"], 20000)
    r = api_call(srv, doc, "POST", t + "plan", "/api/v1/positions/%d/plan%s" % (act, q),
                 {"installments": 9, "first_due": "2027-01-15"}, 422)
    assert_eq(r.json()["error"]["code"], "installments_out_of_range")
    r = api_call(srv, doc, "POST", t + "plan", "/api/v1/positions/%d/plan%s" % (act, q),
                 {"installments": 2, "first_due": "2027-01-15"}, 200)
    p = r.json()
    assert_eq(p["state"], "installments")
    opt = [o for o in p["options"] if o["state"] == "open"][0]
    body = {"channel": "f24", "amount_cents": opt["amount_cents"], "reference": "F24-API-1",
            "value_date": "2026-11-25", "evidence": "Quietanza F24", "nav": opt["nav"]}
    r = api_call(srv, doc, "POST", t + "payments", "/api/v1/positions/%d/payments%s" % (act, q), body, 200)
    assert_eq(r.json()["residual_cents"], 20000 - opt["amount_cents"])
    r = api_call(srv, doc, "POST", t + "payments", "/api/v1/positions/%d/payments%s" % (act, q), body, 409)
    assert_eq(movements(srv), before + 2)  # the relief, the payment once (the plan books nothing)
    # credit, compensation, refund
    credit, debt = act_of(srv, "Api credito"), act_of(srv, "Api debito")
    api_call(srv, doc, "POST", t + "payments", "/api/v1/positions/%d/payments%s" % (credit, q),
             {"channel": "bank_transfer", "amount_cents": 13000, "reference": "CRO-API-2"}, 200)
    r = api_call(srv, doc, "POST", t + "compensations", "/api/v1/positions/%d/compensations%s" % (credit, q),
                 {"debt_position_id": debt, "amount_cents": 5000}, 409)
    r = api_call(srv, doc, "POST", t + "compensations", "/api/v1/positions/%d/compensations%s" % (credit, q),
                 {"debt_position_id": debt, "amount_cents": 2000, "note": "d'ufficio"}, 200)
    assert_eq(r.json()["residual_cents"], -1000)
    r = api_call(srv, doc, "POST", t + "refunds", "/api/v1/positions/%d/refunds%s" % (credit, q),
                 {"amount_cents": 1001}, 422)
    r = api_call(srv, doc, "POST", t + "refunds", "/api/v1/positions/%d/refunds%s" % (credit, q),
                 {"amount_cents": 1000, "reference": "CRO-RIMB-API"}, 200)
    assert_eq(r.json()["residual_cents"], 0)
    assert_eq(srv.sql("SELECT residual_cents FROM debt_act WHERE id = %d" % debt), "8000")
    # another Ente's position: 404, nothing written
    other = int(srv.sql("SELECT MIN(a.id) FROM debt_act a JOIN ente e ON e.id = a.ente_id WHERE e.slug = '%s' "
                        "AND a.residual_cents > 0" % VALLE))
    n = movements(srv)
    api_call(srv, doc, "POST", t + "relieve", "/api/v1/positions/%d/relieve%s" % (other, q),
             {"reason": "x"}, 404)
    api_call(srv, doc, "POST", t + "compensations", "/api/v1/positions/%d/compensations%s" % (credit, q),
             {"debt_position_id": other, "amount_cents": 1}, 422)
    assert_eq(movements(srv), n)


def t_cli(srv):
    act, debt = act_of(srv, "Cli atto"), act_of(srv, "Cli debito")
    r = srv.cli("act", "pay", "--ente", BORGO, "--act", str(act), "--channel", "assegno", "--amount", "10",
                "--reference", "X", check=False)
    assert_eq(r.returncode, 2)
    r = srv.cli("act", "relieve", "--ente", BORGO, "--act", str(act), "--amount", "20,00", check=False)
    assert_eq(r.returncode, 2)
    assert_in("--reason", r.stderr)
    r = srv.cli("act", "relieve", "--ente", ST["cf"], "--act", str(act), "--amount", "20,00",
                "--reason", "Errore di calcolo")
    assert_in("residuo 180,00", r.stdout)
    nav = options(srv, act)[-1][2]
    r = srv.cli("act", "pay", "--ente", BORGO, "--notice", " ".join(nav[i:i + 4] for i in range(0, 18, 4)),
                "--channel", "counter", "--amount", "200.00", "--reference", "CASSA-9", "--value-date", "2026-11-29")
    assert_in("credito 20,00", r.stdout)
    r = srv.cli("act", "pay", "--ente", BORGO, "--act", str(act), "--channel", "counter", "--amount", "200.00",
                "--reference", "CASSA-9", check=False)
    assert_eq(r.returncode, 1)
    assert_in("già registrato", r.stderr)
    r = srv.cli("act", "compensate", "--ente", BORGO, "--from", str(act), "--to", str(debt), "--amount", "15")
    assert_in("residuo 35,00", r.stdout)
    r = srv.cli("act", "refund", "--ente", BORGO, "--act", str(act), "--amount", "6", check=False)
    assert_eq(r.returncode, 1)
    r = srv.cli("act", "refund", "--ente", BORGO, "--act", str(act), "--amount", "5", "--reference", "CRO-CLI")
    assert_in("residuo 0,00", r.stdout)
    r = srv.cli("act", "plan", "--ente", BORGO, "--act", str(debt), "--first-due", "2027-02-01", check=False)
    assert_eq(r.returncode, 1)  # 35,00: no installments below 100 euros
    assert_in("rateizzazione", r.stderr)
    r = srv.cli("act", "cancel", "--ente", BORGO, "--act", str(debt), "--reason", "Prescritto")
    assert_in("Annullat", r.stdout)
    r = srv.cli("act", "cancel", "--ente", VALLE, "--act", str(act), "--reason", "x", check=False)
    assert_eq(r.returncode, 1)  # another Ente's act


def t_notices(srv):
    cf, ente_id = srv.sql("SELECT fiscal_code, id FROM ente WHERE slug = '%s'" % VALLE).split("|")
    tps = srv.sql("SELECT fiscal_code FROM taxpayer WHERE ente_id = %s AND length(fiscal_code) = 16 ORDER BY id "
                  "LIMIT 5" % ente_id).splitlines()
    rows = ["ente_cf,taxpayer_cf,taxpayer_name,revenue,year,description,amount,due_date,installments"]
    rows += ["%s,%s,,TARI,2025,TARI 2025 campagna %d,%d.%02d,2025-12-16,%s" % (cf, tps[i % 5], i, 150 + i, i % 100,
                                                                             "2" if i % 3 == 0 else "")
             for i in range(300)]
    path = os.path.join(srv.tmp, "campagna.csv")
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    srv.cli("positions", "import", path)
    ids = srv.sql("SELECT id FROM debt_act WHERE ente_id = %s AND year = 2025 AND description LIKE "
                  "'TARI 2025 campagna%%' ORDER BY id" % ente_id).split()
    assert_eq(len(ids), 300)
    # one paid in full: nothing to print for it
    paid = int(ids[7])
    srv.cli("act", "pay", "--ente", VALLE, "--act", str(paid), "--channel", "counter", "--amount", "157.07",
            "--reference", "CAMPAGNA-PAID")
    out = os.path.join(srv.tmp, "avvisi")
    args = [srv.binary, "notices", "generate", "--ente", cf, "--revenue", "TARI", "--year", "2025", "--out", out,
            "--threads", "1"]
    proc = subprocess.Popen(args, env=srv.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        done = [f for f in os.listdir(out) if f.endswith(".pdf")] if os.path.isdir(out) else []
        if len(done) >= 10:
            break
        time.sleep(0.01)
    proc.kill()  # interrupted in the middle (SIGKILL: nothing cleaned up)
    proc.wait()
    first = sorted(f for f in os.listdir(out) if f.endswith(".pdf"))
    assert 10 <= len(first) < 299, "not interrupted in the middle: %d files" % len(first)
    mtimes = {f: os.stat(os.path.join(out, f)).st_mtime_ns for f in first}
    r = subprocess.run(args, env=srv.env, capture_output=True, text=True)
    assert_eq(r.returncode, 0, r.stderr[-500:])
    assert_in("avvisi: 300/300", r.stderr)  # the plain progress line (stderr is not a terminal)
    assert_in("già presenti", r.stdout)
    files = sorted(f for f in os.listdir(out) if f.endswith(".pdf"))
    assert not [f for f in os.listdir(out) if f.endswith(".part")], "temporary files left"
    assert_eq(len(files), 299)  # every act but the paid one, once
    assert all(os.stat(os.path.join(out, f)).st_mtime_ns == mtimes[f] for f in first), "complete files redone"
    man = [l.split(",") for l in open(os.path.join(out, "manifest.csv")).read().split()[1:]]
    assert_eq(sorted(int(a) for a, _ in man), sorted(int(i) for i in ids if int(i) != paid))
    assert_eq(len(set(f for _, f in man)), 299)
    for act, f in man:
        assert f.endswith("-%s.pdf" % act), f
        if not shutil.which("pdftotext"):
            continue
        text = re.sub(r"\s+", "", subprocess.run(["pdftotext", os.path.join(out, f), "-"], capture_output=True,
                                                 text=True).stdout)
        for nav in srv.sql("SELECT nav FROM debt_option WHERE act_id = %s AND state = 'open'" % act).split():
            assert_in(nav, text, f)
    # merged: files of 100 notices, each holding its acts' codes
    out2 = os.path.join(srv.tmp, "avvisi-uniti")
    r = srv.cli("notices", "generate", "--ente", VALLE, "--revenue", "TARI", "--year", "2025", "--out", out2,
                "--merged", "--per-file", "100")
    merged = sorted(f for f in os.listdir(out2) if f.endswith(".pdf"))
    assert_eq(len(merged), 3)
    if shutil.which("pdftotext"):
        text = "".join(re.sub(r"\s+", "", subprocess.run(["pdftotext", os.path.join(out2, f), "-"],
                                                         capture_output=True, text=True).stdout) for f in merged)
        for act in ids[::37]:
            for nav in srv.sql("SELECT nav FROM debt_option WHERE act_id = %s AND state = 'open'" % act).split():
                assert_in(nav, text)
    r = srv.cli("notices", "generate", "--ente", VALLE, "--revenue", "TARI", "--year", "2025", "--out", out2,
                "--merged", "--per-file", "100")
    assert_in("0 avvisi scritti", r.stdout)


AUTH = "AUT. DB/SSIC/E 12345 DEL 01/01/2026"
IBAN_POSTE = "IT32D0760103200000001234567"


def poste_payload(nav, account, cents, ente_cf, debtor_cf, debtor_name, subject):
    """The Poste DataMatrix payload, built here from the layout in
    ../shared/spec/pagopa/test-vectors/notice_2d_codes.json (ASCII texts)."""
    def field(s, n):
        return s.upper()[:n].ljust(n)
    return ("codfase=NBPA;18%s12%s10%s38961P1%s" % (nav, account.rjust(12, "0"), str(cents).rjust(10, "0"), ente_cf)
            + field(debtor_cf, 16) + field(debtor_name, 40) + field(subject, 110) + " " * 12 + "A")


def pdf_read(srv, name, body):
    """(text, DataMatrix payloads) of a PDF: pdftotext, then dmtxread on each
    slip's corner (as tests/pdf/run.sh crops it)."""
    path = os.path.join(srv.tmp, name + ".pdf")
    with open(path, "wb") as f:
        f.write(body)
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", path], capture_output=True,
                                                            text=True).stdout).group(1))
    got = []
    for p in range(1, pages + 1):
        bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(p), "-l", str(p), path, "-"], capture_output=True,
                              text=True).stdout
        for k, ymin in enumerate(re.findall(r'yMin="([\d.]+)"[^>]*>BOLLETTINO<', bbox)):
            crop = os.path.join(srv.tmp, "%s-dm-%d-%d" % (name, p, k))
            subprocess.run(["pdftoppm", "-r", "300", "-f", str(p), "-l", str(p), "-x", str(480 * 300 // 72),
                            "-y", str(int((float(ymin) + 35) * 300 / 72)), "-W", "420", "-H", "460", "-png",
                            "-singlefile", path, crop], check=True)
            out = subprocess.run(["dmtxread", "-N", "1", crop + ".png"], capture_output=True, text=True,
                                 timeout=120).stdout.strip()
            if out:
                got.append(out)
    return text, got


def t_bollettino(srv):
    """TARI is paid to a BancoPosta account with the Poste authorisation (demo
    data): its notices carry the bollettino postale PA whose DataMatrix
    decodes to the Poste payload, from the office page, the portal and the
    bulk campaign; IMU (no postal account) has none; a postal account
    without the authorisation gives no bollettino and says why in the log."""
    if not all(shutil.which(t) for t in ("pdftotext", "pdftoppm", "pdfinfo", "dmtxread")):
        raise AssertionError("pdftotext, pdftoppm, pdfinfo and dmtxread are needed")
    r = srv.cli("revenue", "list", "--ente", BORGO)
    assert_in("{c/c postale 1234567, %s}" % AUTH, r.stdout)
    path = os.path.join(srv.tmp, "bollettino.csv")
    with open(path, "w") as f:
        f.write("ente_cf,taxpayer_cf,taxpayer_name,revenue,year,description,amount,due_date,installments\n"
                "%s,RSSMRA80A01H501U,\"Rossi, Mario\",TARI,2026,TARI 2026 bollettino,123.45,2026-12-16,\n"
                "%s,RSSMRA80A01H501U,\"Rossi, Mario\",IMU,2026,IMU 2026 senza bollettino,50.00,2026-12-16,\n"
                % (BORGO, BORGO))
    r = srv.cli("positions", "import", path)
    assert_eq(r.stdout.count(",ok,"), 2, r.stdout)
    tari, imu = act_of(srv, "TARI 2026 bollettino"), act_of(srv, "IMU 2026 senza bollettino")
    nav = options(srv, tari)[0][2]
    want = poste_payload(nav, "1234567", 12345, ST["cf"], "RSSMRA80A01H501U", "Rossi Mario",
                         "TARI 2026 bollettino")
    c = login(srv, "operatore")
    pdf = c.get("%s/%d/avviso/%s" % (P, tari, options(srv, tari)[0][0]))
    assert_eq(pdf.status, 200)
    text, dms = pdf_read(srv, "office-tari", pdf.body)
    assert_in("1234567", text)
    assert_in(AUTH, " ".join(text.split()))
    assert_eq(dms, [want])
    pdf = c.get("%s/%d/avviso/%s" % (P, imu, options(srv, imu)[0][0]))
    assert_eq(pdf.status, 200)
    text, dms = pdf_read(srv, "office-imu", pdf.body)
    assert "BOLLETTINO" not in text and AUTH not in text, "bollettino without a postal account"
    assert_eq(dms, [])
    # the API's notice: the whole notice, one option, bad and foreign options
    doc = srv.client().get("/api/v1/openapi.json").json()
    h = {"Authorization": "Bearer " + ST["token"]}
    t = "/api/v1/positions/{id}/notice"
    r = srv.client().request("GET", "/api/v1/positions/%d/notice?ente=%s" % (tari, BORGO), headers=h, raw=True)
    assert_eq(r.status, 200, r.text[:300] if r.status != 200 else "")
    assert_eq(r.header("Content-Type"), "application/pdf")
    assert_in("200", doc["paths"][t]["get"]["responses"])
    text, dms = pdf_read(srv, "api-tari", r.body)
    assert_in(AUTH, " ".join(text.split()))
    assert_eq(dms, [want])
    r = srv.client().request("GET", "/api/v1/positions/%d/notice?ente=%s&option=%s"
                             % (imu, ST["cf"], options(srv, imu)[0][0]), headers=h, raw=True)
    assert_eq(r.status, 200)
    text, dms = pdf_read(srv, "api-imu", r.body)
    assert_in(options(srv, imu)[0][2], re.sub(r"\s+", "", text))
    assert "BOLLETTINO" not in text, "bollettino without a postal account"
    assert_eq(dms, [])
    for path, status in [("/api/v1/positions/%d/notice?ente=%s&option=x1" % (tari, BORGO), 422),
                         ("/api/v1/positions/%d/notice?ente=%s&option=%s" % (tari, BORGO, options(srv, imu)[0][0]),
                          404),
                         ("/api/v1/positions/%d/notice?ente=%s" % (act_of(srv, "Atto annullo"), BORGO), 409),
                         ("/api/v1/positions/%d/notice?ente=%s" % (tari, VALLE), 404)]:
        r = srv.client().request("GET", path, headers=h, raw=True)
        assert_eq(r.status, status, path + ": " + r.text[:300])
        errs = check_response(doc, t, "GET", r.status, r.json())
        assert not errs, "\n".join(errs[:10])
    # the portal's download of the same notice
    r = srv.client().get("/enti/%s/avviso/pdf?codice_avviso=%s&codice_fiscale=RSSMRA80A01H501U" % (BORGO, nav))
    assert_eq(r.status, 200, r.text[:300] if r.status != 200 else "")
    text, dms = pdf_read(srv, "portal-tari", r.body)
    assert_in(AUTH, " ".join(text.split()))
    assert_eq(dms, [want])
    # the bulk campaign
    out = os.path.join(srv.tmp, "avvisi-bollettino")
    srv.cli("notices", "generate", "--ente", BORGO, "--revenue", "TARI", "--year", "2026", "--out", out)
    f = [l.split(",")[1] for l in open(os.path.join(out, "manifest.csv")).read().split()[1:]
         if l.split(",")[0] == str(tari)]
    with open(os.path.join(out, f[0]), "rb") as fh:
        text, dms = pdf_read(srv, "bulk-tari", fh.read())
    assert_in(AUTH, " ".join(text.split()))
    assert_eq(dms, [want])
    # bad authorisation: refused, nothing changed
    r = srv.cli("revenue", "postal", "--ente", BORGO, "--iban", IBAN_POSTE, "--postal-account", "1234567",
                "--postal-auth", "x" * 101, check=False)
    assert_eq(r.returncode, 1)
    assert_in("postal_auth", r.stderr)
    assert_eq(srv.sql("SELECT postal_auth FROM debt_account WHERE iban = '%s' AND ente_id = %d"
                      % (IBAN_POSTE, ST["ente_id"])), AUTH)
    # without the authorisation: no bollettino, the reason logged once
    srv.cli("revenue", "postal", "--ente", BORGO, "--iban", IBAN_POSTE, "--postal-account", "1234567")
    try:
        for i in range(2):
            pdf = c.get("%s/%d/avviso/%s" % (P, tari, options(srv, tari)[0][0]))
            assert_eq(pdf.status, 200)
        text, dms = pdf_read(srv, "office-noauth", pdf.body)
        assert "BOLLETTINO" not in text, "bollettino without the authorisation"
        assert_eq(dms, [])
        time.sleep(0.5)
        srv.log.flush()
        log = open(srv.log.name).read()
        assert_eq(log.count("no Poste authorisation"), 1, log[-2000:])
    finally:
        srv.cli("revenue", "postal", "--ente", BORGO, "--iban", IBAN_POSTE, "--postal-account", "1234567",
                "--postal-auth", AUTH)
    assert_in("debt.account.postal", srv.sql("SELECT action FROM audit_log WHERE action = 'debt.account.postal' "
                                             "ORDER BY id DESC LIMIT 1"))


def t_admin_revenues(srv):
    """The administrator's page of revenues and accounts: the bollettino
    status of each revenue; the postal account form refuses bad input with
    each field's message (nothing written), saves a good one (audited), and
    is for administrators only, with CSRF."""
    url = "/admin/enti/%s/entrate" % BORGO
    a = login(srv, "admin")
    r = a.get(url)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    page = htmllib.unescape(r.text)
    assert_in(AUTH, page)
    assert_in("IMU - Imposta municipale propria", page)
    assert_in("No (nessun conto postale)", page)
    assert_eq(login(srv, "operatore").get(url).status, 403)
    audits = count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'debt.account.postal'")
    r = a.post(url, {"iban": IBAN_POSTE, "postal_account": "12a", "postal_auth": "x" * 101}, csrf_from=url)
    assert_eq(r.status, 422)
    assert_valid_html(r)
    assert_in("1-12 cifre", field_error(r, "postal_account") or "")
    assert_in("100 caratteri", field_error(r, "postal_auth") or "")
    r = a.post(url, {"iban": "IT50Y0100003245000000301234", "postal_account": "1", "postal_auth": "AUT"},
               csrf_from=url)
    assert_eq(r.status, 422)
    assert_in("conti dell'Ente", field_error(r, "iban") or "")
    r = a.request("POST", url, body={"iban": IBAN_POSTE, "postal_account": "", "postal_auth": ""})
    assert_eq(r.status, 403)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'debt.account.postal'"), audits)
    assert_eq(srv.sql("SELECT postal_account || '|' || postal_auth FROM debt_account WHERE iban = '%s' AND "
                      "ente_id = %d" % (IBAN_POSTE, ST["ente_id"])), "1234567|" + AUTH)
    r = a.post(url, {"iban": IBAN_POSTE, "postal_account": "7654321", "postal_auth": "AUT. NUOVA 1"},
               csrf_from=url)
    assert_eq(r.status, 303, r.text[:300])
    assert_in("Conto corrente postale salvato", a.get(r.header("Location")).text)
    assert_eq(srv.sql("SELECT postal_account || '|' || postal_auth FROM debt_account WHERE iban = '%s' AND "
                      "ente_id = %d" % (IBAN_POSTE, ST["ente_id"])), "7654321|AUT. NUOVA 1")
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'debt.account.postal'"), audits + 1)
    srv.cli("revenue", "postal", "--ente", BORGO, "--iban", IBAN_POSTE, "--postal-account", "1234567",
            "--postal-auth", AUTH)


def t_storage_error(srv):
    """A failing read of the movements gives the 500 page with the cause in the
    log, not an empty table."""
    c = login(srv, "operatore")
    act = act_of(srv, "Atto ricerca")
    srv.sql("ALTER TABLE debt_movement RENAME TO debt_movement_away")
    try:
        r = c.get("%s/%d" % (P, act))
        assert_eq(r.status, 500)
        assert_valid_html(r)
        assert_in("Si è verificato un errore interno", r.text)
        assert "Nessun movimento" not in r.text
        assert "debt_movement" not in r.text
    finally:
        srv.sql("ALTER TABLE debt_movement_away RENAME TO debt_movement")
    time.sleep(0.5)
    srv.log.flush()
    lines = [l for l in open(srv.log.name).read().splitlines() if "-> 500 storage_error" in l]
    assert lines and "debt_movement" in lines[-1], lines[-1:]
    assert_eq(c.get("%s/%d" % (P, act)).status, 200)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: test_acts.py BINARY sqlite|pg [PG_ADMIN_URL]")
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("acts/%s" % backend)
    srv = Server(binary, backend, pg, taxpayers=20, env={
        "SPORTELLO_PAGOPA_BROKER_ID": sanp.BROKER, "SPORTELLO_PAGOPA_STATION_ID": sanp.STATION,
        "SPORTELLO_PORTAL_FONT_DIR": FONTS})
    try:
        tap.run("setup: positions to work on", t_setup, srv)
        for name, fn in [
            ("search by NAV (with spaces), IUV, fiscal code, number; bad year 422", t_search),
            ("act page: lines, options, notice PDF per option, tenant 404", t_act_page),
            ("payment from another channel: bad input, CSRF, role, duplicate reference, tenant", t_payment),
            ("relief with reason, installment plan in the bracket, cancellation", t_relief_plan_cancel),
            ("overpayment, compensation and refund", t_credit),
            ("review queue: assign to a notice once, mark refunded", t_review),
            ("reconciliation page: flows and unmatched entries", t_reconciliation),
            ("API: relieve, plan, payments, refunds, compensations; problems, 404", t_api),
            ("CLI: act relieve, pay, compensate, refund, plan, cancel", t_cli),
            ("notices generate: killed in the middle, resumed, every file once and valid; merged", t_notices),
            ("bollettino postale with its DataMatrix: office, portal, bulk; none without account or authorisation",
             t_bollettino),
            ("act page: a failing read of the movements is a 500 with its cause logged", t_storage_error),
            ("admin: revenues and accounts, the postal account form", t_admin_revenues),
        ]:
            if "cf" in ST:
                tap.run(name, fn, srv)
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
