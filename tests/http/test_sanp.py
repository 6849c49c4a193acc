#!/usr/bin/env python3
"""The pagoPA SANP endpoint (POST /pagopa/paForNode) against the real
binary: every shared request example adapted to a demo position and
answered correctly, every response (OK, KO, fault) validated against
paForNode.xsd with xmllint; every fault path; a receipt repeated and sent
on 16 connections at once books once; unmatched receipts stored and
queued for review, then resolved; allowed_ips; FdR reconciliation
(matched, receipt missing, missing in flow, amount mismatch, a revision
replacing the earlier flow); /api/v1/receipts paging.
Usage: test_sanp.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import base64
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

from harness import SOURCE, Server, Tap, assert_eq, assert_in

SHARED = os.path.join(SOURCE, "..", "shared", "spec", "pagopa")
EXAMPLES = os.path.join(SHARED, "examples", "sanp")
XSD = os.path.join(SHARED, "pagopa-api-SANP3.13.0", "wsdl", "xsd", "paForNode.xsd")
NS_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
NS_PAFN = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"
BROKER, STATION = "15376371009", "15376371009_01"
BORGO = "borgo-fittizio"
PSP = "ABCDITMMXXX"
FDR_PSP, FDR_DATE = "FDRPSPITMMX", "2026-10-05"
ST = {}


def count(srv, sql):
    return int(srv.sql(sql).splitlines()[0])


def nav_check(first16):
    return first16 + "%02d" % (int(first16) % 93)


# ---- requests built from the shared examples -------------------------------

def example(name):
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
        return f.read()


def set_elem(xml, tag, value, count_=0):
    """Sets the text of <tag> (every one, or the first count_)."""
    new, n = re.subn(r"(<%s>)[^<]*(</%s>)" % (re.escape(tag), re.escape(tag)),
                     lambda m: m.group(1) + value + m.group(2), xml, count=count_)
    if n == 0:
        raise AssertionError("no <%s> in the example" % tag)
    return new


def caller(xml, id_pa=None, broker=BROKER, station=STATION):
    xml = set_elem(xml, "idPA", id_pa or ST["cf"])
    xml = set_elem(xml, "idBrokerPA", broker)
    return set_elem(xml, "idStation", station)


def req_verify(nav, **kw):
    x = caller(example("paVerifyPaymentNotice.request.xml"), **kw)
    x = set_elem(x, "fiscalCode", kw.get("id_pa") or ST["cf"])
    return set_elem(x, "noticeNumber", nav)


def req_get_payment(nav, v2=False, **kw):
    x = caller(example("paGetPaymentV2.request.xml" if v2 else "paGetPayment.request.xml"), **kw)
    x = set_elem(x, "fiscalCode", ST["cf"])
    return set_elem(x, "noticeNumber", nav)


def option(srv, nav):
    row = srv.sql("SELECT o.id, o.iuv, o.amount_cents - o.paid_cents, o.act_id FROM debt_option o "
                  "WHERE o.nav = '%s'" % nav).split("|")
    ts = [t.split("|") for t in srv.sql(
        "SELECT position, amount_cents, beneficiary_cf, iban FROM debt_transfer WHERE option_id = %s "
        "ORDER BY position" % row[0]).splitlines()]
    return {"id": int(row[0]), "iuv": row[1], "due": int(row[2]), "act": int(row[3]), "transfers": ts}


def euros(c):
    return "%d.%02d" % (c // 100, c % 100)


def req_send_rt(srv, nav, receipt_id, v2=False, amount=None, iuv=None, psp=PSP, date="2026-10-02",
                transfers=None):
    """A paSendRT[V2] of the shared example for the option of nav (its
    transfers, or the ones given as (index, cents, cf, iban))."""
    x = caller(example("paSendRTV2.request-with-bollo.xml" if v2 else "paSendRT.request.xml"))
    o = option(srv, nav) if transfers is None else None
    if transfers is None:
        transfers = [(int(t[0]), int(t[1]), t[2], t[3]) for t in o["transfers"]]
        if amount is not None and amount != sum(t[1] for t in transfers):
            transfers = [(1, amount, ST["cf"], transfers[0][3])]
    total = amount if amount is not None else sum(t[1] for t in transfers)
    x = set_elem(x, "receiptId", receipt_id)
    x = set_elem(x, "noticeNumber", nav)
    x = set_elem(x, "fiscalCode", ST["cf"], 1)
    x = set_elem(x, "creditorReferenceId", iuv or nav[1:])
    x = set_elem(x, "paymentAmount", euros(total))
    x = set_elem(x, "idPSP", psp)
    x = set_elem(x, "transferDate", date)
    blocks = []
    for idx, cents, cf, iban in transfers:
        if iban == "MBD":
            pay = "<MBDAttachment>%s</MBDAttachment>" % base64.b64encode(b"<marcaDaBollo/>").decode()
        else:
            pay = "<IBAN>%s</IBAN>" % iban
        blocks.append("<transfer><idTransfer>%d</idTransfer><transferAmount>%s</transferAmount>"
                      "<fiscalCodePA>%s</fiscalCodePA>%s<remittanceInformation>Pagamento di prova"
                      "</remittanceInformation><transferCategory>0101101IM</transferCategory></transfer>"
                      % (idx, euros(cents), cf, pay))
    return re.sub(r"<transferList>.*</transferList>", "<transferList>%s</transferList>" % "".join(blocks),
                  x, flags=re.S)


# ---- calling the endpoint --------------------------------------------------

class Soap:
    def __init__(self, status, body):
        self.status = status
        self.body = body
        self.root = ET.fromstring(body)
        b = self.root.find("{%s}Body" % NS_SOAP)
        self.child = list(b)[0]

    @property
    def outcome(self):
        return self.child.findtext("outcome")

    @property
    def fault(self):
        return self.child.findtext("fault/faultCode")

    def text(self, path):
        return self.child.findtext(path)


def validate(child):
    """The SOAP body child, as a document of its own, against paForNode.xsd."""
    with tempfile.NamedTemporaryFile("wb", suffix=".xml", delete=False) as f:
        f.write(ET.tostring(child))
        path = f.name
    try:
        r = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", XSD, path], capture_output=True,
                           text=True)
    finally:
        os.unlink(path)
    if r.returncode != 0:
        raise AssertionError("response not valid against paForNode.xsd: %s\n%s" % (
            r.stderr.strip()[-600:], ET.tostring(child).decode()[:1500]))


def post(srv, action, body, headers=None, raw=False):
    h = {"Content-Type": "text/xml; charset=utf-8"}
    if action is not None:
        h["SOAPAction"] = '"%s"' % action
    h.update(headers or {})
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    conn.request("POST", "/pagopa/paForNode", body=body.encode() if isinstance(body, str) else body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    if raw:
        return r.status, data
    s = Soap(r.status, data)
    if s.child.tag != "{%s}Fault" % NS_SOAP:
        validate(s.child)
    return s


def ok(s, op):
    assert_eq(s.status, 200)
    assert_eq(s.child.tag, "{%s}%s" % (NS_PAFN, op))
    assert_eq(s.outcome, "OK", ET.tostring(s.child).decode()[:600])


def ko(s, fault, status=200):
    assert_eq(s.status, status)
    assert_eq(s.outcome, "KO", ET.tostring(s.child).decode()[:600])
    assert_eq(s.fault, fault, s.text("fault/description"))
    assert s.text("fault/faultString"), "faultString"
    assert s.text("fault/id"), "fault id"


def movements(srv, ref=None):
    w = " AND reference = '%s'" % ref if ref else ""
    return count(srv, "SELECT COUNT(*) FROM debt_movement WHERE kind = 'payment'" + w)


def navs(srv, where):
    return srv.sql("SELECT o.nav FROM debt_option o JOIN debt_act a ON a.id = o.act_id "
                   "WHERE o.ente_id = %d AND %s ORDER BY o.id" % (ST["ente_id"], where)).splitlines()


# ---- tests ----------------------------------------------------------------

def t_setup(srv):
    ST["cf"], ST["ente_id"] = srv.sql("SELECT fiscal_code, id FROM ente WHERE slug = '%s'" % BORGO).split("|")
    ST["ente_id"] = int(ST["ente_id"])
    tp = srv.sql("SELECT fiscal_code FROM taxpayer WHERE ente_id = %d AND length(fiscal_code) = 16 "
                 "ORDER BY id LIMIT 1" % ST["ente_id"])
    # fresh positions: 12 IMU, 2 TARI (with TEFA to the Provincia), one traffic fine
    rows = ["ente_cf,taxpayer_cf,taxpayer_name,revenue,year,description,amount,due_date,installments"]
    rows += ["%s,%s,,IMU,2026,IMU 2026 prova %d,%d.%02d,2026-12-16," % (ST["cf"], tp, i, 100 + i, i)
             for i in range(12)]
    rows += ["%s,%s,,TARI,2026,TARI 2026 prova %d,210.00,2026-12-16," % (ST["cf"], tp, i) for i in range(2)]
    rows += ["%s,%s,,CDS,2026,Verbale di prova,42.00,2026-12-16," % (ST["cf"], tp)]
    path = os.path.join(srv.tmp, "positions.csv")
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    r = srv.cli("positions", "import", path)
    assert_eq(r.stdout.count(",ok,"), 15, r.stdout + r.stderr)
    fresh = lambda d: navs(srv, "o.installment = 0 AND a.description LIKE '%s%%'" % d)
    ST["open"], ST["tari"], ST["cds"] = fresh("IMU 2026 prova"), fresh("TARI 2026 prova")[0], fresh("Verbale di")[0]
    assert_eq(len(ST["open"]), 12)
    ST["paid"] = navs(srv, "o.state = 'paid' AND a.state = 'paid'")[0]
    ST["cancelled"] = navs(srv, "o.state = 'cancelled' AND a.state = 'cancelled'")[0]
    ST["expired"] = navs(srv, "a.state = 'coattivo'")[0]
    ST["unknown"] = nav_check("3019999999999999")
    r = srv.cli("sanp", "revenue", "--ente", ST["cf"], "--code", "CUP", "--service", "00001")
    assert_in("servizio 00001", r.stdout)


def t_verify(srv):
    nav = ST["open"][0]
    o = option(srv, nav)
    s = post(srv, "paVerifyPaymentNotice", req_verify(nav))
    ok(s, "paVerifyPaymentNoticeRes")
    assert_eq(s.text("paymentList/paymentOptionDescription/amount"), euros(o["due"]))
    assert_eq(s.text("paymentList/paymentOptionDescription/options"), "EQ")
    assert_eq(s.text("fiscalCodePA"), ST["cf"])
    assert_eq(s.text("companyName"), "Comune di Borgo Fittizio")
    assert s.text("paymentList/paymentOptionDescription/dueDate"), "dueDate"
    # the same shape as the shared example response
    ex = Soap(200, example("paVerifyPaymentNotice.response-ok.xml").encode())
    assert_eq([c.tag for c in s.child if c.tag != "officeName"], [c.tag for c in ex.child if c.tag != "officeName"])
    # a partly paid act: what is due today
    nav2 = navs(srv, "o.state = 'open' AND a.state = 'partly_paid' AND o.installment > 0")[0]
    s = post(srv, "paVerifyPaymentNotice", req_verify(nav2))
    ok(s, "paVerifyPaymentNoticeRes")
    assert_eq(s.text("paymentList/paymentOptionDescription/amount"), euros(option(srv, nav2)["due"]))


def t_get_payment(srv):
    nav = ST["tari"]
    o = option(srv, nav)
    s = post(srv, "paGetPayment", req_get_payment(nav))
    ok(s, "paGetPaymentRes")
    assert_eq(s.text("data/creditorReferenceId"), o["iuv"])
    assert_eq(s.text("data/paymentAmount"), euros(o["due"]))
    ts = s.child.findall("data/transferList/transfer")
    assert_eq(len(ts), 2)  # TARI and TEFA to the Provincia
    assert_eq(sum(round(float(t.findtext("transferAmount")) * 100) for t in ts), o["due"])
    assert_eq([t.findtext("fiscalCodePA") for t in ts], [t[2] for t in o["transfers"]])
    assert_eq(ts[0].findtext("transferCategory"), "0101101IM")
    assert_eq(s.text("data/debtor/uniqueIdentifier/entityUniqueIdentifierType"), "F")
    # V2: metadata, company names
    s = post(srv, "paGetPaymentV2", req_get_payment(nav, v2=True))
    ok(s, "paGetPaymentV2Response")
    keys = [e.findtext("key") for e in s.child.findall("data/metadata/mapEntry")]
    assert_eq(keys, ["annoRiferimento", "numeroAtto"])
    assert s.child.find("data/transferList/transfer/companyName") is not None


def t_stamp(srv):
    r = srv.cli("sanp", "revenue", "--ente", BORGO, "--code", "CDS", "--stamp", "16.00")
    assert_eq(r.returncode, 0, r.stderr)
    nav = ST["cds"]
    o = option(srv, nav)
    s = post(srv, "paGetPaymentV2", req_get_payment(nav, v2=True))
    ok(s, "paGetPaymentV2Response")
    ts = s.child.findall("data/transferList/transfer")
    assert_eq(len(ts), 2)
    stamp = ts[1].find("richiestaMarcaDaBollo")
    assert stamp is not None, "no richiestaMarcaDaBollo"
    assert_eq(stamp.findtext("tipoBollo"), "01")
    assert re.fullmatch(r"[A-Z]{2}", stamp.findtext("provinciaResidenza"))
    assert_eq(ts[1].findtext("transferAmount"), "16.00")
    assert_eq(ts[0].findtext("transferAmount"), euros(o["due"] - 1600))
    assert_eq(s.text("data/paymentAmount"), euros(o["due"]))
    # V1 cannot carry the stamp
    ko(post(srv, "paGetPayment", req_get_payment(nav)), "PAA_SEMANTICA")
    # the receipt with the MBD attachment books the whole amount
    rid = "mbd%029d" % 1
    before = movements(srv)
    s = post(srv, "paSendRTV2", req_send_rt(srv, nav, rid, v2=True, transfers=[
        (1, o["due"] - 1600, ST["cf"], o["transfers"][0][3]), (2, 1600, ST["cf"], "MBD")]))
    ok(s, "paSendRTV2Response")
    assert_eq(movements(srv), before + 1)
    assert_eq(count(srv, "SELECT COUNT(*) FROM pagopa_receipt_transfer t JOIN pagopa_receipt r ON r.id = "
                         "t.receipt_pk WHERE r.receipt_id = '%s' AND t.mbd IS NOT NULL AND t.iban IS NULL" % rid), 1)


def t_send_rt(srv):
    nav = ST["open"][1]
    o = option(srv, nav)
    before = movements(srv)
    rid = "c110729d258c4ab1b765fe902aae41d6"
    s = post(srv, "paSendRT", req_send_rt(srv, nav, rid))
    ok(s, "paSendRTRes")
    assert_eq(movements(srv), before + 1)
    assert_eq(movements(srv, rid), 1)
    row = srv.sql("SELECT state, act_id, movement_id IS NOT NULL FROM pagopa_receipt WHERE receipt_id = '%s'" % rid)
    assert_eq(row, "booked|%d|%s" % (o["act"], "1" if srv.backend == "sqlite" else "t"))
    raw = srv.sql("SELECT length(xml) FROM pagopa_receipt_raw r JOIN pagopa_receipt p ON p.id = r.receipt_pk "
                  "WHERE p.receipt_id = '%s'" % rid)
    assert int(raw) > 1000, raw
    assert_eq(srv.sql("SELECT state FROM debt_option WHERE nav = '%s'" % nav), "paid")
    # once paid, the notice answers PAA_PAGAMENTO_DUPLICATO
    ko(post(srv, "paVerifyPaymentNotice", req_verify(nav)), "PAA_PAGAMENTO_DUPLICATO")
    # the same receipt again: KO PAA_RECEIPT_DUPLICATA, nothing booked
    s = post(srv, "paSendRT", req_send_rt(srv, nav, rid))
    ko(s, "PAA_RECEIPT_DUPLICATA")
    assert_eq(movements(srv, rid), 1)
    assert_eq(count(srv, "SELECT COUNT(*) FROM pagopa_receipt WHERE receipt_id = '%s'" % rid), 1)
    # V2 of the shared example (MBD transfer of the Ente)
    nav = ST["open"][2]
    s = post(srv, "paSendRTV2", req_send_rt(srv, nav, "7d3f7e0c2a1b4c5d9e8f0a1b2c3d4e5f", v2=True))
    ok(s, "paSendRTV2Response")
    ST["booked_rt"] = rid


def t_concurrent(srv):
    nav = ST["open"][3]
    body = req_send_rt(srv, nav, "concurrent0000000000000000000016")
    before = movements(srv)
    n = 16
    conns = [http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60) for _ in range(n)]
    for c in conns:
        c.connect()
    barrier = threading.Barrier(n)
    results = [None] * n

    def send(i):
        barrier.wait()
        conns[i].request("POST", "/pagopa/paForNode", body=body.encode(),
                         headers={"SOAPAction": '"paSendRT"', "Content-Type": "text/xml"})
        r = conns[i].getresponse()
        results[i] = (r.status, r.read())

    threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = []
    for status, data in results:
        s = Soap(status, data)
        validate(s.child)
        assert_eq(status, 200)
        outcomes.append(s.outcome if s.outcome == "OK" else s.fault)
    assert_eq(sorted(outcomes), ["OK"] + ["PAA_RECEIPT_DUPLICATA"] * (n - 1))
    assert_eq(movements(srv), before + 1)
    assert_eq(movements(srv, "concurrent0000000000000000000016"), 1)
    assert_eq(count(srv, "SELECT COUNT(*) FROM pagopa_receipt WHERE receipt_id = "
                         "'concurrent0000000000000000000016'"), 1)


def t_unmatched(srv):
    before = movements(srv)
    nav = ST["unknown"]
    x = req_send_rt(srv, nav, "unmatched000000000000000000000001", transfers=[(1, 5000, ST["cf"],
                                                                               "IT60X0542811101000000123456")])
    s = post(srv, "paSendRT", x)
    ok(s, "paSendRTRes")  # acquired: stored for review, never lost
    assert_eq(movements(srv), before)
    row = srv.sql("SELECT id, state, review_reason FROM pagopa_receipt WHERE receipt_id = "
                  "'unmatched000000000000000000000001'").split("|")
    assert_eq(row[1:], ["review", "unknown_notice"])
    # a receipt for a cancelled notice waits for review too
    s = post(srv, "paSendRT", req_send_rt(srv, ST["cancelled"], "unmatched000000000000000000000002"))
    ok(s, "paSendRTRes")
    assert_eq(movements(srv), before)
    r = srv.cli("receipts", "review", "--ente", BORGO)
    assert_in("unmatched000000000000000000000001", r.stdout)
    assert_in("notice_cancelled", r.stdout)
    # resolved onto an open option: booked once
    target = ST["open"][4]
    r = srv.cli("receipts", "resolve", "--ente", BORGO, "--id", row[0], "--notice", target, "--note", "verificato")
    assert_eq(r.returncode, 0, r.stderr)
    assert_eq(movements(srv), before + 1)
    assert_eq(movements(srv, "unmatched000000000000000000000001"), 1)
    r = srv.cli("receipts", "resolve", "--ente", BORGO, "--id", row[0], "--notice", target, check=False)
    assert r.returncode != 0, "resolved twice"
    rid2 = srv.sql("SELECT id FROM pagopa_receipt WHERE receipt_id = 'unmatched000000000000000000000002'")
    r = srv.cli("receipts", "refunded", "--ente", BORGO, "--id", rid2, "--note", "bonifico di rimborso CRO 123")
    assert_eq(r.returncode, 0, r.stderr)
    assert_eq(srv.sql("SELECT state FROM pagopa_receipt WHERE id = %s" % rid2), "refunded")
    assert_eq(movements(srv), before + 1)
    r = srv.cli("receipts", "review", "--ente", BORGO)
    assert "unmatched0000000000000000000000" not in r.stdout, r.stdout
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action IN ('pagopa.receipt.resolve', "
                         "'pagopa.receipt.refunded')"), 2)


def t_demand(srv):
    dati = ("<pagamentoCup xmlns=\"http://PuntoAccessoPSP.spcoop.gov.it/Cup\"><organizationFiscalCode>%s"
            "</organizationFiscalCode><companyName>Comune di Borgo Fittizio</companyName>"
            "<debtorFiscalCode>RSSMRA80A01H501U</debtorFiscalCode><debtorFullName>Rossi Mario</debtorFullName>"
            "<amount>25.00</amount></pagamentoCup>" % ST["cf"])
    x = caller(example("paDemandPaymentNotice.request.xml"))
    x = set_elem(x, "datiSpecificiServizioRequest", base64.b64encode(dati.encode()).decode())
    s = post(srv, "paDemandPaymentNotice", x)
    ok(s, "paDemandPaymentNoticeResponse")
    nav = s.text("qrCode/noticeNumber")
    assert_eq(s.text("qrCode/fiscalCode"), ST["cf"])
    assert_eq(s.text("paymentList/paymentOptionDescription/amount"), "25.00")
    s = post(srv, "paVerifyPaymentNotice", req_verify(nav))
    ok(s, "paVerifyPaymentNoticeRes")
    assert_eq(s.text("paymentList/paymentOptionDescription/amount"), "25.00")
    # a service not mapped, or mapped to a revenue without spontaneous payment
    ko(post(srv, "paDemandPaymentNotice", set_elem(x, "idServizio", "99999")), "PAA_SEMANTICA")
    bad = set_elem(x, "datiSpecificiServizioRequest", base64.b64encode(b"<x><amount>1.00</amount></x>").decode())
    ko(post(srv, "paDemandPaymentNotice", bad), "PAA_SEMANTICA")


def t_faults(srv):
    for nav, fault in [(ST["unknown"], "PAA_PAGAMENTO_SCONOSCIUTO"), (ST["paid"], "PAA_PAGAMENTO_DUPLICATO"),
                       (ST["expired"], "PAA_PAGAMENTO_SCADUTO"), (ST["cancelled"], "PAA_PAGAMENTO_ANNULLATO")]:
        ko(post(srv, "paVerifyPaymentNotice", req_verify(nav)), fault)
        ko(post(srv, "paGetPaymentV2", req_get_payment(nav, v2=True)), fault)
    nav = ST["open"][0]
    ko(post(srv, "paVerifyPaymentNotice", req_verify(nav, id_pa="99999999999")), "PAA_ID_DOMINIO_ERRATO")
    ko(post(srv, "paVerifyPaymentNotice", req_verify(nav, broker="99999999999")), "PAA_ID_INTERMEDIARIO_ERRATO")
    ko(post(srv, "paVerifyPaymentNotice", req_verify(nav, station="99999999999_01")), "PAA_STAZIONE_INT_ERRATA")
    ko(post(srv, "paSendRT", caller(example("paSendRT.request.xml"), station="x")), "PAA_STAZIONE_INT_ERRATA")
    # schema-invalid field: PAA_SINTASSI_XSD naming it
    s = post(srv, "paVerifyPaymentNotice", req_verify("12345"))
    ko(s, "PAA_SINTASSI_XSD")
    assert_in("noticeNumber", s.text("fault/description"))
    # not XML, with a known operation: KO of that operation
    ko(post(srv, "paVerifyPaymentNotice", "this is not xml <"), "PAA_SINTASSI_EXTRAXSD")
    # nothing tells the operation: SOAP Fault, HTTP 500
    s = post(srv, None, "<garbage/>")
    assert_eq(s.status, 500)
    assert_eq(s.child.tag, "{%s}Fault" % NS_SOAP)
    assert_eq(s.child.findtext("faultcode"), "soapenv:Client")
    # SOAPAction and body disagree
    ko(post(srv, "paGetPayment", req_verify(nav)), "PAA_SINTASSI_EXTRAXSD")
    # XXE: the DOCTYPE is refused before any entity is read
    xxe = req_verify(nav).replace('<?xml version="1.0" encoding="UTF-8"?>',
                                  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>')
    xxe = xxe.replace("<idStation>%s</idStation>" % STATION, "<idStation>&e;</idStation>")
    s = post(srv, "paVerifyPaymentNotice", xxe)
    ko(s, "PAA_SINTASSI_EXTRAXSD")
    assert b"root:" not in s.body
    # over [pagopa] max_request_bytes: KO; over the server's body limit: 413, still alive
    big = req_verify(nav).replace("<soapenv:Header/>", "<soapenv:Header/>" + "<!--" + "x" * 300000 + "-->")
    ko(post(srv, "paVerifyPaymentNotice", big), "PAA_SINTASSI_EXTRAXSD")
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    sock.sendall(b"POST /pagopa/paForNode HTTP/1.1\r\nHost: x\r\nSOAPAction: paVerifyPaymentNotice\r\n"
                 b"Content-Type: text/xml\r\nContent-Length: %d\r\n\r\n" % (2 << 20) + b"x" * 65536)
    head = sock.recv(200)
    sock.close()
    assert head.startswith(b"HTTP/1.1 413"), head
    ok(post(srv, "paVerifyPaymentNotice", req_verify(nav)), "paVerifyPaymentNoticeRes")
    # no session or CSRF needed, but no GET
    r = srv.client().get("/pagopa/paForNode")
    assert_eq(r.status, 405)


def t_allowed_ips(srv):
    nav = ST["open"][0]
    srv.stop()
    srv.env["SPORTELLO_PAGOPA_ALLOWED_IPS"] = "10.0.0.0/8, 2001:db8::/32"
    srv.start()
    s = post(srv, "paVerifyPaymentNotice", req_verify(nav))
    assert_eq(s.status, 403)
    assert_eq(s.child.tag, "{%s}Fault" % NS_SOAP)
    srv.stop()
    srv.env["SPORTELLO_PAGOPA_ALLOWED_IPS"] = "10.0.0.0/8,127.0.0.0/8"
    srv.start()
    ok(post(srv, "paVerifyPaymentNotice", req_verify(nav)), "paVerifyPaymentNoticeRes")
    srv.stop()
    srv.env["SPORTELLO_PAGOPA_ALLOWED_IPS"] = "10.0.0.0/33"
    r = srv.cli("config", check=False)
    assert r.returncode != 0 and "allowed_ips" in r.stderr, r.stderr
    del srv.env["SPORTELLO_PAGOPA_ALLOWED_IPS"]
    srv.start()


# ---- reconciliation ---------------------------------------------------------

def flow(flow_id, when, entries, receiver=None):
    total = sum(e[3] for e in entries)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">',
           "<versioneOggetto>1.0</versioneOggetto><identificativoFlusso>%s</identificativoFlusso>" % flow_id,
           "<dataOraFlusso>%s</dataOraFlusso>" % when,
           "<identificativoUnivocoRegolamento>SEPA-TRN-%s</identificativoUnivocoRegolamento>" % flow_id[-4:],
           "<dataRegolamento>%s</dataRegolamento>" % FDR_DATE,
           "<istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B"
           "</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>%s</codiceIdentificativoUnivoco>"
           "</identificativoUnivocoMittente><denominazioneMittente>PSP di prova</denominazioneMittente>"
           "</istitutoMittente>" % FDR_PSP,
           "<istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G"
           "</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>%s</codiceIdentificativoUnivoco>"
           "</identificativoUnivocoRicevente></istitutoRicevente>" % (receiver or ST["cf"]),
           "<numeroTotalePagamenti>%d</numeroTotalePagamenti>" % len(entries),
           "<importoTotalePagamenti>%s</importoTotalePagamenti>" % euros(total)]
    for iuv, iur, idx, cents in entries:
        out.append("<datiSingoliPagamenti><identificativoUnivocoVersamento>%s</identificativoUnivocoVersamento>"
                   "<identificativoUnivocoRiscossione>%s</identificativoUnivocoRiscossione>"
                   "<indiceDatiSingoloPagamento>%d</indiceDatiSingoloPagamento>"
                   "<singoloImportoPagato>%s</singoloImportoPagato>"
                   "<codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento>"
                   "<dataEsitoSingoloPagamento>2026-10-04</dataEsitoSingoloPagamento></datiSingoliPagamenti>"
                   % (iuv, iur, idx, euros(cents)))
    out.append("</FlussoRiversamento>")
    return "\n".join(out)


def write(srv, name, text):
    path = os.path.join(srv.tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def t_fdr(srv):
    # three receipts of the flow's PSP and settlement date, all for the Ente
    rcp = []
    for i, nav in enumerate(ST["open"][5:8]):
        rid = "fdr%029d" % i
        o = option(srv, nav)
        ok(post(srv, "paSendRT", req_send_rt(srv, nav, rid, psp=FDR_PSP, date=FDR_DATE)), "paSendRTRes")
        rcp.append((o["iuv"], rid, o["transfers"]))
    # entry 0 matched (every transfer to the Ente), entry 1 with a wrong amount, an entry without receipt,
    # receipt 2 left out of the flow
    own = lambda r: [(r[0], r[1], int(t[0]), int(t[1])) for t in r[2] if t[2] == ST["cf"]]
    e0, e1 = own(rcp[0]), own(rcp[1])
    wrong = [(e1[0][0], e1[0][1], e1[0][2], e1[0][3] + 1)] + e1[1:]
    ghost = [(ST["unknown"][1:], "ghost00000000000000000000000000", 1, 1234)]
    p = write(srv, "f1.xml", flow("2026-10-05%s-0001" % FDR_PSP, "2026-10-06T01:00:00", e0 + wrong + ghost))
    r = srv.cli("fdr", "import", p)
    assert_eq(r.returncode, 0, r.stderr)
    out = r.stdout
    assert re.search(r"abbinate\s+%d\n" % len(e0), out), out
    assert re.search(r"ricevuta mancante\s+1\n", out), out
    assert re.search(r"importo diverso\s+1\n", out), out
    assert re.search(r"mancanti nel flusso\s+%d\n" % len(own(rcp[2])), out), out
    assert_in("ghost00000000000000000000000000", out)
    assert_in(rcp[2][1], out)
    reconciled = lambda rid: srv.sql("SELECT reconciled_at IS NOT NULL FROM pagopa_receipt WHERE receipt_id = "
                                     "'%s'" % rid) in ("1", "t")
    assert reconciled(rcp[0][1]) and not reconciled(rcp[1][1]) and not reconciled(rcp[2][1])
    # the same flow again: refused, nothing changes
    r = srv.cli("fdr", "import", p, check=False)
    assert_eq(r.returncode, 1)
    assert_in("già importato", r.stderr)
    # a revision (later dataOraFlusso) with the right amount and receipt 2 replaces it
    p2 = write(srv, "f2.xml", flow("2026-10-05%s-0001" % FDR_PSP, "2026-10-06T09:30:00", e0 + e1 + own(rcp[2])))
    r = srv.cli("fdr", "import", "--ente", BORGO, p2)
    assert_eq(r.returncode, 0, r.stderr)
    assert_in("revisione", r.stdout)
    n = len(e0) + len(e1) + len(own(rcp[2]))
    assert re.search(r"abbinate\s+%d\n" % n, r.stdout), r.stdout
    assert re.search(r"mancanti nel flusso\s+0\n", r.stdout), r.stdout
    assert all(reconciled(x[1]) for x in rcp)
    assert_eq(srv.sql("SELECT state FROM pagopa_fdr ORDER BY id"), "replaced\ncurrent")
    assert_eq(count(srv, "SELECT COUNT(*) FROM pagopa_fdr_entry"), n)
    # a flow for another Ente with --ente: refused; bad XML: refused, nothing written
    r = srv.cli("fdr", "import", "--ente", "valle-immaginaria", p2, check=False)
    assert_eq(r.returncode, 1)
    bad = write(srv, "bad.xml", flow("X-1", "2026-10-06T09:30:00", e0).replace("</FlussoRiversamento>", ""))
    r = srv.cli("fdr", "import", bad, check=False)
    assert_eq(r.returncode, 1)
    assert_eq(count(srv, "SELECT COUNT(*) FROM pagopa_fdr"), 2)
    # the shared example imports (its Ente is unknown here: a clear refusal)
    r = srv.cli("fdr", "import", os.path.join(SHARED, "examples", "fdr", "FlussoRiversamento.example.xml"),
                check=False)
    assert_eq(r.returncode, 1)
    assert_in("77777777777", r.stderr)


def token(srv, *entes):
    args = ["api-token", "create", "--name", "sanp-%d" % time.time_ns()]
    for e in entes:
        args += ["--ente", e]
    out = srv.cli(*args).stdout
    return max(re.findall(r"[A-Za-z0-9_-]{40,}", out), key=len)


def t_receipts_api(srv):
    tok = token(srv, BORGO)
    c = srv.client()
    h = {"Authorization": "Bearer " + tok}
    total = count(srv, "SELECT COUNT(*) FROM pagopa_receipt WHERE ente_id = %d" % ST["ente_id"])
    assert total >= 8, total
    seen, since, pages = [], 0, 0
    while True:
        r = c.get("/api/v1/receipts?ente=%s&since=%d&limit=3" % (BORGO, since), headers=h)
        assert_eq(r.status, 200, r.text)
        j = r.json()
        seen += [i["id"] for i in j["items"]]
        since = j["next_since"]
        pages += 1
        if not j["more"]:
            break
    assert_eq(seen, sorted(seen))
    assert_eq(len(seen), len(set(seen)))
    assert_eq(len(seen), total)
    assert pages >= 3
    r = c.get("/api/v1/receipts?ente=%s&limit=1000" % BORGO, headers=h)
    items = {i["receipt_id"]: i for i in r.json()["items"]}
    b = items[ST["booked_rt"]]
    assert_eq(b["state"], "booked")
    assert_eq(b["transfers"][0]["id_transfer"], 1)
    assert_eq(items["unmatched000000000000000000000002"]["state"], "refunded")
    assert items["fdr%029d" % 0]["reconciled"]
    for q in ("since=-1", "since=abc", "limit=0", "limit=1001"):
        r = c.get("/api/v1/receipts?ente=%s&%s" % (BORGO, q), headers=h)
        assert_eq(r.status, 422, q)
    other = token(srv, "valle-immaginaria")
    r = c.get("/api/v1/receipts?ente=%s" % BORGO, headers={"Authorization": "Bearer " + other})
    assert_eq(r.status, 404)
    r = c.get("/api/v1/receipts?ente=valle-immaginaria", headers={"Authorization": "Bearer " + other})
    assert_eq(r.json()["items"], [])


def t_audit(srv):
    assert count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'pagopa.receipt'") >= 8
    assert count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'pagopa.fdr.revision'") == 1
    r = srv.cli("audit", "verify")
    assert_eq(r.returncode, 0, r.stdout + r.stderr)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: test_sanp.py BINARY sqlite|pg [PG_ADMIN_URL]")
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("sanp/%s" % backend)
    srv = Server(binary, backend, pg, taxpayers=20, env={
        "SPORTELLO_PAGOPA_BROKER_ID": BROKER, "SPORTELLO_PAGOPA_STATION_ID": STATION,
        "SPORTELLO_PAGOPA_MAX_REQUEST_BYTES": "262144"})
    try:
        tap.run("setup: demo notices in every state", t_setup, srv)
        for name, fn in [
            ("paVerifyPaymentNotice: amount due today, schema-valid", t_verify),
            ("paGetPayment and V2: transfers summing to the amount, metadata", t_get_payment),
            ("stamp duty: richiestaMarcaDaBollo in V2, KO in V1, receipt with MBD", t_stamp),
            ("paSendRT and V2: stored with raw XML, booked, duplicate answered PAA_RECEIPT_DUPLICATA", t_send_rt),
            ("the same receipt on 16 connections at once books once", t_concurrent),
            ("unmatched receipts stored in the review queue, resolved and refunded", t_unmatched),
            ("paDemandPaymentNotice: a spontaneous position and its NAV", t_demand),
            ("fault paths: notices, domain, broker, station, malformed, XXE, oversize", t_faults),
            ("allowed_ips", t_allowed_ips),
            ("FdR import: matched, missing, mismatch, missing in flow, revision", t_fdr),
            ("GET /api/v1/receipts paging", t_receipts_api),
            ("audit rows, chain verifies", t_audit),
        ]:
            if "cf" in ST:
                tap.run(name, fn, srv)
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
