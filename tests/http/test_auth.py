#!/usr/bin/env python3
"""HTTP tests of sign-in security against the real binary: the throttle keys
on the normalised username and cannot be overrun by parallel attempts; an
attacker cannot lock the real user out; a password reset and a disable end
the user's sessions (admin page and CLI); the anonymous CSRF token is bound
to a server secret.
The server trusts 127.0.0.1 as a proxy, so X-Forwarded-For picks the client
address of each request.
Usage: test_auth.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import re
import sys
import threading

from harness import Server, Tap, assert_eq, assert_in

BORGO = "borgo-fittizio"
PASSWORD = "giusta-password-123"
PASSWORD2 = "nuova-password-456"
WRONG = "sbagliata-sbagliata"
MAX_FAILURES = 5  # security.login_max_failures (default)


def add_user(srv, username, role="admin", slow=False):
    """A user with PASSWORD; slow: hashed with the production work factors,
    so each password check takes as long as in real life."""
    env = {"SPORTELLO_PASSWORD": PASSWORD}
    if slow:
        env["SPORTELLO_PWHASH_FAST"] = "0"
    srv.cli("user", "add", "--username", username, "--name", "Utente %s" % username,
            "--role", role, env=env)


def csrf_of(c):
    page = c.get("/accedi")
    m = re.search(r'name="_csrf" value="([^"]*)"', page.text)
    return m.group(1)


def login_from(c, addr, username, password=PASSWORD, token=None):
    """Signs in as if from client address addr (through the trusted proxy),
    as a browser whose previous session has ended."""
    c.cookies.pop("sp_session", None)
    form = {"username": username, "password": password,
            "_csrf": token if token is not None else csrf_of(c)}
    return c.request("POST", "/accedi", body=form, headers={"X-Forwarded-For": addr})


def signed_in(c):
    """Whether the client's session works (the users here are administrators)."""
    return c.get("/ufficio/%s" % BORGO).status == 200


def t_throttle_normalised(srv):
    """The username is normalised once, for the throttle and the sign-in."""
    add_user(srv, "victim3")
    c = srv.client()
    for _ in range(MAX_FAILURES):
        assert_eq(login_from(c, "10.3.0.1", "victim3", WRONG).status, 401)
    assert_eq(login_from(c, "10.3.0.1", "victim3", WRONG).status, 429)
    assert_eq(login_from(c, "10.3.0.1", "VICTIM3", WRONG).status, 429)
    assert_eq(login_from(c, "10.3.0.1", " Victim3", WRONG).status, 429)
    r = login_from(c, "10.3.0.1", "Victim3 ", PASSWORD)  # right password, still throttled
    assert_eq(r.status, 429)
    assert "sp_session" not in c.cookies


def t_throttle_parallel(srv):
    """Parallel wrong attempts cannot verify more passwords than the limit."""
    add_user(srv, "victim6", slow=True)
    n = 24
    clients = [srv.client() for _ in range(n)]
    tokens = [csrf_of(c) for c in clients]
    statuses = [None] * n
    barrier = threading.Barrier(n)

    def attempt(i):
        barrier.wait()
        statuses[i] = login_from(clients[i], "10.6.0.1", "victim6", WRONG, tokens[i]).status

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert_eq(sorted(set(statuses)) in ([401, 429], [401]), True, statuses)
    assert_eq(statuses.count(401), MAX_FAILURES, statuses)
    assert_eq(statuses.count(429), n - MAX_FAILURES, statuses)


