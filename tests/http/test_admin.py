#!/usr/bin/env python3
"""HTTP tests of the administration pages against the real binary: only the
admin role gets in, every form needs the CSRF token, invalid input writes
nothing, and what the admin creates works (a new Ente's office page, a new
user's sign-in limited to their Enti, disabling, new passwords), with the
audit chain intact at the end.
Usage: test_admin.py BINARY sqlite|pg [PG_ADMIN_URL]
The tests run in order on one server: later ones use what earlier ones made."""
import re
import sys

from harness import Server, Tap, assert_eq, assert_in, assert_valid_html

BORGO, VALLE = "borgo-fittizio", "valle-immaginaria"
NEW_SLUG = "colle-inventato"
NEW_NAME = "Comune di Colle Inventato"
NEW_USER = "nuovo.operatore"
PASSWORD = "prima-password-123"
PASSWORD2 = "seconda-password-456"

ADMIN_GETS = ["/admin", "/admin/enti/nuovo", "/admin/uffici/nuovo", "/admin/utenti/nuovo"]
ADMIN_POSTS = ["/admin/enti/nuovo", "/admin/uffici/nuovo", "/admin/utenti/nuovo"]


def piva(first10):
    """Completes 10 digits with the partita IVA check digit."""
    s = 0
    for i, ch in enumerate(first10):
        v = int(ch)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        s += v
    return first10 + str((10 - s % 10) % 10)


NEW_CF = piva("0246813579")


def count(srv, sql):
    return int(srv.sql(sql).splitlines()[0])


def user_id(srv, username):
    return int(srv.sql("SELECT id FROM app_user WHERE username = '%s'" % username))


def totals(srv):
    """Row counts an invalid request must leave alone (audit rows other than
    sign-ins included)."""
    return tuple(count(srv, "SELECT COUNT(*) FROM %s" % t)
                 for t in ("ente", "region", "office", "app_user", "user_ente",
                           "audit_log WHERE action NOT LIKE 'session.%'"))


def admin(srv):
    c = srv.client()
    assert_eq(c.login("admin").status, 303)
    return c


def ente_form(**kw):
    f = {"slug": NEW_SLUG, "name": NEW_NAME, "fiscal_code": NEW_CF, "population": "1234",
         "segregation_code": "07", "mail_istanze": "istanze@colle.example.org",
         "mail_pec": "protocollo@pec.colle.example.org", "mail_info": "info@colle.example.org",
         "support_phone": "+39 0123 456789", "patron_day": "08-16"}
    f.update(kw)
    return f


def t_roles_refused(srv):
    uid = user_id(srv, "operatore")
    before = totals(srv)
    for name in ("operatore", "gestore", "ente.borgo", "supervisore"):
        c = srv.client()
        assert_eq(c.login(name).status, 303, name)
        for path in ADMIN_GETS + ["/admin/utenti/%d" % uid]:
            r = c.get(path)
            assert_eq(r.status, 403, "%s GET %s" % (name, path))
            assert_valid_html(r)
        office = "/ufficio/%s" % BORGO
        for path in ADMIN_POSTS:
            r = c.post(path, ente_form(), csrf_from=office)
            assert_eq(r.status, 403, "%s POST %s" % (name, path))
        r = c.post("/admin/utenti/%d/stato" % uid, {"active": "0"}, csrf_from=office)
        assert_eq(r.status, 403, name)
        r = c.post("/admin/utenti/%d/password" % uid,
                   {"password": PASSWORD, "password_confirm": PASSWORD}, csrf_from=office)
        assert_eq(r.status, 403, name)
    anon = srv.client()
    assert_eq(anon.get("/admin/utenti/nuovo").status, 303)  # to the sign-in page
    assert_eq(anon.post("/admin/enti/nuovo", ente_form(), csrf_from="/accedi").status, 401)
    assert_eq(totals(srv), before)
    assert_eq(srv.sql("SELECT active FROM app_user WHERE id = %d" % uid), "1")


