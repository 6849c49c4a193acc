#!/usr/bin/env python3
"""Video appointments on the real binary: a video booking through the API
gets a room id (32 hex digits) and a link in the confirmation; the room
refuses a guessed or malformed id and another Ente's path (404), is closed
before its window and after it (403 with a clear Italian page), lets the
citizen in by the link and the operator signed in (another Ente's operator
404, a second operator of the Ente 403 once the first has spoken); the
configuration gives TURN credentials whose password is checked against
`openssl dgst -sha1 -hmac`; signalling over server-sent events and POST
(each side sees the other's signals, both see the chat, Last-Event-ID),
CSRF, size and kind limits; the office agenda links the call; the chat
stays on the appointment for the operator afterwards.
Usage: test_video.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import base64
import calendar
import re
import secrets
import subprocess
import sys

from harness import Server, Tap, assert_eq, assert_in, assert_valid_html

BORGO = "borgo-fittizio"
VALLE = "valle-immaginaria"
# Monday 23 November 2026, 08:00 in Rome (07:00 UTC)
NOW = calendar.timegm((2026, 11, 23, 7, 0, 0))
# Tuesday 24 November 2026, 09:00 in Rome: Borgo's first video slot
START = calendar.timegm((2026, 11, 24, 8, 0, 0))
SECRET = "segreto-di-prova-coturn"
TTL = 900


def openssl_password(secret, username):
    """coturn's REST API password, computed by the openssl command."""
    out = subprocess.run(["openssl", "dgst", "-sha1", "-hmac", secret, "-binary"],
                         input=username.encode(), capture_output=True, check=True).stdout
    return base64.b64encode(out).decode()


def csrf_of(page):
    m = re.search(r'data-csrf="([^"]+)"', page.text)
    assert m, "no data-csrf on the call page"
    return m.group(1)


