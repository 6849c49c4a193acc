#!/usr/bin/env python3
"""What an attacker tried against the server (issue 5), against the real
binary: slow request heads from many addresses must not keep anyone else
out, oversized request heads and too many query parameters get a prompt
4xx with a body, a forged second X-Forwarded-For line is not believed, and
text that is not valid UTF-8 or holds control characters is refused (422
naming the field) before anything is written.
Usage: test_hardening.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

from harness import Server, Tap, assert_eq, assert_in, assert_valid_html
from test_admin import piva
from test_http import BORGO, api_token, count, make_cf, person_form, restarted_with

HEAD_TIMEOUT = 2  # server.header_timeout_seconds in these tests


def raw(srv, data, source="127.0.0.1", timeout=10):
    """Sends bytes on a fresh connection from the given loopback address;
    returns (seconds until the server closed or answered fully, bytes)."""
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((source, 0))
    t0 = time.time()
    s.connect(("127.0.0.1", srv.port))
    try:
        s.sendall(data)
    except OSError:
        pass  # the server may answer and close before everything is sent
    out = b""
    try:
        while True:
            part = s.recv(65536)
            if not part:
                break
            out += part
    except OSError:
        pass
    s.close()
    return time.time() - t0, out


def status_of(resp):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", resp)
    return int(m.group(1)) if m else None


def body_of(resp):
    return resp.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in resp else b""


# ---- availability ----------------------------------------------------------

def t_head_deadline(srv):
    """A client that trickles header lines is cut off when the head deadline
    passes, although every line resets libmicrohttpd's idle timeout."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=1)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    t0 = time.time()
    closed_at = None
    while time.time() - t0 < 3 * HEAD_TIMEOUT + 1:
        try:
            s.sendall(b"X-Slow: a\r\n")
            data = s.recv(100)
            if data == b"":
                closed_at = time.time() - t0
                break
        except socket.timeout:
            continue  # still open: one more line
        except OSError:
            closed_at = time.time() - t0
            break
        time.sleep(0.2)
    s.close()
    assert closed_at is not None, "slow head never cut off"
    assert closed_at < HEAD_TIMEOUT + 1.5, closed_at
    assert_eq(srv.client().get("/healthz").status, 200)


class Slowloris:
    """n connections from each of the given addresses, each sending a header
    line every `every` seconds and reconnecting when dropped."""

    def __init__(self, port, sources, n, every=1.0):
        self.port, self.sources, self.n, self.every = port, sources, n, every
        self.stop = threading.Event()
        self.connects = 0
        self.socks = {}
        self.thread = threading.Thread(target=self.run, daemon=True)

    def open(self, key):
        s = socket.socket()
        s.setblocking(True)
        s.settimeout(0.2)
        try:
            s.bind((key[0], 0))
            s.connect(("127.0.0.1", self.port))
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            self.connects += 1
            self.socks[key] = s
        except OSError:
            s.close()
            self.socks.pop(key, None)

    def run(self):
        keys = [(src, i) for src in self.sources for i in range(self.n)]
        for k in keys:
            if self.stop.is_set():
                break
            self.open(k)
        while not self.stop.is_set():
            t0 = time.time()
            for k in keys:
                s = self.socks.get(k)
                if s is None:
                    self.open(k)
                    continue
                try:
                    s.sendall(b"X-Slow: a\r\n")
                except OSError:
                    s.close()
                    self.open(k)
            self.stop.wait(max(0.0, self.every - (time.time() - t0)))
        for s in self.socks.values():
            s.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(10)


def t_slowloris_many_addresses(srv):
    """8 addresses x 30 slow connections against a limit of 120: a normal
    client from another address is still answered promptly, every time."""
    sources = ["127.0.0.%d" % i for i in range(2, 10)]
    with Slowloris(srv.port, sources, 30) as attack:
        time.sleep(2.5)  # the attack has filled every slot it can
        times = []
        for _ in range(8):
            try:
                took, resp = raw(srv, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                 source="127.0.0.99", timeout=4)
                ok = status_of(resp) == 200
            except OSError:
                took, ok = 4.0, False
            times.append(round(took, 2) if ok else None)
            time.sleep(0.4)
        connects = attack.connects
    assert connects >= 200, "the attack did not run (%d connections)" % connects
    assert all(t is not None and t < 1.5 for t in times), times
    assert_eq(srv.client().get("/healthz").status, 200)


# ---- oversized heads and query strings --------------------------------------

