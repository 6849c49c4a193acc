#!/usr/bin/env python3
"""Mail intake and the outbox against the real binary and real servers:
Dovecot (IMAP) and OpenSMTPD (delivering what we send to a Maildir), both
started on loopback by scripts/start-mail-servers.

- Maildir intake of every fixture: charsets, HTML, attachments, PEC
  envelope; automatic messages kept but never registered nor answered;
  malformed ones quarantined (CLI and /admin/posta) without blocking the
  others; new/ emptied into cur/; each request protocolled and
  acknowledged with its number (Auto-Submitted) through SMTP.
- the same message twice: registered once.
- replies (In-Reply-To, subject tag), bounces and every PEC receipt type
  linked to the outgoing message they concern.
- SMTP down: the message fails, keeps its Message-ID and goes out later.
- a crash between the SMTP transaction and its record: sent again with
  the SAME Message-ID.
- IMAP polling by UID: stored, then moved to the processed folder; a
  second poll finds nothing; a re-fetch (position lost) registers nothing
  twice.
Usage: test_mail.py BINARY sqlite|pg [PG_ADMIN_URL]"""
import email
import email.policy
import glob
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "http"))
from harness import Server, Tap, assert_eq, assert_in, assert_valid_html  # noqa: E402

FIX = os.path.join(HERE, "fixtures")
PEC_SAMPLES = os.path.join(ROOT, "..", "shared", "spec", "pec", "samples")
BORGO = "borgo-fittizio"
PEC_TYPES = ["accettazione", "non-accettazione", "presa-in-carico", "avvenuta-consegna",
             "errore-consegna", "preavviso-errore-consegna", "rilevazione-virus"]


class Ctx:
    pass


def q(srv, sql):
    return srv.sql(sql)


def qi(srv, sql):
    return int(srv.sql(sql).splitlines()[0])


def maildir(path):
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(path, sub), exist_ok=True)
    return path


def put(md, name, data):
    """Delivers into a Maildir the way an MDA does (tmp/ then new/)."""
    tmp = os.path.join(md, "tmp", name)
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, os.path.join(md, "new", name))


def fixture(name, **subst):
    with open(os.path.join(FIX, name), "rb") as f:
        data = f.read()
    for k, v in subst.items():
        data = data.replace(("@@%s@@" % k).encode(), v.encode())
    return data


def sent(ctx):
    """Messages the SMTP server delivered, parsed, in the order it wrote
    them: by modification time (Maildir names are not in arrival order:
    two delivered in the same second can sort the other way round, and a
    new one land among those a test has already counted)."""
    out = []
    files = glob.glob(os.path.join(ctx.smtp_maildir, "new", "*"))
    for p in sorted(files, key=lambda f: (os.stat(f).st_mtime_ns, f)):
        with open(p, "rb") as f:
            out.append(email.message_from_bytes(f.read(), policy=email.policy.default))
    return out