def t_pages_valid(srv):
    c = admin(srv)
    for path in ADMIN_GETS + ["/admin/utenti/%d" % user_id(srv, "operatore")]:
        r = c.get(path)
        assert_eq(r.status, 200, path)
        assert_valid_html(r)
    r = c.get("/admin")
    for href in ("/admin/enti/nuovo", "/admin/uffici/nuovo", "/admin/utenti/nuovo",
                 "/admin/utenti/%d" % user_id(srv, "gestore")):
        assert_in('href="%s"' % href, r.text)
    assert_eq(c.get("/admin/utenti/999999").status, 404)
    assert_eq(c.get("/admin/utenti/abc").status, 404)


def t_csrf(srv):
    c = admin(srv)
    before = totals(srv)
    assert_eq(c.post("/admin/enti/nuovo", ente_form(), csrf=False).status, 403)
    assert_eq(c.post("/admin/enti/nuovo", dict(ente_form(), _csrf="x" * 43), csrf=False).status, 403)
    assert_eq(c.post("/admin/uffici/nuovo", {"new_region": "Isole", "code": "ISO-01",
                                             "name": "Isole"}, csrf=False).status, 403)
    uid = user_id(srv, "operatore")
    assert_eq(c.post("/admin/utenti/%d/stato" % uid, {"active": "0"}, csrf=False).status, 403)
    assert_eq(c.post("/admin/utenti/%d/password" % uid,
                     {"password": PASSWORD, "password_confirm": PASSWORD}, csrf=False).status, 403)
    assert_eq(totals(srv), before)
    assert_eq(srv.sql("SELECT active FROM app_user WHERE id = %d" % uid), "1")


def t_ente_invalid(srv):
    c = admin(srv)
    before = totals(srv)
    r = c.post("/admin/enti/nuovo", ente_form(fiscal_code="12345678901"))
    assert_eq(r.status, 422)
    assert_in('id="f-fiscal_code-error"', r.text)
    assert_in('aria-describedby="f-fiscal_code-error f-fiscal_code-hint"', r.text)
    assert_in("cifra di controllo", r.text)
    assert_in('value="%s"' % NEW_NAME, r.text)  # typed values kept
    assert_in('value="protocollo@pec.colle.example.org"', r.text)
    assert_valid_html(r)
    r = c.post("/admin/enti/nuovo", ente_form(slug="Colle Inventato!"))
    assert_eq(r.status, 422)
    assert_in('id="f-slug-error"', r.text)
    assert_in('href="#f-slug"', r.text)  # the summary links to the field
    assert_in('value="Colle Inventato!"', r.text)
    assert_valid_html(r)
    r = c.post("/admin/enti/nuovo", ente_form(population="mille"))
    assert_eq(r.status, 422)
    assert_in('id="f-population-error"', r.text)
    r = c.post("/admin/enti/nuovo", ente_form(patron_day="13-40"))
    assert_eq(r.status, 422)
    assert_in('id="f-patron_day-error"', r.text)
    r = c.post("/admin/enti/nuovo", ente_form(mail_pec="non-una-mail"))
    assert_eq(r.status, 422)
    assert_in('id="f-mail_pec-error"', r.text)
    assert_valid_html(r)
    assert_eq(totals(srv), before)


def t_ente_create(srv):
    c = admin(srv)
    audit = count(srv, "SELECT COUNT(*) FROM audit_log")
    by_admin = "SELECT COUNT(*) FROM audit_log WHERE action = 'ente.create' AND actor_id = %d" \
        % user_id(srv, "admin")
    assert_eq(count(srv, by_admin), 0)
    r = c.post("/admin/enti/nuovo", ente_form())
    assert_eq(r.status, 303, r.text[:400])
    assert_eq(r.header("Location"), "/admin?salvato=ente")
    r = c.get(r.header("Location"))
    assert_eq(r.status, 200)
    assert_in("Ente creato.", r.text)
    assert_in(NEW_NAME, r.text)
    assert_in('href="/ufficio/%s"' % NEW_SLUG, r.text)
    assert_valid_html(r)
    assert_eq(srv.sql("SELECT fiscal_code || ' ' || population || ' ' || patron_day FROM ente "
                      "WHERE slug = '%s'" % NEW_SLUG), "%s 1234 08-16" % NEW_CF)
    assert_eq(count(srv, by_admin), 1)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log"), audit + 1)
    r = c.get("/ufficio/%s" % NEW_SLUG)
    assert_eq(r.status, 200)
    assert_in(NEW_NAME, r.text)
    assert_valid_html(r)