def events(client, base, after=0, last=None):
    h = {"Last-Event-ID": str(last)} if last is not None else None
    r = client.request("GET", "%s/eventi?dopo=%d" % (base, after), headers=h)
    assert_eq(r.status, 200, r.text)
    assert r.header("Content-Type").startswith("text/event-stream"), r.header("Content-Type")
    out = []
    for block in r.text.split("\n\n"):
        ident = re.search(r"^id: (\d+)$", block, re.M)
        data = re.search(r"^data: (.*)$", block, re.M)
        if ident and data:
            import json
            out.append(json.loads(data.group(1)))
    return out


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    srv = Server(binary, backend, pg, taxpayers=10, env={
        "SPORTELLO_TEST_NOW": str(NOW),
        "SPORTELLO_VIDEO_TURN_URLS": "stun:127.0.0.1:3478,turn:127.0.0.1:3478?transport=udp",
        "SPORTELLO_VIDEO_TURN_SECRET": SECRET,
        "SPORTELLO_VIDEO_CREDENTIAL_TTL": str(TTL),
    })
    token = srv.cli("api-token", "create", "--name", "sito", "--ente", BORGO).stdout.strip().splitlines()[-1]
    srv.cli("user", "add", "--username", "operatore.valle", "--name", "Vera Valli", "--role", "operator",
            "--office", "NORD-01", "--ente", VALLE, env={"SPORTELLO_PASSWORD": "password-valle-2026"})
    t = Tap("video")
    st = {}

    def restart(now):
        srv.stop()
        srv.env["SPORTELLO_TEST_NOW"] = str(now)
        srv.start()

    def book():
        c = srv.client()
        h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
        import json
        body = {"topic": "imu", "counter": None, "start": "2026-11-24T09:00:00",
                "fiscal_code": "RSSMRA80A01H501U", "name": "Maria Rossi",
                "email": "maria.rossi@example.org", "reason": "IMU", "privacy_consent": True,
                "video": True}
        r = c.request("GET", "/api/v1/agenda/slots?ente=%s&topic=imu&from=2026-11-24&to=2026-11-24" % BORGO,
                      headers={"Authorization": "Bearer " + token})
        assert_eq(r.status, 200, r.text)
        slot = [s for s in r.json()["slots"] if s["start"] == "2026-11-24T09:00:00"][0]
        body["counter"] = slot["counter"]
        r = c.request("POST", "/api/v1/appointments?ente=" + BORGO, body=json.dumps(body), headers=h, raw=True)
        assert_eq(r.status, 201, r.text)
        j = r.json()
        assert re.fullmatch(r"[0-9a-f]{32}", j["room_id"]), j
        st["room"] = j["room_id"]
        st["id"] = j["id"]
        st["token"] = j["cancel_token"]
        st["base"] = "/enti/%s/video/%s" % (BORGO, st["room"])
        st["obase"] = "/ufficio/%s/agenda/%d/video" % (BORGO, st["id"])
        # only the hash is stored; the confirmation carries the link
        assert_eq(srv.sql("SELECT count(*) FROM agenda_appointment WHERE id = %d AND room_id IS NULL "
                          "AND length(room_hash) = 64" % st["id"]), "1")
        assert_eq(srv.sql("SELECT count(*) FROM agenda_appointment WHERE room_hash = '%s'" % st["room"]), "0")
        body_text = srv.sql("SELECT body_text FROM outbox WHERE object_type = 'agenda_appointment' "
                            "AND object_id = %d" % st["id"])
        assert_in("/enti/%s/video/%s" % (BORGO, st["room"]), body_text)

    def refused_ids():
        c = srv.client()
        for path in ["/enti/%s/video/%s" % (BORGO, secrets.token_hex(16)),
                     "/enti/%s/video/%s/config" % (BORGO, secrets.token_hex(16)),
                     "/enti/%s/video/%s" % (BORGO, st["room"].upper()),
                     "/enti/%s/video/%s" % (BORGO, st["room"][:-1]),
                     "/enti/%s/video/%s" % (VALLE, st["room"])]:
            r = c.get(path)
            assert_eq(r.status, 404, path)
        r = c.get("/enti/%s/video/%s" % (BORGO, secrets.token_hex(16)))
        assert_in("Pagina non trovata", r.text)

    def not_open_yet():
        c = srv.client()
        r = c.get(st["base"])
        assert_eq(r.status, 403)
        assert_in("non è ancora aperta", r.text)
        assert_valid_html(r)
        r = c.get(st["base"] + "/config")
        assert_eq(r.status, 403)
        assert_eq(r.json()["error"]["code"], "video_not_open")

    def citizen_and_config():
        restart(START - 5 * 60)
        c = srv.client()
        r = c.get(st["base"])
        assert_eq(r.status, 200, r.text[:300])
        assert_valid_html(r)
        assert_in('src="/static/js/video.js"', r.text)
        assert "<script>" not in r.text
        # the call page alone may use camera and microphone (our own origin)
        assert_eq(r.header("Permissions-Policy"), "camera=(self), microphone=(self), geolocation=()")
        assert_eq(c.get("/enti/%s" % BORGO).header("Permissions-Policy"),
                  "camera=(), microphone=(), geolocation=()")
        st["ccsrf"] = csrf_of(r)
        st["citizen"] = c
        r = c.get(st["base"] + "/config")
        assert_eq(r.status, 200, r.text)
        j = r.json()
        assert_eq(j["role"], "citizen")
        assert_eq(j["seq"], 0)
        assert_eq(j["iceServers"][0], {"urls": ["stun:127.0.0.1:3478"]})
        turn = j["iceServers"][1]
        assert_eq(turn["urls"], ["turn:127.0.0.1:3478?transport=udp"])
        expiry, tag = turn["username"].split(":", 1)
        assert_eq(int(expiry), START - 5 * 60 + TTL)
        assert st["room"] not in tag, tag
        assert_eq(turn["credential"], openssl_password(SECRET, turn["username"]))
        assert turn["credential"] != openssl_password(SECRET + "x", turn["username"])

    def by_booking_token():
        c = srv.client()
        manage = "/enti/%s/prenotazione/%s" % (BORGO, st["token"])
        r = c.get(manage)
        assert_eq(r.status, 200)
        assert_in('href="%s/video"' % manage, r.text)
        assert_in("Entra nella videochiamata", r.text)
        r = c.get(manage + "/video")
        assert_eq(r.status, 200)
        assert_valid_html(r)
        assert_in('data-config="%s/video/config"' % manage, r.text)
        j = c.get(manage + "/video/config").json()
        assert_eq(j["role"], "citizen")
        assert_eq(c.get("/enti/%s/prenotazione/%s/video" % (BORGO, secrets.token_hex(32))).status, 404)

    def operator_joins():
        o = srv.client()
        o.login("operatore")
        r = o.get(st["obase"])
        assert_eq(r.status, 200, r.text[:300])
        assert_valid_html(r)
        assert_in("Maria Rossi", r.text)
        st["ocsrf"] = csrf_of(r)
        st["operator"] = o
        j = o.get(st["obase"] + "/config").json()
        assert_eq(j["role"], "operator")
        assert j["iceServers"][1]["username"].endswith("-o"), j
        # the office agenda of that day links the call
        r = o.get("/ufficio/%s/agenda?giorno=2026-11-24" % BORGO)
        assert_in('href="%s"' % st["obase"], r.text)
        assert_in("Avvia videochiamata", r.text)
        # an operator of another Ente: not found; nobody signed in: sign-in
        v = srv.client()
        v.login("operatore.valle", "password-valle-2026")
        assert_eq(v.get(st["obase"]).status, 404)
        assert_eq(v.get(st["obase"] + "/config").status, 404)
        assert_eq(srv.client().get(st["obase"]).status, 303)
        assert_eq(srv.client().get(st["obase"] + "/config").status, 401)

    def signalling():
        c, o = st["citizen"], st["operator"]
        r = c.post(st["base"] + "/messaggi", {"_csrf": st["ccsrf"], "kind": "join", "text": "{}"}, csrf=False)
        assert_eq(r.status, 201, r.text)
        assert_eq(r.json()["seq"], 1)
        r = o.post(st["obase"] + "/messaggi", {"_csrf": st["ocsrf"], "kind": "offer",
                                               "text": '{"call":"a1","type":"offer","sdp":"v=0\\r\\n"}'},
                   csrf=False)
        assert_eq(r.status, 201, r.text)
        got = events(o, st["obase"])
        assert_eq([m["kind"] for m in got], ["join"])
        assert_eq(got[0]["from"], "citizen")
        got = events(c, st["base"])
        assert_eq([m["kind"] for m in got], ["offer"])
        assert_in("v=0", got[0]["body"])
        for who, csrf, base, text in [(c, st["ccsrf"], st["base"], "Buongiorno, mi vede?"),
                                      (o, st["ocsrf"], st["obase"], "Sì, la vedo bene.")]:
            r = who.post(base + "/messaggi", {"_csrf": csrf, "kind": "chat", "text": text}, csrf=False)
            assert_eq(r.status, 201, r.text)
        got = events(c, st["base"], after=2)
        assert_eq([(m["kind"], m["from"]) for m in got], [("chat", "citizen"), ("chat", "operator")])
        # Last-Event-ID wins over an older ?dopo=
        got = events(c, st["base"], after=0, last=3)
        assert_eq([m["body"] for m in got], ["Sì, la vedo bene."])
        j = c.get(st["base"] + "/config").json()
        assert_eq(j["seq"], 4)
        assert_eq([m["body"] for m in j["chat"]], ["Buongiorno, mi vede?", "Sì, la vedo bene."])

    def limits():
        c, o = st["citizen"], st["operator"]
        r = c.post(st["base"] + "/messaggi", {"kind": "join", "text": "{}"}, csrf=False)
        assert_eq(r.status, 403)
        assert_eq(r.json()["error"]["code"], "csrf")
        big = '{"sdp":"%s"}' % ("a" * 17000)
        r = c.post(st["base"] + "/messaggi", {"_csrf": st["ccsrf"], "kind": "offer", "text": big}, csrf=False)
        assert_eq(r.status, 422)
        assert_eq(r.json()["error"]["fields"][0]["field"], "body")
        r = c.post(st["base"] + "/messaggi", {"_csrf": st["ccsrf"], "kind": "chat", "text": "x" * 1001},
                   csrf=False)
        assert_eq(r.status, 422)
        r = c.post(st["base"] + "/messaggi", {"_csrf": st["ccsrf"], "kind": "eval", "text": "{}"}, csrf=False)
        assert_eq(r.status, 422)
        assert_eq(r.json()["error"]["fields"][0]["field"], "kind")
        # a second operator of the Ente, once the first has spoken: refused
        g = srv.client()
        g.login("gestore")
        r = g.get(st["obase"])
        assert_eq(r.status, 403)
        assert_in("assegnata a un altro operatore", r.text)
        assert_eq(g.get(st["obase"] + "/config").status, 403)

    def after_the_call():
        restart(START + 30 * 60 + 31 * 60)
        c = srv.client()
        r = c.get(st["base"])
        assert_eq(r.status, 403)
        assert_in("è chiusa", r.text)
        assert "Sì, la vedo bene." not in r.text
        assert_eq(c.get(st["base"] + "/eventi").status, 403)
        o = srv.client()
        o.login("operatore")
        r = o.get(st["obase"])
        assert_eq(r.status, 200)
        assert_valid_html(r)
        assert_in("è chiusa", r.text)
        assert_in("Buongiorno, mi vede?", r.text)
        assert_in("Sì, la vedo bene.", r.text)
        assert 'id="video-call"' not in r.text

    t.run("a video booking gets a room id, stored hashed, linked in the mail", book)
    t.run("guessed, malformed and other-Ente room ids: 404", refused_ids)
    t.run("before its window the room is closed (403, Italian page)", not_open_yet)
    t.run("the citizen by the link; TURN credentials as openssl computes them", citizen_and_config)
    t.run("the citizen by the booking's own link too", by_booking_token)
    t.run("the operator signed in; other Ente 404; agenda links the call", operator_joins)
    t.run("signalling and chat over SSE and POST", signalling)
    t.run("CSRF, size and kind limits; a second operator refused", limits)
    t.run("after the window: closed for the citizen, chat kept for the operator", after_the_call)
    t.run("no bug lines in the server log", lambda: assert_eq(srv.bugs(), []))
    srv.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
