#!/usr/bin/env python3
"""Writes N varied messages into the Maildir DIR/new (bench/intake/run):
plain UTF-8, ISO-8859-1 quoted-printable, Windows-1252 base64, text+HTML,
messages with a small PDF attachment, PEC transport envelopes and a share
of automatic ones (out-of-office, bulk). Every Message-ID and body differ.
Usage: gen.py DIR N"""
import base64
import os
import random
import sys


def b64(b):
    e = base64.b64encode(b).decode()
    return "\r\n".join(e[i:i + 76] for i in range(0, len(e), 76))


def msg(i, rnd):
    name = rnd.choice(["Mario Rossi", "Lucia Bianchi", "Anna Verdi", "Paolo Neri", "Giulia Galli"])
    addr = "utente%d@example.it" % (i % 3000)
    head = ("From: %s <%s>\r\nTo: istanze@comune-borgo.example\r\nDate: Mon, 10 Mar 2025 09:%02d:%02d +0100\r\n"
            "Message-ID: <bench-%d@example.it>\r\nMIME-Version: 1.0\r\n" % (name, addr, i // 60 % 60, i % 60, i))
    text = ("Buongiorno, richiesta n. %d: chiedo informazioni sulla TARI dell'immobile in via "
            "Roma %d. Grazie.\r\n" % (i, i % 200)) * (1 + i % 4)
    k = i % 20
    if k < 8:
        return (head + "Subject: Richiesta %d – TARI\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n" % i + text).encode()
    if k < 11:
        body = ("Propriet\xe0 n. %d: perch\xe9 \xe8 cos\xec?\r\n" % i).encode("latin-1")
        qp = body.replace(b"\xe0", b"=E0").replace(b"\xe9", b"=E9").replace(b"\xe8", b"=E8").replace(b"\xec", b"=EC")
        return (head + "Subject: =?ISO-8859-1?Q?Propriet=E0_%d?=\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n"
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n" % i).encode() + qp
    if k < 13:
        body = ("Ricevuta da %d \u20ac \u201ccessazione\u201d\r\n" % i).encode("cp1252")
        return (head + "Subject: Cessazione %d\r\nContent-Type: text/plain; charset=windows-1252\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n" % (i, b64(body))).encode()
    if k < 16:
        return (head + "Subject: Rateizzazione %d\r\nContent-Type: multipart/alternative; boundary=\"A%d\"\r\n\r\n"
                "--A%d\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n"
                "--A%d\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>%s</p><script>x()</script></body></html>\r\n"
                "--A%d--\r\n" % (i, i, i, text, i, text, i)).encode()
    if k < 18:
        pdf = b"%%PDF-1.4\n%% documento %d\n%%%%EOF\n" % i
        return (head + "Subject: Istanza %d con allegato\r\nContent-Type: multipart/mixed; boundary=\"M%d\"\r\n\r\n"
                "--M%d\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n"
                "--M%d\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"istanza-%d.pdf\"\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--M%d--\r\n" % (i, i, i, text, i, i, b64(pdf), i)).encode()
    if k < 19:
        inner = ("From: %s <%s>\r\nTo: istanze@pec.comune-borgo.example\r\nSubject: PEC %d\r\n"
                 "Message-ID: <orig-%d@pec.example.it>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s" % (name, addr, i, i, text))
        dc = ('<?xml version="1.0" encoding="UTF-8"?><postacert tipo="posta-certificata" errore="nessuno">'
              '<intestazione><mittente>%s</mittente><oggetto>PEC %d</oggetto></intestazione><dati>'
              '<gestore-emittente>G</gestore-emittente><identificativo>opec-%d@g.example</identificativo>'
              '<msgid>&lt;orig-%d@pec.example.it&gt;</msgid></dati></postacert>' % (addr, i, i, i))
        return ("From: \"Per conto di: %s\" <posta-certificata@g.example>\r\nTo: istanze@pec.comune-borgo.example\r\n"
                "Subject: POSTA CERTIFICATA: PEC %d\r\nMessage-ID: <opec-%d@g.example>\r\nX-Trasporto: posta-certificata\r\n"
                "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"P%d\"\r\n\r\n"
                "--P%d\r\nContent-Type: text/plain\r\n\r\nMessaggio di posta certificata\r\n"
                "--P%d\r\nContent-Type: message/rfc822; name=\"postacert.eml\"\r\nContent-Disposition: inline; filename=\"postacert.eml\"\r\n\r\n%s\r\n"
                "--P%d\r\nContent-Type: application/xml; name=\"daticert.xml\"\r\nContent-Disposition: inline; filename=\"daticert.xml\"\r\n\r\n%s\r\n"
                "--P%d--\r\n" % (addr, i, i, i, i, i, inner, i, dc, i)).encode()
    return (head + "Subject: Risposta automatica: fuori sede %d\r\nAuto-Submitted: auto-replied\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nSono assente.\r\n" % i).encode()


def main():
    d, n = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(42)
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    for i in range(n):
        with open(os.path.join(d, "new", "%010d.bench.%d" % (1700000000 + i, i)), "wb") as f:
            f.write(msg(i, rnd))


if __name__ == "__main__":
    main()
