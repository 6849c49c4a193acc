#!/usr/bin/python3
"""A mock of pagoPA Checkout for creditor entities, on loopback, for the
portal's tests: POST /checkout/ec/v1/carts takes a CartRequest as
../shared/spec/io/pagopa-ecommerce.yaml defines it (paymentNotices: 1..5 of
noticeNumber 18 chars, fiscalCode 11, amount integer >= 1, companyName,
description; returnUrls with returnOkUrl, returnCancelUrl, returnErrorUrl;
optional emailNotice), checks it, and answers 302 to a payment page
/c/<id> that links back to the return URLs. A malformed cart is answered
400 with a problem JSON. GET /_test/carts lists what it received.

Usage: mock_checkout.py [--port N]   Prints "PORT <n>" when ready."""
import argparse
import html
import json
import re
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
CARTS = {}
ORDER = []


def check_cart(c):
    if not isinstance(c, dict):
        return "body is not an object"
    pn = c.get("paymentNotices")
    if not isinstance(pn, list) or not 1 <= len(pn) <= 5:
        return "paymentNotices: 1..5 items"
    for i, n in enumerate(pn):
        for k in ("noticeNumber", "fiscalCode", "amount", "companyName", "description"):
            if k not in n:
                return "paymentNotices[%d].%s is required" % (i, k)
        if not isinstance(n["noticeNumber"], str) or len(n["noticeNumber"]) != 18:
            return "paymentNotices[%d].noticeNumber: 18 characters" % i
        if not isinstance(n["fiscalCode"], str) or len(n["fiscalCode"]) != 11:
            return "paymentNotices[%d].fiscalCode: 11 characters" % i
        if not isinstance(n["amount"], int) or isinstance(n["amount"], bool) or n["amount"] < 1:
            return "paymentNotices[%d].amount: integer >= 1" % i
        if not isinstance(n["description"], str) or not n["description"] or len(n["description"]) > 140:
            return "paymentNotices[%d].description: 1..140 characters" % i
    ru = c.get("returnUrls")
    if not isinstance(ru, dict):
        return "returnUrls is required"
    for k in ("returnOkUrl", "returnCancelUrl", "returnErrorUrl"):
        if not isinstance(ru.get(k), str) or not re.match(r"^https?://", ru[k]):
            return "returnUrls.%s: an absolute URI" % k
    if "emailNotice" in c and (not isinstance(c["emailNotice"], str) or "@" not in c["emailNotice"]):
        return "emailNotice: an e-mail address"
    return None


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, ctype="application/json", headers=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        if self.path != "/checkout/ec/v1/carts":
            return self.send(404, '{"title":"Not found"}')
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            return self.send(400, '{"title":"Bad request","detail":"JSON body expected"}')
        n = int(self.headers.get("Content-Length") or 0)
        try:
            cart = json.loads(self.rfile.read(n))
        except ValueError:
            return self.send(400, '{"title":"Bad request","detail":"malformed JSON"}')
        err = check_cart(cart)
        if err:
            return self.send(400, json.dumps({"title": "Bad request", "status": 400, "detail": err}))
        cid = str(uuid.uuid4())
        with LOCK:
            CARTS[cid] = cart
            ORDER.append(cid)
        loc = "http://127.0.0.1:%d/c/%s" % (self.server.server_port, cid)
        return self.send(302, "", "text/plain", {"Location": loc})

    def do_GET(self):
        if self.path == "/_test/carts":
            with LOCK:
                return self.send(200, json.dumps([dict(CARTS[c], id=c) for c in ORDER]))
        m = re.match(r"^/c/([0-9a-f-]{36})$", self.path)
        with LOCK:
            cart = CARTS.get(m.group(1)) if m else None
        if not cart:
            return self.send(404, "<p>Carrello sconosciuto</p>", "text/html; charset=utf-8")
        items = "".join("<li>%s: %s (%d centesimi)</li>" % (html.escape(n["companyName"]),
                                                             html.escape(n["description"]), n["amount"])
                        for n in cart["paymentNotices"])
        ok = html.escape(cart["returnUrls"]["returnOkUrl"])
        page = ("<!doctype html><html lang=\"it\"><head><meta charset=\"utf-8\"><title>Checkout pagoPA (prova)</title>"
                "</head><body><main><h1>Checkout pagoPA (prova)</h1><ul>%s</ul>"
                "<p><a id=\"paga\" href=\"%s\">Paga e torna all'Ente</a></p></main></body></html>") % (items, ok)
        return self.send(200, page, "text/html; charset=utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    print("PORT %d" % srv.server_port, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
