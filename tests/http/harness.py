"""A tiny harness for the HTTP tests: runs the real `sportello` binary on a
fresh database (SQLite file or a new PostgreSQL database), speaks HTTP with
http.client (no redirects followed, cookies kept by hand) and prints TAP.
"""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from htmlcheck import check as html_check  # noqa: E402

SOURCE = os.path.abspath(os.path.join(HERE, "..", ".."))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def headers_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Client:
    """One browser-like user: keeps cookies, fills in the CSRF token."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, raw=False):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if body is not None and not isinstance(body, (bytes, str)) and not raw:
            body = urllib.parse.urlencode(body)
            h.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if isinstance(body, str):
            body = body.encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        headers = r.getheaders()
        conn.close()
        for k, v in headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in v or value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        return Response(r.status, headers, data)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form, csrf=True, **kw):
        """POSTs a form; with csrf=True the token is taken from the page."""
        form = dict(form)
        if csrf is True:
            page = self.get(path if kw.get("csrf_from") is None else kw.pop("csrf_from"))
            m = re.search(r'name="_csrf" value="([^"]*)"', page.text)
            form["_csrf"] = m.group(1) if m else ""
        kw.pop("csrf_from", None)
        return self.request("POST", path, body=form, **kw)

    def login(self, username, password="demo-password-2026"):
        r = self.post("/accedi", {"username": username, "password": password})
        return r


class Server:
    """The binary under test, on a fresh database with demo data."""

    def __init__(self, binary, backend, pg_admin_url=None, taxpayers=60, env=None, demo_args=()):
        self.binary = binary
        self.backend = backend
        self.port = free_port()
        self.tmp = "/tmp/sportello-http-%d-%d" % (os.getpid(), self.port)
        os.makedirs(self.tmp, exist_ok=True)
        if backend == "sqlite":
            self.db_url = "sqlite:%s/test.db" % self.tmp
        else:
            name = "sp_http_%d_%d" % (os.getpid(), self.port)
            self.pg_admin_url = pg_admin_url
            subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", pg_admin_url, "-c",
                            "CREATE DATABASE %s" % name], check=True, capture_output=True)
            self.db_url = pg_admin_url.rsplit("/", 1)[0] + "/" + name
            self.pg_name = name
        self.env = dict(os.environ)
        self.env.update({
            "SPORTELLO_DATABASE_URL": self.db_url,
            "SPORTELLO_SERVER_STATIC_DIR": os.path.join(SOURCE, "web", "static"),
            "SPORTELLO_PWHASH_FAST": "1",
            "SPORTELLO_SERVER_THREADS": "4",
        })
        self.env.update(env or {})
        self.cli("migrate")
        self.cli("demo-data", "--taxpayers", str(taxpayers), *demo_args)
        self.log = open(os.path.join(self.tmp, "server.log"), "w")
        self.proc = None
        self.start()

    def cli(self, *args, input=None, check=True, env=None):
        e = dict(self.env)
        e.update(env or {})
        r = subprocess.run([self.binary] + list(args), env=e, input=input,
                           capture_output=True, text=True)
        if check and r.returncode != 0:
            raise RuntimeError("sportello %s failed (%d): %s %s" % (
                " ".join(args), r.returncode, r.stdout, r.stderr))
        return r

    def start(self):
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--listen", "127.0.0.1:%d" % self.port, "--no-workers"],
            env=self.env, stdout=self.log, stderr=self.log)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("server exited: see %s/server.log" % self.tmp)
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                rc = self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = -9
            self.proc = None
            return rc
        return None

    def bugs(self):
        """Server log lines reporting a bug (a write outside a transaction,
        a request that ended inside one)."""
        with open(os.path.join(self.tmp, "server.log"), errors="replace") as f:
            return [line.strip() for line in f if " bug: " in line]

    def sql(self, statement):
        """Runs SQL straight on the database (tampering, counting)."""
        if self.backend == "sqlite":
            r = subprocess.run(["sqlite3", "-cmd", ".timeout 10000", self.db_url[len("sqlite:"):], statement],
                               capture_output=True, text=True, check=True)
        else:
            r = subprocess.run(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", self.db_url, "-c", statement],
                               capture_output=True, text=True, check=True)
        return r.stdout.strip()

    def client(self):
        return Client(self.port)


class Tap:
    def __init__(self, prefix):
        self.prefix = prefix
        self.n = 0
        self.failed = 0

    def run(self, name, fn, *args):
        self.n += 1
        try:
            fn(*args)
            print("ok %d - %s %s" % (self.n, self.prefix, name), flush=True)
        except Exception as e:  # noqa: BLE001 - any failure is a failed test
            self.failed += 1
            print("not ok %d - %s %s" % (self.n, self.prefix, name), flush=True)
            for line in traceback.format_exc().splitlines():
                print("# " + line, flush=True)
            del e

    def done(self):
        print("1..%d" % self.n, flush=True)
        return 1 if self.failed else 0


def assert_eq(a, b, msg=""):
    if a != b:
        raise AssertionError("%r != %r %s" % (a, b, msg))


def assert_in(needle, hay, msg=""):
    if needle not in hay:
        raise AssertionError("%r not found %s" % (needle, msg))


def assert_valid_html(resp):
    errs = html_check(resp.text)
    if errs:
        raise AssertionError("HTML not valid: " + "; ".join(errs[:8]))
