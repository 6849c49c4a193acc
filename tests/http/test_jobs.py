#!/usr/bin/env python3
"""HTTP and command-line tests of the background jobs and the audit chains
against the real binary: /admin/lavori is the administrator's only (403 for
other roles), shows counts per kind and state and the failed jobs with
their last error; its Riprova/Annulla forms need the CSRF token, change the
job and write an audit row in the job's Ente chain; `sportello jobs
list|retry|cancel`; `sportello worker` runs the housekeeping job; `audit
verify` reports per chain and takes --ente by slug or codice fiscale.
Usage: test_jobs.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import re
import subprocess
import sys
import time

from harness import Server, Tap, assert_eq, assert_in, assert_valid_html

BORGO = "borgo-fittizio"


def count(srv, sql):
    return int(srv.sql(sql).splitlines()[0])


def ente_id(srv, slug):
    return count(srv, "SELECT id FROM ente WHERE slug = '%s'" % slug)


def add_job(srv, kind, state, attempts, error, ente=None):
    """A job row as the queue would leave it; returns its id."""
    srv.sql("INSERT INTO job (kind, ente_id, payload, state, attempts, run_at, last_error,"
            " created_at, updated_at) VALUES ('%s', %s, '{}', '%s', %d, 1800000000, %s,"
            " 1700000000, 1700000000)" % (kind, ente if ente else "NULL", state, attempts,
                                          "'%s'" % error if error else "NULL"))
    return count(srv, "SELECT MAX(id) FROM job")


def admin(srv):
    c = srv.client()
    assert_eq(c.login("admin").status, 303)
    return c


def csrf_of(page):
    m = re.search(r'name="_csrf" value="([^"]*)"', page.text)
    assert m, "no CSRF token on the page"
    return m.group(1)


def t_only_admin(srv):
    for user in ("operatore", "gestore", "supervisore", "ente.borgo"):
        c = srv.client()
        assert_eq(c.login(user).status, 303, user)
        assert_eq(c.get("/admin/lavori").status, 403, user)
        page = c.get("/ufficio/%s" % BORGO)
        token = csrf_of(page)
        assert_eq(c.request("POST", "/admin/lavori/1/riprova", body={"_csrf": token}).status, 403, user)
    anon = srv.client()
    r = anon.get("/admin/lavori")
    assert_eq(r.status, 303)
    assert_in("/accedi", r.header("Location"))


def t_page_lists_failed_jobs(srv):
    borgo = ente_id(srv, BORGO)
    srv.dead = add_job(srv, "outbox.send", "dead", 5, "Server di posta <non> raggiungibile", borgo)
    srv.retry = add_job(srv, "outbox.send", "retry", 2, "Timeout della PEC")
    srv.done = add_job(srv, "notice.render", "done", 1, None)
    c = admin(srv)
    r = c.get("/admin/lavori")
    assert_eq(r.status, 200)
    assert_valid_html(r)
    t = r.text
    assert_in("Lavori in background", t)
    # counts per kind and state
    assert_in("outbox.send", t)
    assert_in("notice.render", t)
    assert_in("Fallito definitivamente", t)
    assert_in("In attesa di un nuovo tentativo", t)
    # the failed ones with their error (escaped), the done one not listed there
    assert_in("Server di posta &lt;non&gt; raggiungibile", t)
    assert "<non>" not in t
    assert_in("Timeout della PEC", t)
    assert_in('action="/admin/lavori/%d/riprova"' % srv.dead, t)
    assert_in('action="/admin/lavori/%d/annulla"' % srv.retry, t)
    assert 'action="/admin/lavori/%d/riprova"' % srv.done not in t
    # linked from the administration overview
    assert_in('href="/admin/lavori"', c.get("/admin").text)


def t_forms_need_csrf(srv):
    c = admin(srv)
    audits = count(srv, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'job.%'")
    r = c.request("POST", "/admin/lavori/%d/riprova" % srv.dead, body={"_csrf": "sbagliato"})
    assert_eq(r.status, 403)
    r = c.request("POST", "/admin/lavori/%d/annulla" % srv.dead, body={})
    assert_eq(r.status, 403)
    assert_eq(srv.sql("SELECT state FROM job WHERE id = %d" % srv.dead), "dead")
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'job.%'"), audits)


def t_retry_and_cancel(srv):
    c = admin(srv)
    borgo = ente_id(srv, BORGO)
    r = c.post("/admin/lavori/%d/riprova" % srv.dead, {}, csrf_from="/admin/lavori")
    assert_eq(r.status, 303)
    assert_eq(r.header("Location"), "/admin/lavori?salvato=riprova")
    assert_eq(srv.sql("SELECT state, attempts FROM job WHERE id = %d" % srv.dead), "queued|0")
    # audited in the job's Ente chain
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.retry' AND object_id = %d"
                         " AND chain = %d AND actor_kind = 'user'" % (srv.dead, borgo)), 1)
    page = c.get("/admin/lavori?salvato=riprova")
    assert_in("Lavoro rimesso in coda", page.text)
    r = c.post("/admin/lavori/%d/annulla" % srv.retry, {}, csrf_from="/admin/lavori")
    assert_eq(r.status, 303)
    assert_eq(srv.sql("SELECT state FROM job WHERE id = %d" % srv.retry), "cancelled")
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.cancel' AND object_id = %d"
                         " AND chain = 0" % srv.retry), 1)
    # a done job can be neither retried nor cancelled: 409 with the page and why
    r = c.post("/admin/lavori/%d/annulla" % srv.done, {}, csrf_from="/admin/lavori")
    assert_eq(r.status, 409)
    assert_valid_html(r)
    assert_in("non si può annullare", r.text)
    assert_eq(srv.sql("SELECT state FROM job WHERE id = %d" % srv.done), "done")
    r = c.post("/admin/lavori/999999/riprova", {}, csrf_from="/admin/lavori")
    assert_eq(r.status, 404)


def t_cli(srv):
    r = srv.cli("jobs", "list")
    assert_in("outbox.send", r.stdout)
    assert_in("TENTATIVI", r.stdout)
    r = srv.cli("jobs", "list", "--state", "done")
    lines = [l for l in r.stdout.splitlines() if l.startswith("%d " % srv.done)]
    assert_eq(len(lines), 1, r.stdout)
    assert not [l for l in r.stdout.splitlines() if l.startswith("%d " % srv.dead)], r.stdout
    r = srv.cli("jobs", "list", "--state", "boh", check=False)
    assert_eq(r.returncode, 2)
    r = srv.cli("jobs", "cancel", str(srv.dead))
    assert_in("annullato", r.stdout)
    r = srv.cli("jobs", "retry", str(srv.dead))
    assert_in("rimesso in coda", r.stdout)
    assert_eq(srv.sql("SELECT state FROM job WHERE id = %d" % srv.dead), "queued")
    r = srv.cli("jobs", "retry", str(srv.done), check=False)
    assert_eq(r.returncode, 1)
    r = srv.cli("jobs", "retry", "abc", check=False)
    assert_eq(r.returncode, 2)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'job.retry' AND actor_kind = 'cli'"), 1)


def t_worker_runs_jobs(srv):
    """The worker runs due jobs: housekeeping is scheduled and done, and a
    job of a kind nobody registered is dead with a reason."""
    srv.sql("UPDATE job SET state = 'cancelled' WHERE state IN ('queued', 'retry')")
    unknown = add_job(srv, "nessuno.conosce", "queued", 0, None)
    srv.sql("UPDATE job SET run_at = 0 WHERE id = %d" % unknown)
    p = subprocess.Popen([srv.binary, "worker"], env=srv.env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 20
        while time.time() < deadline:
            if (count(srv, "SELECT COUNT(*) FROM job WHERE kind = 'housekeeping' AND state = 'done'") >= 1
                    and srv.sql("SELECT state FROM job WHERE id = %d" % unknown) == "dead"):
                break
            time.sleep(0.3)
    finally:
        p.terminate()
        out, _ = p.communicate(timeout=15)
    assert_eq(p.returncode, 0, out)
    assert_eq(srv.sql("SELECT state FROM job WHERE id = %d" % unknown), "dead", out)
    assert_in("sconosciuto", srv.sql("SELECT last_error FROM job WHERE id = %d" % unknown))
    assert count(srv, "SELECT COUNT(*) FROM job WHERE kind = 'housekeeping' AND state = 'done'") >= 1, out
    # the next housekeeping run is queued, once
    assert_eq(count(srv, "SELECT COUNT(*) FROM job WHERE kind = 'housekeeping' AND state = 'queued'"), 1)


def t_audit_per_ente(srv):
    c = srv.client()
    assert_eq(c.login("operatore").status, 303)
    r = c.post("/ufficio/%s/contribuenti/nuovo" % BORGO,
               {"kind": "company", "fiscal_code": "01234567897", "company_name": "Catene S.r.l."})
    assert r.status in (303, 422), r.status
    borgo = ente_id(srv, BORGO)
    fc = srv.sql("SELECT fiscal_code FROM ente WHERE id = %d" % borgo)
    r = srv.cli("audit", "verify")
    assert_in("integro", r.stdout)
    assert_in("operazioni senza Ente", r.stdout)
    assert_in("Ente %s" % BORGO, r.stdout)
    for key in (BORGO, fc):
        r = srv.cli("audit", "verify", "--ente", key)
        assert_eq(r.returncode, 0, r.stderr)
        assert_in("Ente %s" % BORGO, r.stdout)
        assert "senza Ente" not in r.stdout
    r = srv.cli("audit", "verify", "--ente", "nessuno", check=False)
    assert_eq(r.returncode, 1)
    # a row removed from the middle of Borgo's chain: Borgo is broken, the rest intact
    n = count(srv, "SELECT MAX(seq) FROM audit_log WHERE chain = %d" % borgo)
    assert n >= 2, n
    srv.sql("DELETE FROM audit_log WHERE chain = %d AND seq = 1" % borgo)
    r = srv.cli("audit", "verify", check=False)
    assert_eq(r.returncode, 1)
    assert_in("NON integra", r.stdout)
    assert_in("operazioni senza Ente: integra", r.stdout)
    r = srv.cli("audit", "verify", "--ente", BORGO, check=False)
    assert_eq(r.returncode, 1)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: test_jobs.py BINARY sqlite|pg [PG_ADMIN_URL]")
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("jobs/%s" % backend)
    srv = Server(binary, backend, pg, taxpayers=10)
    try:
        for name, fn in [
            ("admin page only for the administrator", t_only_admin),
            ("page shows counts and failed jobs", t_page_lists_failed_jobs),
            ("retry and cancel need the CSRF token", t_forms_need_csrf),
            ("retry and cancel from the page, audited", t_retry_and_cancel),
            ("jobs list, retry, cancel from the shell", t_cli),
            ("worker runs due jobs", t_worker_runs_jobs),
            ("audit verify per chain and --ente", t_audit_per_ente),
        ]:
            tap.run(name, fn, srv)
        tap.run("no bug logged", lambda: assert_eq(srv.bugs(), []))
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