def t_no_lockout_of_real_user(srv):
    """Failures from other addresses slow the attacker down, but the real user
    signs in from their own device or their own address."""
    add_user(srv, "victim4")
    real = srv.client()
    assert_eq(login_from(real, "10.4.0.1", "victim4").status, 303)
    assert "sp_device" in real.cookies
    device = [v for v in [h for h in real.request("GET", "/accedi").headers_all("Set-Cookie")]
              if v.startswith("sp_device=")]
    assert_eq(device, [])  # set at sign-in only
    assert_eq(real.post("/esci", {}, csrf_from="/ufficio/%s" % BORGO).status, 303)
    # one attacker address: blocked after the limit
    att = srv.client()
    for _ in range(MAX_FAILURES):
        assert_eq(login_from(att, "10.99.0.1", "victim4", WRONG).status, 401)
    assert_eq(login_from(att, "10.99.0.1", "victim4", WRONG).status, 429)
    # other unknown addresses: slowed down on this account (one attempt at a
    # time, spaced), whatever the password, so guessing stays slow
    r = login_from(srv.client(), "10.99.0.2", "victim4", PASSWORD)
    assert_eq(r.status, 429)
    assert int(r.header("Retry-After")) >= 1
    assert_eq(login_from(srv.client(), "10.99.0.3", "victim4", WRONG).status, 429)
    # the real user: from their device (cookie), even from a new address ...
    assert_eq(login_from(real, "10.4.0.1", "victim4").status, 303)
    assert signed_in(real)
    roaming = srv.client()
    roaming.cookies["sp_device"] = real.cookies["sp_device"]
    assert_eq(login_from(roaming, "10.4.7.7", "victim4").status, 303)
    # ... and from their usual address in a fresh browser
    fresh = srv.client()
    assert_eq(login_from(fresh, "10.4.0.1", "victim4").status, 303)
    assert signed_in(fresh)
    # the attacker is still refused
    assert_eq(login_from(att, "10.99.0.1", "victim4", PASSWORD).status, 429)
    # a device cookie is only good for its own account
    forged = srv.client()
    forged.cookies["sp_device"] = real.cookies["sp_device"]
    add_user(srv, "victim7")
    for _ in range(MAX_FAILURES):
        assert_eq(login_from(srv.client(), "10.77.0.1", "victim7", WRONG).status, 401)
    assert_eq(login_from(forged, "10.77.0.2", "victim7", PASSWORD).status, 429)


def t_device_allowance(srv):
    """A device cookie keeps its own allowance: the limit applies to it too."""
    add_user(srv, "victim8")
    dev = srv.client()
    assert_eq(login_from(dev, "10.8.0.1", "victim8").status, 303)
    for _ in range(MAX_FAILURES):
        assert_eq(login_from(dev, "10.8.0.2", "victim8", WRONG).status, 401)
    assert_eq(login_from(dev, "10.8.0.3", "victim8", PASSWORD).status, 429)


def t_address_throttle(srv):
    """One address guessing many accounts is blocked; a known device is not."""
    add_user(srv, "victim9")
    dev = srv.client()
    assert_eq(login_from(dev, "10.10.9.9", "victim9").status, 303)
    c = srv.client()
    for i in range(4 * MAX_FAILURES):
        assert_eq(login_from(c, "10.10.0.1", "nessuno%02d" % i, WRONG).status, 401)
    assert_eq(login_from(c, "10.10.0.1", "nessuno99", WRONG).status, 429)
    assert_eq(login_from(srv.client(), "10.10.0.1", "victim9", PASSWORD).status, 429)
    assert_eq(login_from(dev, "10.10.0.1", "victim9").status, 303)


def password_post(c, uid, pw):
    return c.post("/admin/utenti/%d/password" % uid, {"password": pw, "password_confirm": pw},
                  csrf_from="/admin/utenti/%d" % uid)


def status_post(c, uid, active):
    return c.post("/admin/utenti/%d/stato" % uid, {"active": active},
                  csrf_from="/admin/utenti/%d" % uid)


def sessions_of(srv, uid):
    return int(srv.sql("SELECT COUNT(*) FROM session WHERE user_id = %d" % uid))


def t_sessions_end_admin_page(srv):
    add_user(srv, "victim5")
    uid = int(srv.sql("SELECT id FROM app_user WHERE username = 'victim5'"))
    admin = srv.client()
    assert_eq(login_from(admin, "10.5.0.100", "admin", "demo-password-2026").status, 303)
    u = srv.client()
    assert_eq(login_from(u, "10.5.0.1", "victim5").status, 303)
    assert signed_in(u)
    assert_eq(password_post(admin, uid, PASSWORD2).status, 303)
    assert not signed_in(u), "a password reset must end the open sessions"
    assert_eq(sessions_of(srv, uid), 0)
    assert_in('"sessions_ended":1', srv.sql(
        "SELECT after_json FROM audit_log WHERE action = 'user.passwd' AND object_id = %d "
        "ORDER BY id DESC LIMIT 1" % uid))
    assert_eq(login_from(u, "10.5.0.1", "victim5", PASSWORD2).status, 303)
    assert signed_in(u)
    assert_eq(status_post(admin, uid, "0").status, 303)
    assert not signed_in(u)
    assert_eq(status_post(admin, uid, "1").status, 303)
    assert not signed_in(u), "re-enabling must not bring old sessions back"
    assert_eq(sessions_of(srv, uid), 0)
    assert_in('"sessions_ended":1', srv.sql(
        "SELECT after_json FROM audit_log WHERE action = 'user.disable' AND object_id = %d "
        "ORDER BY id DESC LIMIT 1" % uid))
    assert signed_in(admin)