def t_ente_duplicate(srv):
    c = admin(srv)
    before = totals(srv)
    r = c.post("/admin/enti/nuovo", ente_form(name="Un altro nome"))
    assert_eq(r.status, 409)
    assert_in('id="f-slug-error"', r.text)
    assert_in("Esiste già un Ente con questo identificativo", r.text)
    assert_in('value="Un altro nome"', r.text)
    assert_valid_html(r)
    r = c.post("/admin/enti/nuovo", ente_form(slug="altro-slug"))
    assert_eq(r.status, 409)
    assert_in('id="f-fiscal_code-error"', r.text)
    assert_in("Esiste già un Ente con questo codice fiscale", r.text)
    assert_eq(totals(srv), before)


def t_office_invalid(srv):
    c = admin(srv)
    before = totals(srv)
    nord = srv.sql("SELECT id FROM region WHERE name = 'Nord'")
    r = c.post("/admin/uffici/nuovo", {"region_id": nord, "code": "x", "name": "Ufficio"})
    assert_eq(r.status, 422)
    assert_in('id="f-code-error"', r.text)
    assert_valid_html(r)
    r = c.post("/admin/uffici/nuovo", {"region_id": nord, "new_region": "Centro",
                                       "code": "CENTRO-01", "name": "Ufficio"})
    assert_eq(r.status, 422)
    assert_in('id="f-new_region-error"', r.text)
    r = c.post("/admin/uffici/nuovo", {"code": "CENTRO-01", "name": "Ufficio"})
    assert_eq(r.status, 422)
    assert_in('id="f-region_id-error"', r.text)
    r = c.post("/admin/uffici/nuovo", {"region_id": nord, "code": "NORD-01", "name": "Doppione"})
    assert_eq(r.status, 409)
    assert_in("Esiste già un ufficio con questo codice", r.text)
    assert_eq(totals(srv), before)


def t_office_new_region(srv):
    c = admin(srv)
    regions = count(srv, "SELECT COUNT(*) FROM region")
    r = c.post("/admin/uffici/nuovo", {"new_region": "  Centro ", "code": "CENTRO-01",
                                       "name": "Sportello Centro - Colle Inventato",
                                       "city": "Colle Inventato"})
    assert_eq(r.status, 303, r.text[:400])
    assert_eq(r.header("Location"), "/admin?salvato=ufficio")
    assert_eq(count(srv, "SELECT COUNT(*) FROM region"), regions + 1)
    assert_eq(srv.sql("SELECT r.name FROM office o JOIN region r ON r.id = o.region_id "
                      "WHERE o.code = 'CENTRO-01'"), "Centro")
    r = c.get("/admin?salvato=ufficio")
    assert_in("Ufficio creato.", r.text)
    assert_in("Sportello Centro - Colle Inventato", r.text)
    # the region now exists: naming it again reuses it
    r = c.post("/admin/uffici/nuovo", {"new_region": "Centro", "code": "CENTRO-02",
                                       "name": "Sportello Centro 2"})
    assert_eq(r.status, 303)
    assert_eq(count(srv, "SELECT COUNT(*) FROM region"), regions + 1)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'region.create' "
                         "AND object_id = (SELECT id FROM region WHERE name = 'Centro')"), 1)
    r = c.get("/admin/uffici/nuovo")
    assert_in(">Centro</option>", r.text)
    assert_valid_html(r)


def user_form(**kw):
    ente = srv_ids["ente"]
    f = {"username": NEW_USER, "full_name": "Nadia Nuovi", "email": "nadia@example.org",
         "role": "operator", "office_id": srv_ids["office"], "ente_%s" % ente: "1",
         "password": PASSWORD, "password_confirm": PASSWORD}
    f.update(kw)
    return f


