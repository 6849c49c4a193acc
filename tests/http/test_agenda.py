#!/usr/bin/env python3
"""The front office on the real binary: the Ente's public pages without
signing in, the JSON API (slots, booking: 201/409/422), 32 concurrent
bookings of one single-place slot through the API and through the public
form (exactly one succeeds, the others are told the time is no longer
available), cancel and change by the confirmation link, the per-client
limit, the office agenda and counters pages, and the mails at the test SMTP
server: the confirmation with a valid .ics (parsed back with
python-icalendar) at once, the reminder only once its time has come
(SPORTELLO_TEST_NOW).
Usage: test_agenda.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import calendar
import email
import email.policy
import json
import re
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from harness import Server, Tap, assert_eq, assert_in, assert_valid_html

try:
    import icalendar
except ImportError:  # pragma: no cover - installed by scripts/install-deps
    icalendar = None

BORGO = "borgo-fittizio"
# Monday 23 November 2026, 08:00 in Rome (07:00 UTC)
NOW = calendar.timegm((2026, 11, 23, 7, 0, 0))
ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3,
       6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def cf(n):
    """The n-th of 336 valid codici fiscali."""
    month = "ABCDEHLMPRST"[n // 28 % 12]
    body = "RSSMRA80%s%02dH501" % (month, n % 28 + 1)
    total = 0
    for i, c in enumerate(body):
        v = int(c) if c.isdigit() else ord(c) - 65
        total += (ODD[int(c)] if c.isdigit() else ODD[10 + v]) if i % 2 == 0 else v
    return body + chr(65 + total % 26)


class SmsGateway:
    """A stand-in for the SMS gateway on loopback (no real one can run here):
    keeps the JSON body and the Authorization header of every POST."""

    def __init__(self):
        import http.server
        import json as _json
        gw = self
        self.received = []

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                gw.received.append((self.headers.get("Authorization"), _json.loads(self.rfile.read(n))))
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), H)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


class SmtpSink:
    """A minimal SMTP server on loopback keeping every message it gets."""

    def __init__(self):
        self.messages = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.session, args=(conn,), daemon=True).start()

    def session(self, conn):
        f = conn.makefile("rb")
        conn.sendall(b"220 sink ESMTP\r\n")
        data = None
        while True:
            line = f.readline()
            if not line:
                break
            if data is not None:
                if line in (b".\r\n", b".\n"):
                    self.messages.append(b"".join(data))
                    data = None
                    conn.sendall(b"250 OK\r\n")
                else:
                    data.append(line[1:] if line.startswith(b"..") else line)
                continue
            cmd = line[:4].upper()
            if cmd in (b"EHLO", b"HELO"):
                conn.sendall(b"250-sink\r\n250 8BITMIME\r\n")
            elif cmd == b"DATA":
                data = []
                conn.sendall(b"354 go on\r\n")
            elif cmd == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                break
            else:
                conn.sendall(b"250 OK\r\n")
        conn.close()

    def subjects(self):
        out = []
        for raw in self.messages:
            m = email.message_from_bytes(raw, policy=email.policy.default)
            out.append(str(m["Subject"]))
        return out


def local_iso(ts):
    """UTC instant -> Rome local ISO without offset (CET in November/December)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts + 3600))


def api(srv, token, method, path, body=None):
    c = srv.client()
    h = {"Authorization": "Bearer " + token}
    if body is not None:
        h["Content-Type"] = "application/json"
        body = json.dumps(body)
    return c.request(method, path, body=body, headers=h, raw=True)


def free_slots(srv, token, day, topic="tari"):
    r = api(srv, token, "GET", "/api/v1/agenda/slots?ente=%s&topic=%s&from=%s&to=%s" % (BORGO, topic, day, day))
    assert_eq(r.status, 200, r.text)
    return [s for s in r.json()["slots"] if s["available"] > 0]


def booking(slot, n, **kw):
    b = {"topic": "tari", "counter": slot["counter"], "start": slot["start"],
         "fiscal_code": cf(n), "name": "Persona %d" % n, "email": "p%d@example.org" % n,
         "reason": "Avviso TARI", "privacy_consent": True}
    b.update(kw)
    return b


