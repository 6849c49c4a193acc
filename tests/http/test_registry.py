#!/usr/bin/env python3
"""HTTP tests of the registry as a new user meets it: search that tells a
codice fiscale from a name, the list browsable without a query (true total,
numbered pages, columns that tell namesakes apart; UI and API), the
taxpayer form (every address and contact, only the fields of the kind,
"Annulla", one more row without JavaScript), Italian labels for stored
codes, Italian numbers, a breadcrumb on every office and administration
page, and the accessibility statement in AgID's form.
Usage: test_registry.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import html
import re
import sys

from harness import Server, Tap, assert_eq, assert_in, assert_valid_html
from test_http import BORGO, api, api_token, cf_check_char, count

FEEDBACK_MAIL = "segnalazioni.accessibilita@borgo.example.org"


def person_cf(surname3, name3, day, seed):
    base = "%s%s%02dA%02dH501" % (surname3, name3, 60 + seed % 30, day)
    return base + cf_check_char(base)


def ente_id(srv, slug):
    return int(srv.sql("SELECT id FROM ente WHERE slug = '%s'" % slug))


def signed_in(srv, user="operatore"):
    c = srv.client()
    assert_eq(c.login(user).status, 303)
    return c


def create(c, slug, form):
    r = c.post("/ufficio/%s/contribuenti/nuovo" % slug, form)
    assert_eq(r.status, 303, r.text[:500])
    return int(re.search(r"/contribuenti/(\d+)", r.header("Location")).group(1))


def company_form(name, code, **extra):
    f = {"kind": "company", "fiscal_code": code, "vat_number": code, "company_name": name,
         "address_rows": "1", "address_0_kind": "sede_legale", "address_0_street": "Via Po 3",
         "address_0_postal_code": "10121", "address_0_city": "Torino", "address_0_province": "TO",
         "contact_rows": "1", "contact_0_channel": "pec", "contact_0_value": "romano@pec.example.org",
         "contact_source": "sportello"}
    f.update(extra)
    return f


def piva(first10):
    s = 0
    for i, ch in enumerate(first10):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return first10 + str((10 - s % 10) % 10)


def rows(page_html):
    body = page_html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page_html else ""
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def t_search_sixteen_letter_name(srv):
    """'Romano Alimentari' has 16 letters: it is a name, not a codice fiscale."""
    c = signed_in(srv)
    code = piva("0412345678")
    create(c, BORGO, company_form("Romano Alimentari", code))
    for q in ("Romano Alimentari", "romano alimentari", "ROMANO ALIMENTARI"):
        r = c.get("/ufficio/%s/contribuenti?q=%s" % (BORGO, q.replace(" ", "+")))
        assert_eq(r.status, 200)
        assert_in("Romano Alimentari</a>", r.text, "searching %r" % q)
        assert_valid_html(r)
    # the partita IVA, also written with IT in front, finds the company
    for q in (code, "IT" + code, "it %s" % code):
        r = c.get("/ufficio/%s/contribuenti?q=%s" % (BORGO, q.replace(" ", "+")))
        assert_in("Romano Alimentari</a>", r.text, "searching %r" % q)


def t_search_fiscal_code(srv):
    c = signed_in(srv)
    cf = srv.sql("SELECT fiscal_code FROM taxpayer WHERE ente_id = %d AND kind = 'person' "
                 "ORDER BY id LIMIT 1" % ente_id(srv, BORGO))
    r = c.get("/ufficio/%s/contribuenti?q=%s" % (BORGO, cf.lower()))
    assert_eq(len(rows(r.text)), 1)
    assert_in(cf, r.text)
    # a wrong check character is not taken for a code: nothing, and a hint
    wrong = cf[:15] + ("A" if cf[15] != "A" else "B")
    r = c.get("/ufficio/%s/contribuenti?q=%s" % (BORGO, wrong))
    assert_in("Nessun contribuente trovato", r.text)
    assert_in("quello indicato non è valido", r.text)
    assert_valid_html(r)


def t_browse_without_query(srv):
    c = signed_in(srv)
    eid = ente_id(srv, BORGO)
    total = count(srv, "SELECT COUNT(*) FROM taxpayer WHERE ente_id = %d" % eid)
    assert total > 50, "the fixture needs more than two pages (%d)" % total
    pages = (total + 24) // 25
    r = c.get("/ufficio/%s/contribuenti" % BORGO)
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("%d contribuenti · pagina 1 di %d" % (total, pages), r.text)
    first = rows(r.text)
    assert_eq(len(first), 25)
    for col in ("Codice fiscale", "Partita IVA", "Nascita", "Tipo"):
        assert_in('<th scope="col">%s</th>' % col, r.text)
    assert_in('aria-label="Paginazione"', r.text)
    assert_in('href="/ufficio/%s/contribuenti?pagina=%d"' % (BORGO, pages), r.text)  # the last page
    r2 = c.get("/ufficio/%s/contribuenti?pagina=2" % BORGO)
    assert_in("pagina 2 di %d" % pages, r2.text)
    assert re.search(r'aria-current="page"><span class="visually-hidden">Pagina </span>2</a>', r2.text)
    assert_in(">Precedente</a>", r2.text)
    second = rows(r2.text)
    assert not set(first) & set(second), "page 2 repeats rows of page 1"
    # the last page holds the rest
    r3 = c.get("/ufficio/%s/contribuenti?pagina=%d" % (BORGO, pages))
    assert_eq(len(rows(r3.text)), total - 25 * (pages - 1))
    # a name prefix gets its own true total
    n_r = count(srv, "SELECT COUNT(*) FROM taxpayer WHERE ente_id = %d AND "
                     "(lower(surname) LIKE 'r%%' OR lower(company_name) LIKE 'r%%')" % eid)
    r = c.get("/ufficio/%s/contribuenti?q=r" % BORGO)
    assert_in("%d contribuent" % n_r, r.text)


def t_namesakes_told_apart(srv):
    c = signed_in(srv)
    a = person_cf("RZZ", "PLA", 12, 1)
    b = person_cf("RZZ", "PLA", 25, 2)
    for cf, born, place in ((a, "1961-01-12", "Roma"), (b, "1962-01-25", "Milano")):
        create(c, BORGO, {"kind": "person", "fiscal_code": cf, "surname": "Rizzo",
                          "given_name": "Paola", "birth_date": born, "birth_place": place,
                          "address_rows": "1", "contact_rows": "1",
                          "contact_source": "sportello"})
    r = c.get("/ufficio/%s/contribuenti?q=rizzo+paola" % BORGO)
    found = [x for x in rows(r.text) if "Rizzo Paola" in x]
    assert_eq(len(found), 2)
    assert a in r.text and b in r.text
    assert_in("12/01/1961, Roma", r.text)
    assert_in("25/01/1962, Milano", r.text)


def t_api_browse(srv):
    c = srv.client()
    tok = api_token(srv, BORGO)
    total = count(srv, "SELECT COUNT(*) FROM taxpayer WHERE ente_id = %d" % ente_id(srv, BORGO))
    r = api(c, "GET", "/api/v1/taxpayers?ente=%s&limit=20" % BORGO, tok)
    assert_eq(r.status, 200, r.text[:300])
    d = r.json()
    assert_eq(d["total"], total)
    assert_eq(len(d["items"]), 20)
    assert_eq((d["limit"], d["offset"]), (20, 0))
    seen = [x["id"] for x in d["items"]]
    off = 20
    while off < total:
        d = api(c, "GET", "/api/v1/taxpayers?ente=%s&limit=20&offset=%d" % (BORGO, off), tok).json()
        assert_eq(d["total"], total)
        seen += [x["id"] for x in d["items"]]
        off += 20
    assert_eq(len(seen), total)
    assert_eq(len(set(seen)), total)
    d = api(c, "GET", "/api/v1/taxpayers?ente=%s&q=Romano+Alimentari" % BORGO, tok).json()
    assert_eq([x["company_name"] for x in d["items"]], ["Romano Alimentari"])
    assert_eq(d["total"], 1)
    # the published schema lists the new fields
    doc = c.get("/api/v1/openapi.json").json()
    props = doc["paths"]["/api/v1/taxpayers"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]["properties"]
    assert "total" in props


def t_form_every_address_and_contact(srv):
    c = signed_in(srv, "gestore")
    cf = person_cf("TSS", "MRA", 3, 4)
    form = {"kind": "person", "fiscal_code": cf, "surname": "Tessitore", "given_name": "Mara",
            "address_rows": "2",
            "address_0_kind": "residenza", "address_0_street": "Via Roma 1",
            "address_0_postal_code": "00100", "address_0_city": "Roma", "address_0_province": "RM",
            "address_1_kind": "domicilio", "address_1_street": "Via Po 2",
            "address_1_postal_code": "10121", "address_1_city": "Torino", "address_1_province": "TO",
            "contact_rows": "3", "contact_0_channel": "email", "contact_0_value": "mara@example.org",
            "contact_0_consent": "1", "contact_1_channel": "pec",
            "contact_1_value": "mara@pec.example.org", "contact_2_channel": "mobile",
            "contact_2_value": "+393331234567", "contact_source": "telefono"}
    tid = create(c, BORGO, form)
    assert_eq(count(srv, "SELECT COUNT(*) FROM taxpayer_address WHERE taxpayer_id = %d" % tid), 2)
    assert_eq(count(srv, "SELECT COUNT(*) FROM taxpayer_contact WHERE taxpayer_id = %d" % tid), 3)
    edit = "/ufficio/%s/contribuenti/%d/modifica" % (BORGO, tid)
    page = c.get(edit)
    assert_valid_html(page)
    # every stored row is on the form, plus one empty row of each
    assert_in('name="address_1_street" value="Via Po 2"', page.text)
    assert_in('name="contact_2_value" value="+393331234567"', page.text)
    assert_in('name="address_rows" value="3"', page.text)
    assert_in('name="contact_rows" value="4"', page.text)
    assert_in('name="address_1_remove"', page.text)
    # "Annulla" goes back to the taxpayer's page
    assert_in('<a href="/ufficio/%s/contribuenti/%d" class="btn btn-outline-secondary">Annulla</a>'
              % (BORGO, tid), page.text)
    # remove the second address, change the second contact, add a third address
    post = dict(form, address_rows="3", address_1_remove="1", contact_rows="4",
                contact_1_value="nuova@pec.example.org", address_2_kind="domicilio",
                address_2_street="Via Dante 5", address_2_postal_code="40121",
                address_2_city="Bologna", address_2_province="BO")
    r = c.post(edit, post)
    assert_eq(r.status, 303, r.text[:500])
    got = srv.sql("SELECT city FROM taxpayer_address WHERE taxpayer_id = %d ORDER BY position" % tid)
    assert_eq(got.split(), ["Roma", "Bologna"])
    got = srv.sql("SELECT value FROM taxpayer_contact WHERE taxpayer_id = %d ORDER BY position" % tid)
    assert_eq(got.split(), ["mara@example.org", "nuova@pec.example.org", "+393331234567"])


def t_form_add_row_without_js(srv):
    c = signed_in(srv)
    path = "/ufficio/%s/contribuenti/nuovo" % BORGO
    page = c.get(path)
    assert_in('name="address_rows" value="1"', page.text)
    audit = count(srv, "SELECT COUNT(*) FROM audit_log")
    tps = count(srv, "SELECT COUNT(*) FROM taxpayer")
    cf = person_cf("GGN", "RSA", 9, 5)
    r = c.post(path, {"kind": "person", "fiscal_code": cf, "surname": "Aggiunta",
                      "address_rows": "1", "address_0_street": "Via Roma 1",
                      "address_0_city": "Roma", "address_0_postal_code": "00100",
                      "contact_rows": "1", "add_address": "1"})
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in('name="address_rows" value="3"', r.text)  # the typed row, the empty one, one more
    assert_in('name="address_2_street"', r.text)
    assert_in('name="address_0_street" value="Via Roma 1"', r.text)
    assert_in('value="Aggiunta"', r.text)
    assert_eq(count(srv, "SELECT COUNT(*) FROM taxpayer"), tps)
    assert_eq(count(srv, "SELECT COUNT(*) FROM audit_log"), audit)
    r = c.post(path, {"kind": "person", "fiscal_code": cf, "contact_rows": "1", "address_rows": "1",
                      "add_contact": "1"})
    assert_in('name="contact_rows" value="2"', r.text)


def t_form_fields_of_the_kind(srv):
    c = signed_in(srv)
    path = "/ufficio/%s/contribuenti/nuovo" % BORGO
    page = c.get(path)
    person = re.search(r'<fieldset class="sp-kind mb-3" data-kind="person"[^>]*>', page.text).group(0)
    company = re.search(r'<fieldset class="sp-kind mb-3" data-kind="company"[^>]*>', page.text).group(0)
    assert "hidden" not in person and "disabled" not in person
    assert "hidden" in company and "disabled" in company
    # without JavaScript: choose "Impresa" and update the form
    r = c.post(path, {"kind": "company", "fiscal_code": "", "surname": "Resta", "refresh": "1",
                      "address_rows": "1", "contact_rows": "1"})
    assert_eq(r.status, 200)
    person = re.search(r'<fieldset class="sp-kind mb-3" data-kind="person"[^>]*>', r.text).group(0)
    company = re.search(r'<fieldset class="sp-kind mb-3" data-kind="company"[^>]*>', r.text).group(0)
    assert "hidden" in person and "disabled" in person
    assert "hidden" not in company
    assert_valid_html(r)
    # a company's page shows no person fields, a person's no company name
    tid = count(srv, "SELECT id FROM taxpayer WHERE company_name = 'Romano Alimentari'")
    r = c.get("/ufficio/%s/contribuenti/%d" % (BORGO, tid))
    assert "Cognome" not in r.text and "Data di nascita" not in r.text


def t_code_labels(srv):
    """Stored codes are shown with their Italian labels."""
    c = signed_in(srv)
    tid = count(srv, "SELECT id FROM taxpayer WHERE company_name = 'Romano Alimentari'")
    srv.sql("UPDATE taxpayer_contact SET source = 'api' WHERE taxpayer_id = %d" % tid)
    r = c.get("/ufficio/%s/contribuenti/%d" % (BORGO, tid))
    main = r.text.split('<main', 1)[1].split('</main>', 1)[0]
    for raw in ("sede_legale", ">pec<", ">api<", ">company<"):
        assert raw not in main, "raw code %s shown" % raw
    for label in ("Sede legale", ">PEC<", "Servizio applicativo (API)", "Impresa"):
        assert_in(label, main)
    assert_valid_html(r)


def t_italian_numbers(srv):
    c = signed_in(srv, "admin")
    pop = count(srv, "SELECT population FROM ente WHERE slug = '%s'" % BORGO)
    assert pop >= 1000
    it = "{:,}".format(pop).replace(",", ".")
    assert_in("<dd class=\"col-sm-8\">%s</dd>" % it, c.get("/ufficio/%s" % BORGO).text)
    assert_in(">%s</td>" % it, c.get("/admin").text)


def t_breadcrumb_everywhere(srv):
    c = signed_in(srv, "admin")
    tid = count(srv, "SELECT MIN(id) FROM taxpayer WHERE ente_id = %d" % ente_id(srv, BORGO))
    uid = count(srv, "SELECT MIN(id) FROM app_user")
    pages = ["/ufficio/%s" % BORGO, "/ufficio/%s/contribuenti" % BORGO,
             "/ufficio/%s/contribuenti?q=r" % BORGO, "/ufficio/%s/contribuenti/nuovo" % BORGO,
             "/ufficio/%s/contribuenti/%d" % (BORGO, tid),
             "/ufficio/%s/contribuenti/%d/modifica" % (BORGO, tid),
             "/admin", "/admin/enti/nuovo", "/admin/uffici/nuovo", "/admin/utenti/nuovo",
             "/admin/utenti/%d" % uid, "/accessibilita"]
    for p in pages:
        r = c.get(p)
        assert_eq(r.status, 200, p)
        nav = re.search(r'<nav class="breadcrumb-container" aria-label="Percorso di navigazione">'
                        r'(.*?)</nav>', r.text, re.S)
        assert nav, "no breadcrumb on %s" % p
        items = re.findall(r'<li class="breadcrumb-item[^"]*"', nav.group(1))
        assert len(items) >= 2, p
        assert nav.group(1).count('aria-current="page"') == 1, p
        assert_in('<a href="/">Home</a>', nav.group(1))
        assert_valid_html(r)


def t_accessibility_statement(srv):
    r = srv.client().get("/accessibilita")
    assert_eq(r.status, 200)
    assert_valid_html(r)
    t = html.unescape(r.text)
    for h in ("Stato di conformità", "Contenuti non accessibili",
              "Redazione della dichiarazione di accessibilità",
              "Meccanismo di feedback e informazioni di contatto", "Procedura di attuazione"):
        assert re.search(r"<h2[^>]*>%s</h2>" % re.escape(h), t), "missing section %s" % h
    assert_in('href="mailto:%s"' % FEEDBACK_MAIL, r.text)  # from the configuration
    assert_in("Comune di Borgo Fittizio (prova)", t)
    assert_in("parzialmente conforme", t)
    assert_in("redatta il 15/03/2026", t)
    assert_in('href="https://form.agid.gov.it/"', r.text)
    assert_in("decreto legislativo 10 agosto 2004, n. 4", t)


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("registry[%s]" % backend)
    srv = Server(binary, backend, pg, taxpayers=240, env={
        "SPORTELLO_SITE_ACCESSIBILITY_EMAIL": FEEDBACK_MAIL,
        "SPORTELLO_SITE_OWNER": "Comune di Borgo Fittizio (prova)",
        "SPORTELLO_SITE_ACCESSIBILITY_DATE": "2026-03-15"})
    try:
        for t in [t_search_sixteen_letter_name, t_search_fiscal_code, t_browse_without_query,
                  t_namesakes_told_apart, t_api_browse, t_form_every_address_and_contact,
                  t_form_add_row_without_js, t_form_fields_of_the_kind, t_code_labels,
                  t_italian_numbers, t_breadcrumb_everywhere, t_accessibility_statement]:
            tap.run(t.__name__[2:], t, srv)
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