srv_ids = {}


def t_user_invalid(srv):
    srv_ids["ente"] = srv.sql("SELECT id FROM ente WHERE slug = '%s'" % NEW_SLUG)
    srv_ids["office"] = srv.sql("SELECT id FROM office WHERE code = 'CENTRO-01'")
    c = admin(srv)
    before = totals(srv)
    r = c.post("/admin/utenti/nuovo", user_form(password_confirm="un'altra-password"))
    assert_eq(r.status, 422)
    assert_in('id="f-password_confirm-error"', r.text)
    assert_in("non coincidono", r.text)
    assert PASSWORD not in r.text, "the password must not be echoed"
    assert "un'altra-password" not in r.text
    assert_in('value="%s"' % NEW_USER, r.text)
    assert_in('value="nadia@example.org"', r.text)
    assert re.search(r'<option value="operator" selected', r.text), "role kept"
    assert re.search(r'name="ente_%s" value="1" checked' % srv_ids["ente"], r.text), "Ente kept"
    assert_valid_html(r)
    r = c.post("/admin/utenti/nuovo", user_form(password="corta", password_confirm="corta"))
    assert_eq(r.status, 422)
    assert_in('id="f-password-error"', r.text)
    assert_in("almeno 10 caratteri", r.text)
    assert 'value="corta"' not in r.text
    assert_valid_html(r)
    r = c.post("/admin/utenti/nuovo", user_form(username="Nome Non Valido"))
    assert_eq(r.status, 422)
    assert_in('id="f-username-error"', r.text)
    r = c.post("/admin/utenti/nuovo", user_form(role="supervisor_regional"))
    assert_eq(r.status, 422)
    assert_in('id="f-region_id-error"', r.text)
    form = user_form(role="ente_staff")
    del form["ente_%s" % srv_ids["ente"]]
    r = c.post("/admin/utenti/nuovo", form)
    assert_eq(r.status, 422)
    assert_in('id="f-ente_ids-error"', r.text)
    assert_in('aria-describedby="f-ente_ids-hint f-ente_ids-error"', r.text)
    assert_valid_html(r)
    r = c.post("/admin/utenti/nuovo", user_form(username="operatore"))
    assert_eq(r.status, 409)
    assert_in("Esiste già un utente con questo nome utente", r.text)
    assert_eq(totals(srv), before)


def t_user_create_and_sign_in(srv):
    c = admin(srv)
    r = c.post("/admin/utenti/nuovo", user_form())
    assert_eq(r.status, 303, r.text[:400])
    uid = user_id(srv, NEW_USER)
    assert_eq(r.header("Location"), "/admin/utenti/%d?salvato=creato" % uid)
    r = c.get(r.header("Location"))
    assert_eq(r.status, 200)
    assert_in("Utente creato.", r.text)
    assert_in(NEW_NAME, r.text)
    assert_in("Operatore di sportello", r.text)
    assert_in("CENTRO-01", r.text)
    assert_valid_html(r)
    assert_eq(srv.sql("SELECT r.name FROM app_user u JOIN region r ON r.id = u.region_id "
                      "WHERE u.id = %d" % uid), "Centro")
    u = srv.client()
    assert_eq(u.login(NEW_USER, PASSWORD).status, 303)
    r = u.get("/ufficio/%s" % NEW_SLUG)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_eq(u.get("/ufficio/%s" % BORGO).status, 404)
    assert_eq(u.get("/ufficio/%s" % VALLE).status, 404)
    assert_eq(u.get("/admin").status, 403)


def status_post(c, uid, active):
    return c.post("/admin/utenti/%d/stato" % uid, {"active": active},
                  csrf_from="/admin/utenti/%d" % uid)


def password_post(c, uid, pw, pw2):
    return c.post("/admin/utenti/%d/password" % uid, {"password": pw, "password_confirm": pw2},
                  csrf_from="/admin/utenti/%d" % uid)