def form_client(srv, path):
    """An anonymous browser that has loaded the booking form (CSRF cookie)."""
    c = srv.client()
    page = c.get(path)
    m = re.search(r'name="_csrf" value="([^"]*)"', page.text)
    return c, (m.group(1) if m else "")


def form_fields(slot_value, n, csrf, week="2026-W49"):
    return {"_csrf": csrf, "settimana": week, "start": slot_value, "name": "Cittadino %d" % n,
            "fiscal_code": cf(n), "email": "c%d@example.org" % n, "reason": "Rateizzazione",
            "privacy_consent": "1"}


def slot_value(slot):
    m = re.match(r"(\d+)-(\d+)-(\d+)T(\d+):(\d+)", slot["start"])
    y, mo, d, hh, mi = (int(x) for x in m.groups())
    utc = calendar.timegm((y, mo, d, hh, mi, 0)) - 3600
    return "%d-0-%d" % (slot["counter"], utc)


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    sink = SmtpSink()
    gateway = SmsGateway()
    srv = Server(binary, backend, pg, taxpayers=10, env={
        "SPORTELLO_SMS_GATEWAY_URL": "http://127.0.0.1:%d/sms" % gateway.port,
        "SPORTELLO_SMS_TOKEN": "prova-token-sms",
        "SPORTELLO_TEST_NOW": str(NOW),
        "SPORTELLO_AGENDA_BOOKINGS_PER_CLIENT_PER_HOUR": "120",
        "SPORTELLO_MAIL_SMTP_URL": "smtp://127.0.0.1:%d" % sink.port,
        "SPORTELLO_MAIL_SMTP_STARTTLS": "no",
        "SPORTELLO_SERVER_THREADS": "8",
    })
    token = srv.cli("api-token", "create", "--name", "sito", "--ente", BORGO).stdout.strip().splitlines()[-1]
    t = Tap("agenda")
    state = {}

    def public_pages():
        c = srv.client()
        for path in ["/enti/%s/sportelli" % BORGO, "/enti/%s/prenota" % BORGO,
                     "/enti/%s/prenota/tari?settimana=2026-W49" % BORGO,
                     "/enti/valle-immaginaria/sportelli"]:
            r = c.get(path)
            assert_eq(r.status, 200, path)
            assert_valid_html(r)
        r = c.get("/enti/%s/sportelli" % BORGO)
        assert_in("Sportello tributi", r.text)
        assert_in("Prenota un appuntamento", r.text)
        # the portal home links both
        r = c.get("/enti/%s" % BORGO)
        assert_in('href="/enti/%s/prenota"' % BORGO, r.text)
        assert_in('href="/enti/%s/sportelli"' % BORGO, r.text)
        r = c.get("/enti/valle-immaginaria/sportelli")
        assert_in("Formazione del personale", r.text)  # the published closure
        # holiday: Tuesday 8 December
        r = c.get("/enti/%s/prenota/tari?settimana=2026-W50" % BORGO)
        assert_in("Festivo: Immacolata", r.text)
        assert_eq(c.get("/enti/nessuno/prenota").status, 404)
        assert_eq(c.get("/enti/%s/prenota/nessuno" % BORGO).status, 404)

    def api_booking():
        slots = free_slots(srv, token, "2026-12-01")
        assert len(slots) > 4, slots
        assert slots[0]["start"].startswith("2026-12-01T09:"), slots[0]  # Tuesday opens at 9
        state["first"] = slots[0]
        r = api(srv, token, "POST", "/api/v1/appointments?ente=" + BORGO,
                booking(slots[0], 1, mobile="333 1234567", sms_consent=True))
        assert_eq(r.status, 201, r.text)
        j = r.json()
        assert_eq(j["start"], slots[0]["start"])
        assert re.fullmatch(r"[0-9a-f]{64}", j["cancel_token"]), j
        state["api_token"] = j["cancel_token"]
        # the same slot again: 409 slot_full
        r = api(srv, token, "POST", "/api/v1/appointments?ente=" + BORGO, booking(slots[0], 2))
        assert_eq(r.status, 409, r.text)
        assert_eq(r.json()["error"]["code"], "slot_full")
        # 422 naming the field
        for field, body in [("fiscal_code", booking(slots[1], 3, fiscal_code="RSSMRA80A01H501X")),
                            ("privacy_consent", booking(slots[1], 3, privacy_consent=False)),
                            ("start", booking(slots[1], 3, start="2026-12-01T09:07:00")),
                            ("start", booking(slots[1], 3, start="1 dicembre")),
                            ("email", booking(slots[1], 3, email="non-un-indirizzo")),
                            ("topic", booking(slots[1], 3, topic="nessuno"))]:
            r = api(srv, token, "POST", "/api/v1/appointments?ente=" + BORGO, body)
            assert_eq(r.status, 422, field + " " + r.text)
            assert_eq(r.json()["error"]["fields"][0]["field"], field)
        r = api(srv, token, "GET", "/api/v1/agenda/slots?ente=%s&topic=tari&from=2026-12-01&to=2027-12-01" % BORGO)
        assert_eq(r.status, 422)
        # the taken slot is shown full
        r = api(srv, token, "GET", "/api/v1/agenda/slots?ente=%s&topic=tari&from=2026-12-01&to=2026-12-01" % BORGO)
        first = [s for s in r.json()["slots"] if s["start"] == slots[0]["start"]][0]
        assert_eq(first["available"], 0)

    def race(label, fn, n=32):
        with ThreadPoolExecutor(max_workers=n) as ex:
            return list(ex.map(fn, range(n)))

    def api_32():
        slot = free_slots(srv, token, "2026-12-03")[0]
        results = race("api", lambda i: api(srv, token, "POST", "/api/v1/appointments?ente=" + BORGO,
                                            booking(slot, 100 + i)))
        codes = sorted(r.status for r in results)
        assert_eq(codes.count(201), 1, codes)
        assert_eq(codes.count(409), 31, codes)
        for r in results:
            if r.status == 409:
                assert_eq(r.json()["error"]["code"], "slot_full")
                assert_in("non è più disponibile", r.json()["error"]["message"])
        start = slot_value(slot).split("-")[2]
        assert_eq(srv.sql("SELECT count(*) FROM agenda_appointment WHERE start_at = %s" % start), "1")

    def form_32():
        slot = free_slots(srv, token, "2026-12-03")[0]
        value = slot_value(slot)
        path = "/enti/%s/prenota/tari?settimana=2026-W49" % BORGO
        clients = [form_client(srv, path) for _ in range(32)]

        def post(i):
            c, csrf = clients[i]
            return c.request("POST", "/enti/%s/prenota/tari" % BORGO, body=form_fields(value, 200 + i, csrf))
        results = race("form", post)
        codes = sorted(r.status for r in results)
        assert_eq(codes.count(303), 1, codes)
        assert_eq(codes.count(409), 31, codes)
        for r in results:
            if r.status == 409:
                assert_in("non è più disponibile", r.text)
                assert_valid_html(r)
        winner = [r for r in results if r.status == 303][0]
        state["form_manage"] = winner.header("Location").split("?")[0]

    def cancel_change():
        c = srv.client()
        manage = state["form_manage"]
        r = c.get(manage + "?esito=prenotato")
        assert_eq(r.status, 200)
        assert_valid_html(r)
        assert_in("Prenotazione confermata", r.text)
        # a guessed token is a 404
        assert_eq(c.get(manage[:-4] + "0000").status, 404)
        # change to the first free slot of Friday... (Borgo: Tuesday and Thursday)
        target = free_slots(srv, token, "2026-12-10")[0]
        page = c.get(manage + "/sposta?settimana=2026-W50")
        assert_eq(page.status, 200)
        assert_valid_html(page)
        csrf = re.search(r'name="_csrf" value="([^"]*)"', page.text).group(1)
        r = c.request("POST", manage + "/sposta", body={"_csrf": csrf, "settimana": "2026-W50",
                                                        "start": slot_value(target)})
        assert_eq(r.status, 303, r.text[:500])
        assert_in("esito=spostato", r.header("Location"))
        after = [s for s in free_slots(srv, token, "2026-12-10") if s["start"] == target["start"]]
        assert_eq(after, [])
        r = c.get(manage)
        assert_in("10/12/2026", r.text)
        # cancel: the slot is free again; a second cancel is refused
        page = c.get(manage)
        csrf = re.search(r'name="_csrf" value="([^"]*)"', page.text).group(1)
        r = c.request("POST", manage + "/annulla", body={"_csrf": csrf})
        assert_eq(r.status, 303)
        assert_in(target["start"], [s["start"] for s in free_slots(srv, token, "2026-12-10")])
        r = c.request("POST", manage + "/annulla", body={"_csrf": csrf})
        assert_eq(r.status, 409)
        # without the CSRF token nothing happens
        r = srv.client().request("POST", "/enti/%s/prenotazione/%s/annulla" % (BORGO, state["api_token"]), body={})
        assert_eq(r.status, 403)

    def mails():
        # the confirmation goes out at once, with an invitation; the reminder
        # waits for its time (24 hours before)
        srv.cli("jobs", "run")
        deadline = time.time() + 10
        while time.time() < deadline and not any("Conferma" in s for s in sink.subjects()):
            time.sleep(0.1)
        subjects = sink.subjects()
        assert any(s.startswith("Conferma appuntamento") for s in subjects), subjects
        assert not any(s.startswith("Promemoria") for s in subjects), subjects
        raw = [m for m in sink.messages if b"Persona 1" in m or b"p1@example.org" in m][0]
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        ics = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
        assert ics, "no text/calendar part"
        data = ics[0].get_payload(decode=True)
        assert_in(b"BEGIN:VCALENDAR", data)
        if icalendar:
            cal = icalendar.Calendar.from_ical(data)
            ev = [c for c in cal.walk() if c.name == "VEVENT"][0]
            start = ev.decoded("dtstart")
            assert_eq(calendar.timegm(start.utctimetuple()), int(slot_value(state["first"]).split("-")[2]))
            assert_eq(str(cal["method"]), "REQUEST")
        body = msg.get_body(preferencelist=("plain",)).get_content()
        assert_in("/enti/%s/prenotazione/" % BORGO, body)
        # one minute before the reminder time: nothing; at the time: sent
        remind_at = int(slot_value(state["first"]).split("-")[2]) - 24 * 3600
        srv.cli("jobs", "run", env={"SPORTELLO_TEST_NOW": str(remind_at - 60)})
        srv.cli("jobs", "run", env={"SPORTELLO_TEST_NOW": str(remind_at - 60)})
        assert not any(s.startswith("Promemoria") for s in sink.subjects())
        for _ in range(3):  # the reminder job puts the mail in the outbox, whose job delivers it
            srv.cli("jobs", "run", env={"SPORTELLO_TEST_NOW": str(remind_at + 1)})
        assert any(s.startswith("Promemoria") for s in sink.subjects()), sink.subjects()
        # and by SMS to the mobile given with consent, once, through the gateway
        sms = [b for (auth, b) in gateway.received if b["to"] == "+393331234567"]
        assert_eq(len(sms), 1, gateway.received)
        assert_eq(gateway.received[0][0], "Bearer prova-token-sms")
        assert_in("promemoria appuntamento", sms[0]["text"])
        assert_in("1 dicembre 2026", sms[0]["text"])
        assert_eq(sms[0]["from"], "Sportello")
        # bookings without a mobile or without consent get no SMS
        assert_eq(len(gateway.received), 1, gateway.received)

    def office_pages():
        c = srv.client()
        assert_eq(c.login("operatore").status, 303)
        r = c.get("/ufficio/%s/agenda?giorno=2026-12-01" % BORGO)
        assert_eq(r.status, 200)
        assert_valid_html(r)
        assert_in("Persona 1", r.text)
        r = c.get("/ufficio/%s/agenda?giorno=2026-12-01&vista=settimana" % BORGO)
        assert_eq(r.status, 200)
        assert_valid_html(r)
        appt = srv.sql("SELECT id FROM agenda_appointment WHERE fiscal_code = '%s'" % cf(1))
        page = c.get("/ufficio/%s/agenda?giorno=2026-12-01" % BORGO)
        csrf = re.search(r'name="_csrf" value="([^"]*)"', page.text).group(1)
        r = c.request("POST", "/ufficio/%s/agenda/%s/esito" % (BORGO, appt),
                      body={"_csrf": csrf, "stato": "attended", "giorno": "2026-12-01"})
        assert_eq(r.status, 303)
        assert_eq(srv.sql("SELECT state FROM agenda_appointment WHERE id = %s" % appt), "attended")
        r = c.get("/ufficio/%s/sportelli?settimana=2026-W49" % BORGO)
        assert_eq(r.status, 200)
        assert_valid_html(r)
        assert_in("Minimo rispettato", r.text)
        r = c.get("/ufficio/%s/agenda/prenota?argomento=tari&settimana=2026-W49" % BORGO)
        assert_eq(r.status, 200)
        assert_valid_html(r)
        # the operator books for a caller on the phone
        slot = free_slots(srv, token, "2026-12-03")[0]
        csrf = re.search(r'name="_csrf" value="([^"]*)"', r.text).group(1)
        r = c.request("POST", "/ufficio/%s/agenda/prenota" % BORGO,
                      body={"_csrf": csrf, "argomento": "tari", "settimana": "2026-W49",
                            "start": slot_value(slot), "name": "Chiamante", "fiscal_code": cf(300),
                            "mobile": "333 1234567", "channel": "phone", "privacy_consent": "1"})
        assert_eq(r.status, 303, r.text[:300])
        assert_eq(srv.sql("SELECT channel FROM agenda_appointment WHERE fiscal_code = '%s'" % cf(300)), "phone")
        # the Ente's staff may look but not edit counters
        e = srv.client()
        e.login("ente.borgo")
        assert_eq(e.get("/ufficio/%s/sportelli" % BORGO).status, 200)
        # a manager adds a closure through the page
        g = srv.client()
        g.login("gestore")
        page = g.get("/ufficio/%s/sportelli" % BORGO)
        csrf = re.search(r'name="_csrf" value="([^"]*)"', page.text).group(1)
        r = g.request("POST", "/ufficio/%s/sportelli/chiusura" % BORGO,
                      body={"_csrf": csrf, "chiusura_counter": "0", "chiusura_from": "2026-12-17",
                            "chiusura_to": "2026-12-17", "chiusura_reason": "Inventario"})
        assert_eq(r.status, 303)
        assert_eq(free_slots(srv, token, "2026-12-17"), [])
        r = g.request("POST", "/ufficio/%s/sportelli/chiusura" % BORGO,
                      body={"_csrf": csrf, "chiusura_counter": "0", "chiusura_from": "17/12/2026",
                            "chiusura_reason": "x"})
        assert_eq(r.status, 422)
        assert_in('href="#f-chiusura_from"', r.text)

    def per_client_limit():
        path = "/enti/%s/prenota/tari?settimana=2026-W49" % BORGO
        c, csrf = form_client(srv, path)
        statuses = []
        for i in range(130):
            r = c.request("POST", "/enti/%s/prenota/tari" % BORGO, body=form_fields("bad", 400, csrf))
            statuses.append(r.status)
            if r.status == 429:
                break
        assert_eq(statuses[-1], 429, statuses[-5:])
        assert_in(422, statuses)

    t.run("public pages without signing in", public_pages)
    t.run("API: slots, 201 with the token, 409 full, 422 naming the field", api_booking)
    t.run("32 concurrent API bookings of one slot: exactly one", api_32)
    t.run("32 concurrent form bookings of one slot: exactly one", form_32)
    t.run("cancel and change by the link", cancel_change)
    t.run("confirmation with .ics at once, reminder at its time", mails)
    t.run("office agenda, marks, booking for a caller, counters page", office_pages)
    t.run("per-client limit on the public form", per_client_limit)
    t.run("no bug lines in the server log", lambda: assert_eq(srv.bugs(), []))
    srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
