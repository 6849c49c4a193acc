#!/usr/bin/python3
"""A small OpenID Connect provider for the portal's tests, on loopback.

It follows OpenID Connect Core 1.0 for the authorization code flow with PKCE
(RFC 7636, S256 only): discovery (/.well-known/openid-configuration), JWKS,
an authorize endpoint with a sign-in form (the fiscal code to assert), the
token endpoint (code single use, 60 s, redirect_uri and code_verifier
checked) and userinfo. ID tokens are real RS256 JWS signed with a fresh
2048-bit RSA key (python3-jwcrypto). The SPID attribute
https://attributes.eid.gov.it/fiscal_number carries "TINIT-<CF>".

Test knobs (POST /_test/config with a JSON object) make it misbehave on
purpose: other_key (sign with a key not in the JWKS), aud, iss, nonce
(override the claim), expired, alg_none, no_fiscal, fiscal_in_userinfo
(the attribute only from userinfo), rotate (a new key, published).

Usage: oidc_provider.py [--client-id ID] [--redirect-uri URI] [--port N]
Prints "PORT <n>" when ready.
"""
import argparse
import base64
import hashlib
import html
import json
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jwcrypto import jwk, jwt

FISCAL = "https://attributes.eid.gov.it/fiscal_number"
LOCK = threading.Lock()
STATE = {"codes": {}, "tokens": {}, "config": {}, "keys": [], "other": None}


def new_key(kid):
    k = jwk.JWK.generate(kty="RSA", size=2048, kid=kid)
    return k


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