def t_user_disable_enable(srv):
    uid = user_id(srv, NEW_USER)
    u = srv.client()
    assert_eq(u.login(NEW_USER, PASSWORD).status, 303)
    c = admin(srv)
    r = status_post(c, uid, "0")
    assert_eq(r.status, 303)
    assert_eq(r.header("Location"), "/admin/utenti/%d?salvato=disattivato" % uid)
    r = c.get(r.header("Location"))
    assert_in("Utente disattivato", r.text)
    assert_in("Riattiva l&#39;utente", r.text)
    assert_eq(srv.sql("SELECT active FROM app_user WHERE id = %d" % uid), "0")
    assert_valid_html(r)
    assert_eq(u.get("/ufficio/%s" % NEW_SLUG).status, 303)  # the open session stops working
    assert_eq(srv.client().login(NEW_USER, PASSWORD).status, 401)
    r = status_post(c, uid, "1")
    assert_eq(r.status, 303)
    assert_eq(r.header("Location"), "/admin/utenti/%d?salvato=attivato" % uid)
    assert_eq(srv.client().login(NEW_USER, PASSWORD).status, 303)
    assert_eq(status_post(c, uid, "forse").status, 400)


def t_user_password(srv):
    uid = user_id(srv, NEW_USER)
    c = admin(srv)
    r = password_post(c, uid, PASSWORD2, PASSWORD2 + "x")
    assert_eq(r.status, 422)
    assert_in('id="f-password_confirm-error"', r.text)
    assert PASSWORD2 not in r.text
    assert_valid_html(r)
    r = password_post(c, uid, "breve", "breve")
    assert_eq(r.status, 422)
    assert_in('id="f-password-error"', r.text)
    assert_eq(srv.client().login(NEW_USER, PASSWORD).status, 303)  # unchanged so far
    r = password_post(c, uid, PASSWORD2, PASSWORD2)
    assert_eq(r.status, 303)
    assert_eq(r.header("Location"), "/admin/utenti/%d?salvato=password" % uid)
    assert_in("Nuova password impostata.", c.get(r.header("Location")).text)
    assert_eq(srv.client().login(NEW_USER, PASSWORD).status, 401)
    assert_eq(srv.client().login(NEW_USER, PASSWORD2).status, 303)
    assert_eq(password_post(c, 999999, PASSWORD2, PASSWORD2).status, 404)


def ente_id(srv, slug):
    return int(srv.sql("SELECT id FROM ente WHERE slug = '%s'" % slug))


def entes_post(c, uid, ids, **kw):
    """POSTs the Enti form with the boxes for ids checked."""
    if "csrf" not in kw:
        kw.setdefault("csrf_from", "/admin/utenti/%d" % uid)
    return c.post("/admin/utenti/%d/enti" % uid, {"ente_%d" % i: "1" for i in ids}, **kw)