def wait_sent(ctx, n, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = sent(ctx)
        if len(got) >= n:
            return got
        time.sleep(0.2)
    raise AssertionError("the SMTP server received %d messages, expected %d" % (len(sent(ctx)), n))


def ingest(srv, md, mailbox="istanze"):
    return srv.cli("mail", "ingest", "--ente", BORGO, "--mailbox", mailbox, "--maildir", md)


def outbox_row(srv, where):
    return q(srv, "SELECT id, state, message_id, attempts FROM outbox WHERE %s ORDER BY id" % where)


def t_maildir_intake(srv, ctx):
    md = maildir(os.path.join(srv.tmp, "istanze"))
    ctx.md = md
    srv.cli("mail", "mailbox", "add", "--ente", BORGO, "--name", "istanze", "--kind", "maildir",
            "--url", md, "--address", "istanze@comune-borgo.example")
    names = sorted(n for n in os.listdir(FIX) if n.endswith(".eml"))
    for n in names:
        put(md, n, fixture(n))
    # the same message a second time, under another file name
    put(md, "01-plain-utf8-copia.eml", fixture("01-plain-utf8.eml"))
    r = ingest(srv, md)
    assert_in("14 messaggi letti", r.stdout)
    assert_in("1 già presenti", r.stdout)
    assert_in("2 in quarantena", r.stdout)
    assert_eq(os.listdir(os.path.join(md, "new")), [])
    assert_eq(len(os.listdir(os.path.join(md, "cur"))), len(names) + 1)
    ente = "(SELECT id FROM ente WHERE slug = '%s')" % BORGO
    requests = qi(srv, "SELECT count(*) FROM mail_message WHERE kind = 'request' AND ente_id = %s" % ente)
    automatic = q(srv, "SELECT auto_reason FROM mail_message WHERE kind = 'automatic' ORDER BY auto_reason")
    assert_eq(requests, 8)
    assert_eq(automatic.split(), ["auto-reply", "bulk", "loop"])
    # every request protocolled (no gap), no automatic one
    assert_eq(qi(srv, "SELECT count(*) FROM protocol_entry WHERE ente_id = %s" % ente), requests)
    assert_eq(qi(srv, "SELECT count(*) FROM mail_message WHERE kind = 'automatic' AND protocol_entry_id IS NOT NULL"), 0)
    # every request opened a case (src/domain/intake/intake_case.c) with its protocol entry
    assert_eq(qi(srv, "SELECT count(*) FROM cases WHERE ente_id = %s AND protocol_entry_id IN "
                      "(SELECT protocol_entry_id FROM mail_message WHERE kind = 'request')" % ente), requests)
    assert_eq(qi(srv, "SELECT count(*) FROM mail_message WHERE kind = 'request' AND case_id IS NULL"), 0)
    # the duplicate: one message only
    assert_eq(qi(srv, "SELECT count(*) FROM mail_message WHERE message_id = '<plain-utf8-0001@example.it>'"), 1)
    # charsets to UTF-8
    body = q(srv, "SELECT body_text FROM mail_message WHERE message_id = '<cp1252-0003@example.org>'")
    assert_in("80 € per la “cessazione” —", body)
    body = q(srv, "SELECT body_text FROM mail_message WHERE message_id = '<latin1-qp-0002@example.it>'")
    assert_in("La proprietà è in via Garibaldi", body)
    assert_in("12 m²", body)
    # sanitised HTML
    html = q(srv, "SELECT body_html FROM mail_message WHERE message_id = '<alt-0004@example.net>'")
    for bad in ("script", "onclick", "onload", "javascript:", "iframe", "style"):
        assert bad not in html, bad
    assert_in('<a href="https://example.net/info">', html)
    # attachments stored once by fingerprint, and as protocol documents
    assert_eq(qi(srv, "SELECT count(*) FROM mail_part p JOIN mail_message m ON m.id = p.message_id"
                      " WHERE m.message_id = '<attach-0007@alfa.example>'"), 3)
    assert_eq(qi(srv, "SELECT count(DISTINCT p.sha256) FROM mail_part p JOIN mail_message m ON"
                      " m.id = p.message_id WHERE m.message_id = '<attach-0007@alfa.example>'"), 2)
    docs = q(srv, "SELECT d.name FROM protocol_document d JOIN mail_message m ON m.protocol_entry_id"
                  " = d.entry_id WHERE m.message_id = '<attach-0007@alfa.example>' ORDER BY d.position")
    assert_eq(docs.splitlines(), ["messaggio.eml", "istanza.pdf", "delega firmata – copia.pdf", "note.txt"])
    # PEC envelope: the real sender and subject, daticert kept
    row = q(srv, "SELECT from_addr, subject, pec, pec_type FROM mail_message WHERE"
                 " message_id = '<opec-busta-0030@pec.gestore.example>'")
    assert_eq(row, "mario.rossi@pec.example.it|Istanza di rimborso IMU|1|posta-certificata")
    assert_eq(qi(srv, "SELECT count(*) FROM mail_message WHERE daticert_sha256 IS NOT NULL"), 1)
    # the quarantine, from the shell
    r = srv.cli("mail", "quarantine", "list", "--ente", BORGO)
    assert_in("90-malformed-binary.eml", r.stdout)
    assert_in("Mittente mancante o non valido.", r.stdout)
    # one acknowledgement per request, none for automatic messages
    assert_eq(qi(srv, "SELECT count(*) FROM outbox WHERE auto_submitted = 'auto-replied'"), requests)
    assert_eq(qi(srv, "SELECT count(*) FROM job WHERE kind = 'mail.deliver' AND state = 'queued'"), requests)


def t_acknowledgements_sent(srv, ctx):
    before = len(sent(ctx))
    srv.cli("jobs", "run")
    got = wait_sent(ctx, before + 8)
    rows = outbox_row(srv, "auto_submitted = 'auto-replied'").splitlines()
    assert all(r.split("|")[1] == "sent" for r in rows), rows
    ack = [m for m in got if m["In-Reply-To"] == "<plain-utf8-0001@example.it>"]
    assert_eq(len(ack), 1)
    ack = ack[0]
    assert_eq(ack["Auto-Submitted"], "auto-replied")
    assert_in("[Prot. ", ack["Subject"])
    assert_in("Ricevuta: Richiesta di rimborso – TARI 2025’s", ack["Subject"])
    mid = q(srv, "SELECT o.message_id FROM outbox o JOIN mail_message m ON m.id = o.object_id"
                 " AND o.object_type = 'mail_message'"
                 " WHERE m.message_id = '<plain-utf8-0001@example.it>'")
    assert_eq(ack["Message-ID"], mid)
    number = q(srv, "SELECT p.number FROM protocol_entry p JOIN mail_message m ON"
                    " m.protocol_entry_id = p.id WHERE m.message_id = '<plain-utf8-0001@example.it>'")
    assert_in("%07d/" % int(number), ack["Subject"])
    assert_in("%07d/" % int(number), ack.get_body(("plain",)).get_content())
    # the PEC envelope is answered on the sender's own Message-ID
    pec = [m for m in got if m["To"] == "mario.rossi@pec.example.it"]
    assert_eq(pec[0]["In-Reply-To"], "<orig-pec-0030@pec.example.it>")
    ctx.ack_id = mid
    ctx.ack_prot = ack["Subject"].split("[Prot. ")[1].split("]")[0]


def t_replies_receipts_bounces(srv, ctx):
    md = ctx.md
    sub = {"MSGID": ctx.ack_id, "MSGID_BARE": ctx.ack_id.strip("<>"), "PROT": ctx.ack_prot}
    put(md, "reply1.eml", fixture("templates/reply-in-reply-to.eml", N="1", **sub))
    put(md, "reply2.eml", fixture("templates/reply-tag.eml", N="2", **sub))
    put(md, "bounce.eml", fixture("templates/bounce.eml", N="3", **sub))
    for i, t in enumerate(PEC_TYPES):
        put(md, "pec-%s.eml" % t, fixture("templates/pec-%s.eml" % t, N=str(10 + i), **sub))
    entries = qi(srv, "SELECT count(*) FROM protocol_entry")
    acks = qi(srv, "SELECT count(*) FROM outbox")
    ingest(srv, md)
    first = qi(srv, "SELECT id FROM mail_message WHERE message_id = '<plain-utf8-0001@example.it>'")
    # the reply by In-Reply-To joins the first message; the one by tag too
    row = q(srv, "SELECT kind, reply_to_message FROM mail_message WHERE message_id = '<reply-1@example.it>'")
    assert_eq(row, "reply|%d" % first)
    row = q(srv, "SELECT kind, reply_to_message, case_tag FROM mail_message WHERE message_id = '<reply-tag-2@example.it>'")
    assert_eq(row, "reply|%d|prot %s-%d" % (first, ctx.ack_prot.split("/")[1], int(ctx.ack_prot.split("/")[0])))
    # both replies join the first message's case, with their incoming protocol entries
    assert_eq(qi(srv, "SELECT count(*) FROM case_message c JOIN mail_message m ON m.id = c.mail_message_id"
                      " WHERE c.kind = 'reply' AND c.protocol_entry_id = m.protocol_entry_id AND"
                      " c.case_id = (SELECT case_id FROM mail_message WHERE id = %d)" % first), 2)
    # replies are protocolled (incoming communications) but not acknowledged
    assert_eq(qi(srv, "SELECT count(*) FROM protocol_entry"), entries + 2)
    assert_eq(qi(srv, "SELECT count(*) FROM outbox"), acks)
    # the bounce and every PEC receipt: automatic, linked to our message
    ack_outbox = qi(srv, "SELECT id FROM outbox WHERE message_id = '%s'" % ctx.ack_id)
    rows = q(srv, "SELECT auto_reason, pec_type FROM mail_message WHERE outbox_id = %d ORDER BY id" % ack_outbox)
    got = [r.split("|") for r in rows.splitlines()]
    assert_eq(got[0], ["bounce", ""])
    assert_eq(sorted(g[1] for g in got[1:]), sorted(PEC_TYPES))
    assert all(g[0] == "pec-receipt" for g in got[1:]), got
    assert_eq(qi(srv, "SELECT count(*) FROM mail_message WHERE outbox_id IS NOT NULL AND"
                      " protocol_entry_id IS NOT NULL"), 0)


def t_smtp_down_then_up(srv, ctx):
    md = ctx.md
    put(md, "new-request.eml", fixture("01-plain-utf8.eml").replace(b"plain-utf8-0001", b"plain-utf8-0099"))
    ingest(srv, md)
    oid = qi(srv, "SELECT max(id) FROM outbox")
    mid = q(srv, "SELECT message_id FROM outbox WHERE id = %d" % oid)
    down = {"SPORTELLO_MAIL_SMTP_URL": "smtp://127.0.0.1:%d" % ctx.closed_port}
    srv.cli("jobs", "run", env=down)
    row = q(srv, "SELECT state, message_id, attempts, CASE WHEN last_error IS NULL THEN 0 ELSE 1 END"
                 " FROM outbox WHERE id = %d" % oid)
    assert_eq(row, "failed|%s|1|1" % mid)
    assert_eq(q(srv, "SELECT state FROM job WHERE kind = 'mail.deliver' AND dedup_key = 'outbox:%d'" % oid), "retry")
    before = len(sent(ctx))
    later = {"SPORTELLO_TEST_NOW": str(int(time.time()) + 3600)}
    srv.cli("jobs", "run", env=later)
    got = wait_sent(ctx, before + 1)
    assert_eq(q(srv, "SELECT state, attempts FROM outbox WHERE id = %d" % oid), "sent|2")
    assert_eq([m["Message-ID"] for m in got].count(mid), 1)


def t_crash_between_send_and_record(srv, ctx):
    md = ctx.md
    put(md, "crash.eml", fixture("01-plain-utf8.eml").replace(b"plain-utf8-0001", b"plain-utf8-0077"))
    ingest(srv, md)
    oid = qi(srv, "SELECT max(id) FROM outbox")
    mid = q(srv, "SELECT message_id FROM outbox WHERE id = %d" % oid)
    before = len(sent(ctx))
    r = srv.cli("jobs", "run", env={"SPORTELLO_TEST_MAIL_CRASH_AFTER_SEND": "1"}, check=False)
    assert_eq(r.returncode, 99)
    wait_sent(ctx, before + 1)
    # the SMTP transaction happened, its record did not
    assert_eq(q(srv, "SELECT state FROM outbox WHERE id = %d" % oid), "sending")
    # once the lease has expired the job runs again: same Message-ID
    later = {"SPORTELLO_TEST_NOW": str(int(time.time()) + 2 * 3600)}
    srv.cli("jobs", "run", env=later)
    got = wait_sent(ctx, before + 2)
    assert_eq([m["Message-ID"] for m in got].count(mid), 2)
    assert_eq(q(srv, "SELECT state FROM outbox WHERE id = %d" % oid), "sent")


def t_imap_polling(srv, ctx):
    inbox = ctx.imap_maildir
    srv.cli("mail", "mailbox", "add", "--ente", BORGO, "--name", "pec", "--kind", "imap",
            "--url", ctx.imap_url + "/INBOX", "--user", ctx.imap_user, "--pec",
            "--address", "istanze@pec.comune-borgo.example", "--processed-folder", "Elaborati",
            env={"SPORTELLO_PASSWORD": ctx.imap_password})
    r = srv.cli("mail", "mailbox", "list", "--ente", BORGO)
    assert ctx.imap_password not in r.stdout + r.stderr
    msgs = [("i1.eml", fixture("02-latin1-qp.eml").replace(b"latin1-qp-0002", b"imap-0001")),
            ("i2.eml", fixture("90-malformed-binary.eml")),
            ("i3.eml", fixture("07-attachments.eml").replace(b"attach-0007", b"imap-0003"))]
    for name, data in msgs:
        put(inbox, name, data)
        shutil.chown(os.path.join(inbox, "new", name), "dovecot", "dovecot")
    r = srv.cli("mail", "poll", "--ente", BORGO, "--mailbox", "pec")
    assert_in("3 messaggi letti, 2 registrati", r.stdout)
    assert_in("1 in quarantena", r.stdout)
    mb = "(SELECT id FROM mailbox WHERE name = 'pec')"
    assert_eq(qi(srv, "SELECT count(*) FROM mail_message WHERE mailbox_id = %s" % mb), 2)
    assert_eq(qi(srv, "SELECT last_uid FROM mailbox WHERE name = 'pec'"), 3)
    # moved to the processed folder after the commit
    deadline = time.time() + 10
    processed = os.path.join(inbox, ".Elaborati")
    while time.time() < deadline:
        inbox_left = os.listdir(os.path.join(inbox, "cur")) + os.listdir(os.path.join(inbox, "new"))
        moved = sum(len(os.listdir(os.path.join(processed, s))) for s in ("new", "cur")
                    if os.path.isdir(os.path.join(processed, s)))
        if not inbox_left and moved == 3:
            break
        time.sleep(0.2)
    assert_eq(inbox_left, [])
    assert_eq(moved, 3)
    # acknowledgements of a PEC mailbox go out as PEC
    assert_eq(q(srv, "SELECT DISTINCT channel FROM outbox o JOIN mail_message m ON m.id = o.object_id"
                 " AND o.object_type = 'mail_message'"
                     " WHERE m.mailbox_id = %s" % mb), "pec")
    # a second poll finds nothing new
    r = srv.cli("mail", "poll", "--ente", BORGO, "--mailbox", "pec")
    assert_in("0 messaggi letti", r.stdout)
    # the same message fetched again (position lost, message back in INBOX)
    srv.sql("UPDATE mailbox SET last_uid = 0 WHERE name = 'pec'")
    put(inbox, "again.eml", msgs[0][1])
    shutil.chown(os.path.join(inbox, "new", "again.eml"), "dovecot", "dovecot")
    entries = qi(srv, "SELECT count(*) FROM protocol_entry")
    r = srv.cli("mail", "poll", "--ente", BORGO, "--mailbox", "pec")
    assert_in("1 già presenti", r.stdout)
    assert_eq(qi(srv, "SELECT count(*) FROM protocol_entry"), entries)
    assert_eq(qi(srv, "SELECT count(*) FROM mail_message WHERE message_id = '<imap-0001@example.it>'"), 1)


def t_admin_page(srv, ctx):
    for user in ("operatore", "gestore"):
        c = srv.client()
        assert_eq(c.login(user).status, 303)
        assert_eq(c.get("/admin/posta").status, 403, user)
    c = srv.client()
    assert_eq(c.login("admin").status, 303)
    r = c.get("/admin/posta")
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("Posta in quarantena", r.text)
    assert_in("90-malformed-binary.eml", r.text)
    assert_in("Mittente mancante o non valido.", r.text)
    assert_in("UID 2", r.text)
    assert_eq(srv.bugs(), [])


def pec_sample(name, refers_to, new_id=None):
    """A receipt from ../shared/spec/pec/samples about our message refers_to
    (its X-Riferimento-Message-ID rewritten), optionally with a Message-ID
    of its own (a second receipt of the same kind)."""
    with open(os.path.join(PEC_SAMPLES, name), "rb") as f:
        data = f.read()
    data, n = re.subn(rb"(?m)^X-Riferimento-Message-ID:[^\r\n]*",
                      b"X-Riferimento-Message-ID: " + refers_to.encode(), data, count=1)
    assert n == 1, name
    if new_id:
        data, n = re.subn(rb"(?m)^Message-ID:[^\r\n]*(\r?\n[ \t][^\r\n]*)*",
                          b"Message-ID: " + new_id.encode(), data, count=1)
        assert n == 1, name
    return data


def case_out(srv, subject):
    """Opens a case at the counter for a PEC requester; returns the case id
    and its acknowledgement's outbox id and Message-ID."""
    srv.cli("cases", "add", "--ente", BORGO, "--subject", subject, "--name", "Mario Rossi",
            "--pec", "mario.rossi@pec.example.it", "--channel", "counter", "--text", "Richiesta")
    cid = qi(srv, "SELECT MAX(id) FROM cases")
    oid, mid = q(srv, "SELECT o.id, o.message_id FROM case_message m JOIN outbox o ON"
                      " o.id = m.outbox_id WHERE m.case_id = %d AND m.direction = 'out'"
                      " ORDER BY o.id LIMIT 1" % cid).split("|")
    return cid, int(oid), mid


def t_pec_receipts_delivery(srv, ctx):
    md = ctx.md
    cid, oid, mid = case_out(srv, "Richiesta di rimborso TARI via PEC")
    entries = qi(srv, "SELECT count(*) FROM protocol_entry")
    cases = qi(srv, "SELECT count(*) FROM cases")
    delivery = "SELECT COALESCE(delivery, '') || '|' || COALESCE(delivery_detail, '') FROM outbox WHERE id = %d"
    assert_eq(q(srv, delivery % oid), "|")
    put(md, "r-acc.eml", pec_sample("ricevuta-accettazione.eml", mid))
    ingest(srv, md)
    assert_eq(q(srv, delivery % oid), "accepted|accettazione")
    put(md, "r-cons.eml", pec_sample("ricevuta-avvenuta-consegna-completa-synthetic.eml", mid))
    ingest(srv, md)
    assert_eq(q(srv, delivery % oid), "delivered|avvenuta-consegna")
    # a late acceptance never replaces the final state
    put(md, "r-acc2.eml", pec_sample("ricevuta-accettazione.eml", mid, "<late-acc-1@fakepec.it>"))
    ingest(srv, md)
    assert_eq(q(srv, delivery % oid), "delivered|avvenuta-consegna")
    # kept on the message, never registered, never a case
    rows = q(srv, "SELECT kind, state, pec_type, COALESCE(protocol_entry_id, 0), COALESCE(case_id, 0)"
                  " FROM mail_message WHERE outbox_id = %d ORDER BY id" % oid).splitlines()
    assert_eq(rows, ["automatic|kept|accettazione|0|0", "automatic|kept|avvenuta-consegna|0|0",
                     "automatic|kept|accettazione|0|0"])
    assert_eq(qi(srv, "SELECT count(*) FROM protocol_entry"), entries)
    assert_eq(qi(srv, "SELECT count(*) FROM cases"), cases)
    assert_eq(qi(srv, "SELECT count(*) FROM audit_log WHERE action = 'outbox.receipt' AND"
                      " object_id = %d" % oid), 2)
    # a second message that is not delivered
    cid2, oid2, mid2 = case_out(srv, "Richiesta di sgravio via PEC")
    put(md, "r-err.eml", pec_sample("avviso-errore-consegna.eml", mid2))
    ingest(srv, md)
    assert_eq(q(srv, delivery % oid2), "not_delivered|errore-consegna")
    assert_eq(q(srv, delivery % oid), "delivered|avvenuta-consegna")
    # the case pages show it next to the outgoing message
    c = srv.client()
    assert_eq(c.login("admin").status, 303)
    r = c.get("/ufficio/%s/pratiche/%d" % (BORGO, cid))
    assert_eq(r.status, 200)
    assert_valid_html(r)
    assert_in("consegnato al destinatario", r.text)
    assert_in("Ricevuta di accettazione", r.text)
    assert_in("Ricevuta di avvenuta consegna", r.text)
    assert "non consegnato" not in r.text
    r = c.get("/ufficio/%s/pratiche/%d" % (BORGO, cid2))
    assert_eq(r.status, 200)
    assert_in("non consegnato", r.text)
    assert_in("Avviso di mancata consegna", r.text)
    assert_eq(srv.bugs(), [])


def quarantined(srv, md, name, msgid):
    """Ingests fixture 07-attachments.eml under a new Message-ID while
    mail.max_parts is 1: quarantined with its raw message kept."""
    put(md, name, fixture("07-attachments.eml").replace(b"attach-0007", msgid.encode()))
    srv.cli("mail", "ingest", "--ente", BORGO, "--mailbox", "istanze", "--maildir", md,
            env={"SPORTELLO_MAIL_MAX_PARTS": "1"})
    return qi(srv, "SELECT id FROM mail_quarantine WHERE source_ref = '%s'" % name)


def t_quarantine_release(srv, ctx):
    md = ctx.md
    assert b"attach-0007" in fixture("07-attachments.eml")
    qid = quarantined(srv, md, "parti-1.eml", "parti-0001")
    assert_eq(q(srv, "SELECT state FROM mail_quarantine WHERE id = %d" % qid), "held")
    assert_eq(qi(srv, "SELECT count(*) FROM mail_message WHERE message_id LIKE '<parti-0001%'"), 0)
    entries = qi(srv, "SELECT count(*) FROM protocol_entry")
    # released from the command line (limits back to normal): registered
    r = srv.cli("mail", "quarantine", "release", str(qid))
    assert_in("protocollo", r.stdout)
    row = q(srv, "SELECT m.kind, q.state, q.mail_message_id = m.id, m.protocol_entry_id IS NOT NULL"
                 " FROM mail_quarantine q JOIN mail_message m ON m.message_id LIKE '<parti-0001%%'"
                 " WHERE q.id = %d" % qid)
    assert row in ("request|released|1|1", "request|released|t|t"), row
    assert_eq(qi(srv, "SELECT count(*) FROM protocol_entry"), entries + 1)
    assert_eq(qi(srv, "SELECT count(*) FROM audit_log WHERE action = 'mail.quarantine.release'"
                      " AND object_id = %d" % qid), 1)
    # twice: refused, nothing more
    r = srv.cli("mail", "quarantine", "release", str(qid), check=False)
    assert_eq(r.returncode, 1)
    assert_in("non è più in quarantena", r.stderr)
    assert_eq(qi(srv, "SELECT count(*) FROM protocol_entry"), entries + 1)
    # still unreadable (no sender): stays held, says why
    nofrom = qi(srv, "SELECT id FROM mail_quarantine WHERE source_ref = '91-malformed-nofrom.eml'")
    r = srv.cli("mail", "quarantine", "release", str(nofrom), check=False)
    assert_eq(r.returncode, 1)
    assert_in("non è ancora leggibile", r.stderr)
    assert_eq(q(srv, "SELECT state FROM mail_quarantine WHERE id = %d" % nofrom), "held")
    # from /admin/posta: discard one, release another (through the worker)
    qid2 = quarantined(srv, md, "parti-2.eml", "parti-0002")
    c = srv.client()
    assert_eq(c.login("admin").status, 303)
    page = c.get("/admin/posta")
    assert_valid_html(page)
    assert_in("/admin/posta/%d/scarta" % nofrom, page.text)
    assert_in("/admin/posta/%d/acquisisci" % qid2, page.text)
    assert "/admin/posta/%d/" % qid not in page.text  # released: no longer listed
    r = c.request("POST", "/admin/posta/%d/scarta" % nofrom, body={})
    assert_eq(r.status, 403)  # no CSRF token
    r = c.post("/admin/posta/%d/scarta" % nofrom, {}, csrf_from="/admin/posta")
    assert_eq(r.status, 303)
    assert_eq(q(srv, "SELECT state FROM mail_quarantine WHERE id = %d" % nofrom), "discarded")
    assert_eq(qi(srv, "SELECT count(*) FROM audit_log WHERE action = 'mail.quarantine.discard'"
                      " AND object_id = %d AND actor_kind = 'user'" % nofrom), 1)
    r = c.post("/admin/posta/%d/scarta" % nofrom, {}, csrf_from="/admin/posta")
    assert_eq(r.status, 409)
    r = c.post("/admin/posta/%d/acquisisci" % qid2, {}, csrf_from="/admin/posta")
    assert_eq(r.status, 303)
    assert_eq(q(srv, "SELECT state FROM mail_quarantine WHERE id = %d" % qid2), "held")
    srv.cli("jobs", "run")
    assert_eq(q(srv, "SELECT state FROM mail_quarantine WHERE id = %d" % qid2), "released")
    assert_eq(qi(srv, "SELECT count(*) FROM mail_message WHERE message_id LIKE '<parti-0002%'"
                      " AND protocol_entry_id IS NOT NULL"), 1)
    page = c.get("/admin/posta")
    assert "/admin/posta/%d/" % nofrom not in page.text
    assert "/admin/posta/%d/" % qid2 not in page.text
    assert_eq(srv.bugs(), [])


def t_tls(srv, ctx):
    """IMAPS with the CA from mail.tls_ca_file; STARTTLS on the IMAP port
    (every poll of this run went through it)."""
    inbox = ctx.imap_maildir
    srv.cli("mail", "mailbox", "add", "--ente", BORGO, "--name", "imaps", "--kind", "imap",
            "--url", ctx.imaps_url + "/INBOX", "--user", ctx.imap_user,
            "--address", "tls@comune-borgo.example", env={"SPORTELLO_PASSWORD": ctx.imap_password})
    put(inbox, "t1.eml", fixture("01-plain-utf8.eml").replace(b"plain-utf8-0001", b"imaps-0001"))
    shutil.chown(os.path.join(inbox, "new", "t1.eml"), "dovecot", "dovecot")
    stored = "SELECT count(*) FROM mail_message WHERE message_id = '<imaps-0001@example.it>'"
    # with the system CAs only, the test certificate is refused: nothing read
    r = srv.cli("mail", "poll", "--ente", BORGO, "--mailbox", "imaps",
                env={"SPORTELLO_MAIL_TLS_CA_FILE": ""}, check=False)
    assert_eq(qi(srv, stored), 0, r.stdout + r.stderr)
    r = srv.cli("mail", "poll", "--ente", BORGO, "--mailbox", "imaps")
    assert_in("1 messaggi letti, 1 registrati", r.stdout)
    assert_eq(qi(srv, stored), 1)
    # IMAP logins of this run: over TLS (IMAPS or STARTTLS), never in clear
    with open(os.path.join(ctx.servers, "dovecot", "dovecot.log"), errors="replace") as f:
        logins = [l for l in f if "imap-login: Info: Login:" in l]
    assert logins, "no IMAP login logged"
    assert all("TLS" in l for l in logins), logins
    assert_eq(srv.bugs(), [])


def free_closed_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    tap = Tap("mail[%s]" % backend)
    servers = "/tmp/sportello-mailsrv-%d" % os.getpid()
    out = subprocess.run([os.path.join(ROOT, "scripts", "start-mail-servers"), servers],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print("not ok 1 - mail servers did not start\n# " + out.stderr.replace("\n", "\n# "))
        print("1..1")
        sys.exit(1)
    ctx = Ctx()
    conf = dict(line.split("=", 1) for line in out.stdout.split())
    ctx.imap_url, ctx.imap_user, ctx.imap_password = conf["IMAP_URL"], conf["IMAP_USER"], conf["IMAP_PASSWORD"]
    ctx.imap_maildir, ctx.smtp_maildir = conf["IMAP_MAILDIR"], conf["SMTP_MAILDIR"]
    ctx.imaps_url, ctx.servers = conf["IMAPS_URL"], servers
    ctx.closed_port = free_closed_port()
    srv = None
    try:
        srv = Server(binary, backend, pg, taxpayers=3, demo_args=("--no-cases",), env={
            "SPORTELLO_MAIL_SMTP_URL": conf["SMTP_URL"],
            "SPORTELLO_MAIL_SMTP_STARTTLS": "no",
            "SPORTELLO_MAIL_TLS_CA_FILE": conf["TLS_CA"],
            "SPORTELLO_MAIL_DOMAIN": "sportello.test",
        })
        for t in [t_maildir_intake, t_acknowledgements_sent, t_replies_receipts_bounces,
                  t_smtp_down_then_up, t_crash_between_send_and_record, t_imap_polling,
                  t_admin_page, t_pec_receipts_delivery, t_quarantine_release, t_tls]:
            tap.run(t.__name__[2:], t, srv, ctx)
    finally:
        if srv:
            srv.stop()
        subprocess.run([os.path.join(ROOT, "scripts", "stop-mail-servers"), servers])
        shutil.rmtree(servers, ignore_errors=True)
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