def t_sessions_end_cli(srv):
    uid = int(srv.sql("SELECT id FROM app_user WHERE username = 'victim5'"))
    u = srv.client()
    assert_eq(login_from(u, "10.5.0.1", "victim5", PASSWORD2).status, 303)
    other = srv.client()
    assert_eq(login_from(other, "10.5.0.2", "victim5", PASSWORD2).status, 303)
    assert signed_in(u) and signed_in(other)
    srv.cli("user", "passwd", "victim5", env={"SPORTELLO_PASSWORD": PASSWORD})
    assert not signed_in(u) and not signed_in(other)
    assert_in('"sessions_ended":2', srv.sql(
        "SELECT after_json FROM audit_log WHERE action = 'user.passwd' AND object_id = %d "
        "ORDER BY id DESC LIMIT 1" % uid))
    assert_eq(login_from(u, "10.5.0.1", "victim5", PASSWORD).status, 303)
    assert signed_in(u)
    srv.cli("user", "disable", "victim5")
    srv.cli("user", "enable", "victim5")
    assert not signed_in(u), "re-enabling must not bring old sessions back"
    assert_eq(sessions_of(srv, uid), 0)


def t_csrf_forged_pair(srv):
    """A cookie/token pair the attacker makes up is refused; a pair the server
    issued is accepted, but only with its own cookie."""
    forged = "A" * 43
    c = srv.client()
    c.cookies["sp_csrf"] = forged
    r = login_from(c, "10.11.0.1", "admin", "demo-password-2026", token=forged)
    assert_eq(r.status, 403)
    assert "sp_session" not in c.cookies
    real = srv.client()
    token = csrf_of(real)
    assert token != real.cookies["sp_csrf"], "the token must not be the cookie"
    other = srv.client()
    other.cookies["sp_csrf"] = "B" * 43
    assert_eq(login_from(other, "10.11.0.1", "admin", "demo-password-2026", token=token).status, 403)
    assert_eq(login_from(real, "10.11.0.1", "admin", "demo-password-2026", token=token).status, 303)


def t_secret(srv):
    """Without security.secret_key the key is made once and kept in the
    database; with it, the configured one signs (tokens of the old key stop
    working). Neither is ever printed or logged."""
    stored = srv.sql("SELECT value FROM server_secret")
    assert_eq(len(stored), 64)
    assert_in("secret_key = (non impostato)", srv.cli("config").stdout)
    configured = "chiave-di-prova-" + "k" * 30
    old = srv.client()
    old_token = csrf_of(old)
    srv.stop()
    saved = dict(srv.env)
    srv.env["SPORTELLO_SECURITY_SECRET_KEY"] = configured
    try:
        srv.start()
        r = login_from(old, "10.12.0.1", "admin", "demo-password-2026", token=old_token)
        assert_eq(r.status, 403)
        c = srv.client()
        assert_eq(login_from(c, "10.12.0.1", "admin", "demo-password-2026").status, 303)
        out = srv.cli("config").stdout
        assert_in("secret_key = (impostato)", out)
        assert configured not in out
    finally:
        srv.stop()
        srv.env = saved
        srv.start()
    assert_eq(srv.sql("SELECT value FROM server_secret"), stored)  # unchanged
    c = srv.client()
    assert_eq(login_from(c, "10.12.0.1", "admin", "demo-password-2026").status, 303)
    srv.log.flush()
    log = open(srv.log.name).read()
    assert stored not in log and configured not in log


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("http-auth[%s]" % backend)
    srv = Server(binary, backend, pg, taxpayers=5,
                 env={"SPORTELLO_SERVER_TRUSTED_PROXIES": "127.0.0.1"})
    try:
        for t in [t_throttle_normalised, t_throttle_parallel, t_no_lockout_of_real_user,
                  t_device_allowance, t_address_throttle, t_sessions_end_admin_page,
                  t_sessions_end_cli, t_csrf_forged_pair, t_secret]:
            tap.run(t.__name__[2:], t, srv)
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