def t_user_entes(srv):
    uid = user_id(srv, NEW_USER)
    borgo, colle = ente_id(srv, BORGO), ente_id(srv, NEW_SLUG)
    c = admin(srv)
    page = c.get("/admin/utenti/%d" % uid)
    assert_in('action="/admin/utenti/%d/enti"' % uid, page.text)
    assert re.search(r'name="ente_%d"[^>]*checked' % colle, page.text), "colle not checked"
    assert not re.search(r'name="ente_%d"[^>]*checked' % ente_id(srv, BORGO), page.text)
    assert_valid_html(page)
    u = srv.client()
    assert_eq(u.login(NEW_USER, PASSWORD2).status, 303)
    assert_eq(u.get("/ufficio/%s" % NEW_SLUG).status, 200)
    assert_eq(u.get("/ufficio/%s" % BORGO).status, 404)
    audit = count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.entes'")
    r = entes_post(c, uid, [borgo])
    assert_eq(r.status, 303, r.text[:400])
    assert_eq(r.header("Location"), "/admin/utenti/%d?salvato=enti" % uid)
    r = c.get(r.header("Location"))
    assert_in("Enti abilitati aggiornati.", r.text)
    assert_valid_html(r)
    assert_eq(srv.sql("SELECT ente_id FROM user_ente WHERE user_id = %d" % uid), str(borgo))
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.entes'"), audit + 1)
    assert_eq(u.get("/ufficio/%s" % BORGO).status, 200)
    assert_eq(u.get("/ufficio/%s" % NEW_SLUG).status, 404)

    # Ente staff left without Enti: 422 next to the field, nothing written
    staff = user_id(srv, "ente.borgo")
    assert_eq(srv.sql("SELECT role FROM app_user WHERE id = %d" % staff), "ente_staff")
    before = totals(srv)
    r = entes_post(c, staff, [])
    assert_eq(r.status, 422)
    assert_in('id="f-ente_ids-error"', r.text)
    assert_in("almeno un Ente", r.text)
    assert_valid_html(r)
    assert_eq(totals(srv), before)
    assert_eq(entes_post(c, 999999, [borgo], csrf_from="/admin").status, 404)

    # non-admins: 403; no CSRF token: 403; nothing written
    for name in ("gestore", "ente.borgo"):
        o = srv.client()
        assert_eq(o.login(name).status, 303, name)
        r = entes_post(o, uid, [colle], csrf_from="/ufficio/%s" % BORGO)
        assert_eq(r.status, 403, name)
    assert_eq(entes_post(c, uid, [colle], csrf=False).status, 403)
    r = c.post("/admin/utenti/%d/enti" % uid, {"ente_%d" % colle: "1", "_csrf": "x" * 43},
               csrf=False)
    assert_eq(r.status, 403)
    assert_eq(totals(srv), before)
    assert_eq(srv.sql("SELECT ente_id FROM user_ente WHERE user_id = %d" % uid), str(borgo))


def t_admin_cannot_disable_self(srv):
    me = user_id(srv, "admin")
    c = admin(srv)
    page = c.get("/admin/utenti/%d" % me)
    assert_in("non puoi disattivarlo", page.text)
    assert_valid_html(page)
    audit = count(srv, "SELECT COUNT(*) FROM audit_log")
    r = status_post(c, me, "0")
    assert_eq(r.status, 422)
    assert_in("Non puoi disattivare il tuo account", r.text)
    assert_valid_html(r)
    assert_eq(srv.sql("SELECT active FROM app_user WHERE id = %d" % me), "1")
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log"), audit)
    assert_eq(c.get("/admin").status, 200)


def t_audit(srv):
    for action in ("ente.create", "region.create", "office.create", "user.create", "user.disable",
                   "user.enable", "user.passwd", "user.entes"):
        n = count(srv, "SELECT COUNT(*) FROM audit_log WHERE action = '%s' AND actor_kind = 'user' "
                       "AND actor_id = %d" % (action, user_id(srv, "admin")))
        assert n >= 1, action
    r = srv.cli("audit", "verify")
    assert_eq(r.returncode, 0)
    assert_in("integro", r.stdout)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: test_admin.py BINARY sqlite|pg [PG_ADMIN_URL]")
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("admin/%s" % backend)
    srv = Server(binary, backend, pg, taxpayers=10)
    try:
        for name, fn in [
            ("non-admin roles get 403 everywhere", t_roles_refused),
            ("admin pages are valid HTML", t_pages_valid),
            ("CSRF required on every form", t_csrf),
            ("invalid Ente: 422, nothing written", t_ente_invalid),
            ("Ente created and usable", t_ente_create),
            ("duplicate Ente: 409", t_ente_duplicate),
            ("invalid office: 422/409, nothing written", t_office_invalid),
            ("office in a new region", t_office_new_region),
            ("invalid user: 422/409, password not echoed", t_user_invalid),
            ("user created, signs in, sees only their Ente", t_user_create_and_sign_in),
            ("user disabled and enabled again", t_user_disable_enable),
            ("new password replaces the old one", t_user_password),
            ("admin changes a user's Enti", t_user_entes),
            ("admin cannot disable themself", t_admin_cannot_disable_self),
            ("audit rows written, chain verifies", t_audit),
        ]:
            tap.run(name, fn, srv)
        tap.run("no bug logged", lambda: assert_eq(srv.bugs(), []))
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
