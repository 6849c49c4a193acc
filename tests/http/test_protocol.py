#!/usr/bin/env python3
"""The protocol register through the command line, on the real binary:
8 processes registering at once while some are killed with SIGKILL in the
middle leave no gap and no repeat; the CSV list has the documented
columns; the daily register is issued once and then notices a rewrite;
an Ente is named by slug or codice fiscale; the segnatura XML is valid
against the AgID schema and its XML-DSig verifies with xmlsec1 (a key and
a self-signed certificate made here with openssl), a tampered copy not.
Usage: test_protocol.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import csv
import io
import os
import random
import signal
import subprocess
import sys
import time

from harness import Server, Tap, assert_eq, assert_in

BORGO = "borgo-fittizio"
HERE = os.path.dirname(os.path.abspath(__file__))
XSD = os.path.join(HERE, "..", "..", "..", "shared", "spec", "protocollo", "segnatura_protocollo.xsd")


def add(srv, subject, *extra):
    return srv.cli("protocol", "add", "--ente", BORGO, "--direction", "in", "--correspondent",
                   "Mario Rossi", "--subject", subject, "--channel", "email", *extra)


def numbers(srv):
    out = srv.sql("SELECT number FROM protocol_entry WHERE ente_id = "
                  "(SELECT id FROM ente WHERE slug = '%s') ORDER BY number" % BORGO)
    return [int(x) for x in out.split()] if out else []


def t_crash_no_gap(srv):
    """8 writers in parallel, several killed with SIGKILL while running."""
    before = len(numbers(srv))
    deadline = time.time() + 25
    procs, killed, started = [], 0, 0
    rnd = random.Random(7)
    while time.time() < deadline and (len(numbers(srv)) < before + 30 or killed < 5):
        while len(procs) < 8:
            procs.append((time.time(), subprocess.Popen(
                [srv.binary, "protocol", "add", "--ente", BORGO, "--direction", "in",
                 "--correspondent", "Processo %d" % started, "--subject", "Carico concorrente"],
                env=srv.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
            started += 1
        time.sleep(rnd.uniform(0.02, 0.08))
        t0, victim = procs[rnd.randrange(len(procs))]
        # a process past its start-up is likely inside its transaction
        if victim.poll() is None and time.time() - t0 > rnd.uniform(0.02, 0.3) and rnd.random() < 0.5:
            victim.send_signal(signal.SIGKILL)
            killed += 1
        procs = [(t, p) for t, p in procs if p.poll() is None]
    for _, p in procs:
        p.wait(timeout=60)
    got = numbers(srv)
    assert len(got) >= before + 10, "too few registrations: %d" % len(got)
    assert killed >= 3, "the test killed only %d processes" % killed
    assert_eq(got, list(range(1, len(got) + 1)), "gap or repeat")
    # the counter agrees with the entries, and the audit chain is intact
    year = srv.sql("SELECT MAX(year) FROM protocol_entry")
    last = srv.sql("SELECT last_number FROM protocol_counter WHERE year = %s AND ente_id = "
                   "(SELECT id FROM ente WHERE slug = '%s')" % (year, BORGO))
    assert_eq(int(last), len(got))
    r = srv.cli("audit", "verify")
    assert_eq(r.returncode, 0)


def t_list_csv(srv):
    path = os.path.join(srv.tmp, "istanza.txt")
    with open(path, "w") as f:
        f.write("richiesta")
    r = add(srv, "Istanza, con virgola e \"virgolette\"", "--file", path, "--category", "rimborso")
    assert_in("registrato", r.stdout)
    cf = srv.sql("SELECT fiscal_code FROM ente WHERE slug = '%s'" % BORGO)
    year = srv.sql("SELECT MAX(year) FROM protocol_entry")
    r = srv.cli("protocol", "list", "--ente", cf, "--year", year, "--format", "csv")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert_eq(rows[0], ["number", "datetime", "direction", "correspondent", "subject", "sha256"])
    last = rows[-1]
    assert_eq(last[4], "Istanza, con virgola e \"virgolette\"")
    assert len(last[5]) == 64, last
    assert last[0].endswith("/" + year) and len(last[0].split("/")[0]) >= 7, last
    # bad input: a clear error and exit 2, nothing written
    n = len(numbers(srv))
    r = srv.cli("protocol", "add", "--ente", BORGO, "--direction", "su", "--correspondent", "x",
                "--subject", "y", check=False)
    assert_eq(r.returncode, 1)
    assert_in("entrata", r.stderr)
    r = srv.cli("protocol", "add", "--ente", "non-esiste", "--direction", "in",
                "--correspondent", "x", "--subject", "y", check=False)
    assert_in("ente inesistente", r.stderr)
    assert_eq(len(numbers(srv)), n)


def t_day_register(srv):
    year = srv.sql("SELECT MAX(year) FROM protocol_entry")
    day = srv.sql("SELECT MAX(reg_day) FROM protocol_entry")
    later = {"SPORTELLO_TEST_NOW": str(int(time.time()) + 3 * 86400)}
    r = srv.cli("protocol", "register", "--ente", BORGO, "--date", day, check=False)
    assert_eq(r.returncode, 1)  # the day is not over yet
    assert_in("dopo la chiusura", r.stderr)
    r = srv.cli("protocol", "register", "--ente", BORGO, "--date", day, env=later)
    assert_in("# Impronta SHA-256 delle registrazioni:", r.stdout)
    assert_in("emesso", r.stderr)
    r = srv.cli("protocol", "register", "--ente", BORGO, "--date", day, env=later)
    assert_in("conforme", r.stderr)
    srv.sql("UPDATE protocol_entry SET correspondent = 'Altro' WHERE number = 1 AND year = %s" % year)
    r = srv.cli("protocol", "register", "--ente", BORGO, "--date", day, env=later, check=False)
    assert_eq(r.returncode, 1)
    assert_in("ATTENZIONE", r.stderr)


def t_segnatura(srv):
    tmp = srv.tmp
    key, cert = os.path.join(tmp, "firma.key"), os.path.join(tmp, "firma.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=Protocollo Borgo Fittizio"],
                   check=True, capture_output=True)
    doc1, doc2 = os.path.join(tmp, "istanza.pdf"), os.path.join(tmp, "allegato & <1>.txt")
    with open(doc1, "wb") as f:
        f.write(b"%PDF-1.4 istanza di rimborso\n")
    with open(doc2, "wb") as f:
        f.write(b"allegato\n")
    srv.cli("protocol", "add", "--ente", BORGO, "--direction", "in", "--correspondent",
            "Mario Rossi <mario.rossi@example.org>", "--subject", "Rimborso IMU \"2025\" & <altro>",
            "--channel", "email", "--category", "rimborso", "--file", doc1, "--file", doc2)
    year = srv.sql("SELECT MAX(year) FROM protocol_entry")
    num = int(srv.sql("SELECT MAX(number) FROM protocol_entry WHERE year = %s" % year))
    ref = "%d/%s" % (num, year)
    # not configured: a clear error, nothing printed
    r = srv.cli("protocol", "segnatura", "--ente", BORGO, ref, check=False)
    assert_eq(r.returncode, 1)
    assert_in("signing_key", r.stderr)
    assert_eq(r.stdout, "")
    env = {"SPORTELLO_PROTOCOL_SIGNING_KEY": key, "SPORTELLO_PROTOCOL_SIGNING_CERT": cert}
    r = srv.cli("protocol", "segnatura", "--ente", BORGO, ref, env=env)
    xml = os.path.join(tmp, "segnatura.xml")
    with open(xml, "w") as f:
        f.write(r.stdout)
    assert_in("<prot:NumeroRegistrazione>%07d</prot:NumeroRegistrazione>" % num, r.stdout)
    assert_in("Rimborso IMU \"2025\" &amp; &lt;altro&gt;", r.stdout)
    assert_in("mario.rossi@example.org", r.stdout)
    sha = srv.sql("SELECT sha256 FROM protocol_document d JOIN protocol_entry e ON e.id = d.entry_id"
                  " WHERE e.year = %s AND e.number = %d AND d.role = 'primary'" % (year, num))
    import base64
    assert_in(base64.b64encode(bytes.fromhex(sha)).decode(), r.stdout)
    v = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", XSD, xml],
                       capture_output=True, text=True)
    assert_eq(v.returncode, 0, v.stderr)
    v = subprocess.run(["xmlsec1", "--verify", "--trusted-pem", cert, xml],
                       capture_output=True, text=True)
    assert_eq(v.returncode, 0, v.stderr)
    assert_in("OK", v.stdout + v.stderr)
    # a tampered copy (another subject) does not verify
    bad = os.path.join(tmp, "segnatura-alterata.xml")
    with open(bad, "w") as f:
        f.write(r.stdout.replace("Rimborso IMU", "Rimborso TARI"))
    v = subprocess.run(["xmlsec1", "--verify", "--trusted-pem", cert, bad],
                       capture_output=True, text=True)
    assert v.returncode != 0, v.stdout + v.stderr
    # the same year given with --year; a number that does not exist
    r2 = srv.cli("protocol", "segnatura", "--ente", BORGO, str(num), "--year", year, env=env)
    assert_in("<prot:NumeroRegistrazione>%07d<" % num, r2.stdout)
    r = srv.cli("protocol", "segnatura", "--ente", BORGO, "%d/%s" % (num + 100, year), env=env,
                check=False)
    assert_eq(r.returncode, 1)
    assert_in("non trovata", r.stderr)
    # an entry without documents has no segnatura
    add(srv, "Senza documenti")
    r = srv.cli("protocol", "segnatura", "--ente", BORGO, "%d/%s" % (num + 1, year), env=env,
                check=False)
    assert_eq(r.returncode, 1)
    assert_in("documento primario", r.stderr)


def t_register_pdf(srv):
    # enough entries on the day of the latest one for more than one page
    day = srv.sql("SELECT reg_day FROM protocol_entry ORDER BY id DESC LIMIT 1")
    have = int(srv.sql("SELECT count(*) FROM protocol_entry WHERE reg_day = '%s'" % day))
    for i in range(max(0, 25 - have)):
        add(srv, "Riempimento %d" % i)
    day = srv.sql("SELECT reg_day FROM protocol_entry ORDER BY id DESC LIMIT 1")
    year = day[:4]
    later = {"SPORTELLO_TEST_NOW": str(int(time.time()) + 3 * 86400)}
    pdf = os.path.join(srv.tmp, "registro.pdf")
    fonts = os.path.join(HERE, "..", "..", "web", "node_modules", "bootstrap-italia", "src", "fonts")
    # exit 1 is expected: earlier tests changed entries after the first issue
    r = srv.cli("protocol", "register", "--ente", BORGO, "--date", day, "--pdf", pdf,
                "--fonts", fonts, env=later, check=False)
    head = dict(l[2:].split(": ", 1) for l in r.stdout.splitlines() if l.startswith("# ") and ": " in l)
    sha, audit = head["Impronta SHA-256 delle registrazioni"], head["Testa della catena di audit a fine giornata"]
    assert len(sha) == 64 and len(audit) == 64, head
    t = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(t.split())
    assert_in("Registro giornaliero di protocollo", flat)
    assert_in(day, flat)
    assert_in(sha, flat)
    assert_in(audit, flat)
    n = int(head["Registrazioni"])
    assert n >= 25, n  # more than a page
    nums = srv.sql("SELECT number FROM protocol_entry WHERE reg_day = '%s' ORDER BY number" % day).split()
    assert_eq(len(nums), n)
    for num in (nums[0], nums[-1]):
        assert_in("%07d/%s" % (int(num), year), flat)
    assert_in("Rimborso IMU", flat)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int([l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")][0])
    assert pages >= 2, pages
    # the fonts are required: a clear error
    r = srv.cli("protocol", "register", "--ente", BORGO, "--date", day, "--pdf", pdf + "2",
                "--fonts", "/nonexistent", env=later, check=False)
    assert_eq(r.returncode, 1)
    assert_in("caratteri non trovati", r.stderr)


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("protocol[%s]" % backend)
    srv = Server(binary, backend, pg, taxpayers=5, demo_args=("--no-cases",))
    try:
        srv.stop()  # the command line is enough
        for t in [t_crash_no_gap, t_list_csv, t_day_register, t_segnatura, t_register_pdf]:
            tap.run(t.__name__[2:], t, srv)
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