def t_many_query_parameters(srv):
    q = "&".join("p%d=v" % i for i in range(300))
    for path, json_body in (("/healthz", True), ("/accedi", False),
                            ("/api/v1/taxpayers?ente=%s" % BORGO, True)):
        sep = "&" if "?" in path else "?"
        took, resp = raw(srv, ("GET %s%s%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                               % (path, sep, q)).encode(), timeout=5)
        assert took < 2, (path, took)
        assert_eq(status_of(resp), 414, (path, resp[:200]))
        if path.startswith("/api/"):
            assert_eq(json.loads(body_of(resp))["error"]["code"], "uri_too_long")
        elif path == "/accedi":
            assert_in(b"<html", body_of(resp))
    # a normal number of parameters still works
    r = srv.client().get("/healthz?" + "&".join("p%d=v" % i for i in range(20)))
    assert_eq(r.status, 200)


def t_oversized_head(srv):
    """Every head over server.max_header_bytes (16 KB here) gets a 431 with a
    body, whatever its shape; one just under the limit is served."""
    took, resp = raw(srv, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\nConnection: close\r\n\r\n"
                     % (b"y" * 15000))
    assert_eq(status_of(resp), 200, resp[:200])
    cases = {
        "20KB header": b"X-Big: %s\r\n" % (b"y" * 20000),
        "30KB header": b"X-Big: %s\r\n" % (b"y" * 30000),
        "200KB header": b"X-Big: %s\r\n" % (b"y" * 200000),
        "3000 small headers": b"".join(b"X-%d: a\r\n" % i for i in range(3000)),
        "4000 cookies": b"Cookie: %s\r\n" % b"; ".join(b"c%d=1" % i for i in range(4000)),
    }
    for name, extra in cases.items():
        took, resp = raw(srv, b"GET /accedi HTTP/1.1\r\nHost: x\r\n" + extra +
                         b"Connection: close\r\n\r\n", timeout=5)
        assert took < 2, (name, took)
        assert_eq(status_of(resp), 431, "%s: %r" % (name, resp[:200]))
        assert len(body_of(resp)) > 0, name
    took, resp = raw(srv, b"GET /api/v1/taxpayers HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n"
                     b"Connection: close\r\n\r\n" % (b"y" * 20000), timeout=5)
    assert_eq(status_of(resp), 431, resp[:200])
    assert_eq(json.loads(body_of(resp))["error"]["code"], "headers_too_large")
    took, resp = raw(srv, b"GET /healthz?%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                     % (b"q" * 40000), timeout=5)
    assert took < 2, took
    assert status_of(resp) in (414, 431), resp[:200]
    assert_eq(srv.client().get("/healthz").status, 200)


# ---- X-Forwarded-For ------------------------------------------------------------

def t_forwarded_for_lines(srv):
    """Behind a trusted proxy that appends its own X-Forwarded-For line, a
    line the client sent first must not become its address."""
    def get(lines):
        head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        head += b"".join(b"X-Forwarded-For: %s\r\n" % v.encode() for v in lines)
        return status_of(raw(srv, head + b"\r\n")[1])

    def trusted():
        # the client forges a different first line each time; the proxy's
        # line (10.0.0.7) is the truth: the 6th request is over the limit
        got = [get(["6.6.6.%d" % i, "10.0.0.7"]) for i in range(6)]
        assert_eq(got, [200] * 5 + [429])
        assert_eq(get(["10.0.0.8"]), 200)  # another real client
        # a trusted proxy's entry in the last line is skipped, over both lines
        got = [get(["5.5.5.%d" % i, "10.0.0.9, 127.0.0.1"]) for i in range(6)]
        assert_eq(got, [200] * 5 + [429])
        # a malformed line anywhere: nothing in the header is believed
        got = [get(["nonsense", "10.0.0.10"]) for _ in range(5)]
        assert_eq(got, [200] * 5)  # counted against the proxy itself ...
        assert_eq(get(["10.0.0.11"]), 200)  # ... which is not a client's budget
    restarted_with(srv, {"SPORTELLO_SERVER_RATE_LIMIT_PER_MINUTE": "5",
                         "SPORTELLO_SERVER_TRUSTED_PROXIES": "127.0.0.1"}, trusted)


# ---- text input --------------------------------------------------------------

def form_body(fields, raw_extra):
    """urlencoded body of fields, with raw (already encoded) pairs appended."""
    return urllib.parse.urlencode(fields) + "&" + raw_extra


def t_form_invalid_utf8(srv):
    c = srv.client()
    assert_eq(c.login("operatore").status, 303)
    path = "/ufficio/%s/contribuenti/nuovo" % BORGO
    page = c.get(path)
    token = re.search(r'name="_csrf" value="([^"]*)"', page.text).group(1)
    tps = count(srv, "SELECT COUNT(*) FROM taxpayer")
    audits = count(srv, "SELECT COUNT(*) FROM audit_log")
    for bad, what in (("Form%C0%AF", "overlong"), ("Form%ED%A0%80", "surrogate"),
                      ("Form%FF", "not UTF-8"), ("Ab%01c", "C0 control"), ("Ab%7Fc", "DEL"),
                      ("Ab%C2%85c", "C1 control"), ("Ab%0Ac", "newline in a one-line field")):
        f = person_form(make_cf(40))
        del f["surname"]
        f["_csrf"] = token
        r = c.request("POST", path, body=form_body(f, "surname=" + bad),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert_eq(r.status, 422, "%s: %s" % (what, r.text[:200]))
        assert_in("surname", r.text, what)
        assert_valid_html(r)
    assert_eq(count(srv, "SELECT COUNT(*) FROM taxpayer"), tps)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log"), audits)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE after_json IS NULL"), 0)
    # the same form with a proper accented surname is saved
    f = person_form(make_cf(41), surname="Niccolò D'Àrpino")
    f["_csrf"] = token
    r = c.request("POST", path, body=urllib.parse.urlencode(f),
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_eq(r.status, 303, r.text[:300])


def t_query_invalid_utf8(srv):
    c = srv.client()
    c.login("operatore")
    r = c.get("/ufficio/%s/contribuenti?q=%%FF%%FE" % BORGO)
    assert_eq(r.status, 422)
    assert_in("q", r.text)
    assert_valid_html(r)
    tok = api_token(srv, BORGO)
    h = {"Authorization": "Bearer " + tok}
    for q in ("fiscal_code=%FF%FE", "fiscal_code=AB%00", "q=%C0%AF", "q=a%1Bb"):
        r = c.get("/api/v1/taxpayers?ente=%s&%s" % (BORGO, q), headers=h)
        if "%00" in q:
            assert_eq(r.status, 400, q)  # an encoded NUL is a malformed request
            continue
        assert_eq(r.status, 422, q)
        assert_eq(r.json()["error"]["code"], "invalid_encoding")
        fields = [f["field"] for f in r.json()["error"]["fields"]]
        assert_eq(fields, [q.split("=")[0]], q)


def t_api_invalid_text(srv):
    c = srv.client()
    tok = api_token(srv, BORGO)
    h = {"Authorization": "Bearer " + tok, "Content-Type": "application/json"}
    url = "/api/v1/taxpayers?ente=%s" % BORGO
    tps = count(srv, "SELECT COUNT(*) FROM taxpayer")
    audits = count(srv, "SELECT COUNT(*) FROM audit_log")
    good = {"kind": "person", "fiscal_code": make_cf(42), "surname": "Api", "given_name": "Anna",
            "addresses": [{"kind": "residenza", "street": "Via Roma 1", "postal_code": "00100",
                           "city": "Roma", "province": "RM"}]}
    text = json.dumps(good)
    cases = [
        ("surname", text.replace('"Api"', '"Form\xc0\xaf"').encode("latin-1")),  # raw bad bytes
        ("surname", text.replace('"Api"', '"Api\\u0001"').encode()),
        ("surname", text.replace('"Api"', '"Api\\u0085"').encode()),
        ("addresses[0].street", text.replace('"Via Roma 1"', '"Via\\nRoma"').encode()),
        ("addresses[0].city", text.replace('"Roma"', '"Ro\xff"').encode("latin-1")),
    ]
    for field, body in cases:
        r = c.request("POST", url, body=body, headers=h, raw=True)
        assert_eq(r.status, 422, body)
        fields = [f["field"] for f in r.json()["error"]["fields"]]
        assert_eq(fields, [field], body)
    # the API reads the body as JSON whatever type is declared: checked all the same
    r = c.request("POST", url, body=text.replace('"Api"', '"Api\\u0007"').encode(), raw=True,
                  headers=dict(h, **{"Content-Type": "text/plain"}))
    assert_eq(r.status, 422, r.text)
    assert_eq([f["field"] for f in r.json()["error"]["fields"]], ["surname"])
    assert_eq(count(srv, "SELECT COUNT(*) FROM taxpayer"), tps)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log"), audits)
    r = c.request("POST", url, body=json.dumps(good).encode(), headers=h, raw=True)
    assert_eq(r.status, 201, r.text)


def t_audit_never_empty(srv):
    """Text that reaches a domain write without the HTTP checks (here the
    command line) must never produce an audit row without content."""
    before = count(srv, "SELECT COUNT(*) FROM ente")
    r = subprocess.run([srv.binary, "ente", "add", "--slug", "comune-rotto", "--name",
                        b"Comune \xff", "--fiscal-code", piva("0135792468")],
                       env=srv.env, capture_output=True)
    assert r.returncode != 0, r.stdout
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE after_json IS NULL"), 0)
    assert_eq(count(srv, "SELECT COUNT(*) FROM ente"), before)


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("hardening[%s]" % backend)
    srv = Server(binary, backend, pg, taxpayers=20, env={
        "SPORTELLO_SERVER_HEADER_TIMEOUT_SECONDS": str(HEAD_TIMEOUT),
        "SPORTELLO_SERVER_TIMEOUT_SECONDS": "15",
        "SPORTELLO_SERVER_CONNECTION_LIMIT": "120",
        "SPORTELLO_SERVER_PER_IP_CONNECTION_LIMIT": "30",
        "SPORTELLO_SERVER_MAX_HEADER_BYTES": "16384"})
    try:
        tests = [t_head_deadline, t_slowloris_many_addresses, t_many_query_parameters,
                 t_oversized_head, t_forwarded_for_lines, t_form_invalid_utf8,
                 t_query_invalid_utf8, t_api_invalid_text, t_audit_never_empty]
        for t in tests:
            tap.run(t.__name__[2:], t, srv)
        rc = srv.stop()
        tap.run("clean_shutdown", lambda: assert_eq(rc, 0, "server exit status"))
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