class Handler(BaseHTTPRequestHandler):
    server_version = "test-oidc/1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def send(self, status, body, ctype="application/json", headers=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def issuer(self):
        return "http://127.0.0.1:%d" % self.server.server_port

    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        if u.path == "/.well-known/openid-configuration":
            iss = self.issuer()
            return self.send(200, json.dumps({
                "issuer": iss, "authorization_endpoint": iss + "/authorize",
                "token_endpoint": iss + "/token", "jwks_uri": iss + "/jwks",
                "userinfo_endpoint": iss + "/userinfo", "response_types_supported": ["code"],
                "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"], "scopes_supported": ["openid", "profile"],
                "acr_values_supported": ["https://www.spid.gov.it/SpidL1", "https://www.spid.gov.it/SpidL2"],
                "claims_supported": ["sub", "name", "given_name", "family_name", FISCAL, "acr"]}))
        if u.path == "/jwks":
            with LOCK:
                keys = [json.loads(k.export_public()) for k in STATE["keys"]]
            for k in keys:
                k["use"] = "sig"
                k["alg"] = "RS256"
            return self.send(200, json.dumps({"keys": keys}))
        if u.path == "/authorize":
            err = self.check_authorize(q)
            if err:
                return self.send(400, "<p>%s</p>" % html.escape(err), "text/html; charset=utf-8")
            hidden = "".join('<input type="hidden" name="%s" value="%s">' % (html.escape(k), html.escape(v))
                             for k, v in q.items())
            page = ("<!doctype html><html lang=\"it\"><head><meta charset=\"utf-8\"><title>Provider di prova"
                    "</title></head><body><main><h1>Provider di identità di prova</h1>"
                    "<form method=\"post\" action=\"/authorize\">%s"
                    "<label for=\"cf\">Codice fiscale</label> <input id=\"cf\" name=\"fiscal_code\" "
                    "value=\"%s\"> <label for=\"nm\">Nome</label> <input id=\"nm\" name=\"name\" value=\"Mario Prova\">"
                    "<button type=\"submit\">Autorizza</button></form></main></body></html>") % (
                        hidden, html.escape(q.get("login_hint", "")))
            return self.send(200, page, "text/html; charset=utf-8")
        if u.path == "/userinfo":
            auth = self.headers.get("Authorization", "")
            with LOCK:
                info = STATE["tokens"].get(auth[7:]) if auth.startswith("Bearer ") else None
            if not info:
                return self.send(401, json.dumps({"error": "invalid_token"}))
            return self.send(200, json.dumps(info))
        if u.path == "/_test/config":
            return self.send(200, json.dumps(STATE["config"]))
        return self.send(404, json.dumps({"error": "not_found"}))

    def check_authorize(self, q):
        if q.get("response_type") != "code":
            return "response_type must be code"
        if q.get("client_id") != self.server.client_id:
            return "unknown client_id"
        if q.get("redirect_uri") != self.server.redirect_uri:
            return "redirect_uri not registered"
        if "openid" not in q.get("scope", "").split():
            return "scope must include openid"
        if not q.get("state") or not q.get("nonce"):
            return "state and nonce are required"
        if q.get("code_challenge_method") != "S256" or len(q.get("code_challenge", "")) != 43:
            return "PKCE S256 is required"
        return None

    def body_form(self):
        n = int(self.headers.get("Content-Length") or 0)
        return dict(urllib.parse.parse_qsl(self.rfile.read(n).decode()))

    def do_POST(self):
        u = urllib.parse.urlparse(self.path)
        if u.path == "/_test/config":
            n = int(self.headers.get("Content-Length") or 0)
            cfg = json.loads(self.rfile.read(n) or b"{}")
            with LOCK:
                STATE["config"] = cfg
                if cfg.get("rotate"):
                    STATE["keys"] = [new_key("k%d" % (len(STATE["keys"]) + 1))]
            return self.send(200, "{}")
        f = self.body_form()
        if u.path == "/authorize":
            err = self.check_authorize(f)
            if err:
                return self.send(400, err, "text/plain")
            code = secrets.token_urlsafe(24)
            with LOCK:
                STATE["codes"][code] = {"challenge": f["code_challenge"], "nonce": f["nonce"],
                                        "redirect_uri": f["redirect_uri"], "client_id": f["client_id"],
                                        "cf": f.get("fiscal_code", "").strip().upper(),
                                        "name": f.get("name", "Mario Prova"),
                                        "acr": (f.get("acr_values") or "https://www.spid.gov.it/SpidL2").split()[0],
                                        "at": time.time()}
            loc = f["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": f["state"]})
            return self.send(302, "", "text/plain", {"Location": loc})
        if u.path == "/token":
            return self.token(f)
        return self.send(404, json.dumps({"error": "not_found"}))

    def token(self, f):
        with LOCK:
            c = STATE["codes"].pop(f.get("code", ""), None)
            cfg = dict(STATE["config"])
            key = STATE["keys"][0]
        if f.get("grant_type") != "authorization_code" or not c or time.time() - c["at"] > 60:
            return self.send(400, json.dumps({"error": "invalid_grant"}))
        if f.get("redirect_uri") != c["redirect_uri"] or f.get("client_id") != c["client_id"]:
            return self.send(400, json.dumps({"error": "invalid_grant"}))
        if self.server.client_secret and f.get("client_secret") != self.server.client_secret:
            return self.send(401, json.dumps({"error": "invalid_client"}))
        verifier = f.get("code_verifier", "")
        if b64url(hashlib.sha256(verifier.encode()).digest()) != c["challenge"]:
            return self.send(400, json.dumps({"error": "invalid_grant", "error_description": "PKCE"}))
        now = int(time.time())
        given, _, family = c["name"].partition(" ")
        claims = {"iss": cfg.get("iss", self.issuer()), "sub": "sub-" + hashlib.sha256(c["cf"].encode()).hexdigest()[:16],
                  "aud": cfg.get("aud", c["client_id"]), "iat": now,
                  "exp": now - 3600 if cfg.get("expired") else now + 300,
                  "nonce": cfg.get("nonce", c["nonce"]), "acr": c["acr"],
                  "given_name": given, "family_name": family or given}
        info = {"sub": claims["sub"], "given_name": given, "family_name": family or given}
        if not cfg.get("no_fiscal"):
            info[FISCAL] = "TINIT-" + c["cf"]
            if not cfg.get("fiscal_in_userinfo"):
                claims[FISCAL] = "TINIT-" + c["cf"]
        if cfg.get("alg_none"):
            hdr = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
            idt = hdr + "." + b64url(json.dumps(claims).encode()) + "."
        else:
            signer = key
            if cfg.get("other_key"):
                if not STATE["other"]:
                    STATE["other"] = new_key(key.key_id)  # same kid, key not published
                signer = STATE["other"]
            t = jwt.JWT(header={"alg": "RS256", "kid": signer.key_id, "typ": "JWT"}, claims=claims)
            t.make_signed_token(signer)
            idt = t.serialize()
        access = secrets.token_urlsafe(24)
        with LOCK:
            STATE["tokens"][access] = info
        return self.send(200, json.dumps({"access_token": access, "token_type": "Bearer", "expires_in": 300,
                                          "id_token": idt}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--client-id", default="sportello-test")
    ap.add_argument("--client-secret", default="")
    ap.add_argument("--redirect-uri", required=True)
    ap.add_argument("--port", type=int, default=0)
    a = ap.parse_args()
    STATE["keys"] = [new_key("k1")]
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.client_id, srv.client_secret, srv.redirect_uri = a.client_id, a.client_secret, a.redirect_uri
    print("PORT %d" % srv.server_port, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
