#!/usr/bin/env python3
"""The protocol register through the command line, on the real binary:
8 processes registering at once while some are killed with SIGKILL in the
middle leave no gap and no repeat; the CSV list has the documented
columns; the daily register is issued once and then notices a rewrite;
an Ente is named by slug or codice fiscale.
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


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("protocol[%s]" % backend)
    srv = Server(binary, backend, pg, taxpayers=5, demo_args=("--no-cases",))
    try:
        srv.stop()  # the command line is enough
        for t in [t_crash_no_gap, t_list_csv, t_day_register]:
            tap.run(t.__name__[2:], t, srv)
    finally:
        srv.stop()
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
