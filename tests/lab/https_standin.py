#!/usr/bin/python3
"""The lab's web stand-ins (http.server + ssl, one thread per request):

  127.0.0.4:443  Exchange EWS, https://mail.contoso.com/EWS/Exchange.asmx: 401 with
                 WWW-Authenticate Negotiate and NTLM, as Exchange answers without credentials
  127.0.0.7:443  the same with a certificate from a CA nobody trusts (`untrusted`)
  127.0.0.8:443  the same with a certificate for another name (`wrongname`)
  127.0.0.5:443  Office 365 (certificate `cloud`): the Entra ID token endpoint
                 /<tenant>/oauth2/v2.0/token (client credentials) and Exchange Online's
                 /EWS/Exchange.asmx, which takes the Bearer token and answers GetFolder for
                 the MIM Service mailbox
  127.0.0.6:80   SharePoint, http://corpidm.contoso.local: 401 Negotiate with IIS and
                 SharePoint headers on / and /IdentityManagement/; /pki/issuing.crt is the
                 lab's intermediate CA (the AIA address in the `mail-chain` certificate)
  127.0.0.6:443  an IIS server with Windows authentication on every path (certificate
                 `corpidm`): 401 Negotiate and NTLM everywhere, and no Exchange header
  127.0.0.3:443  a reverse proxy's pre-authentication gateway (certificate `corpsql`): an HTML
                 sign-in page for every request, GET or POST (EWS, the token endpoint)

The token endpoint also knows three more apps, each with the right secret: one disabled
(AADSTS7000112), one a Conditional Access policy blocks (AADSTS53003), and one whose token
holds full_access_as_app that Exchange Online does not use yet (401, x-ms-diagnostics 2000008).

    https_standin.py LAB_DIR

The app's client secret comes from the environment (MIM_LAB_APP_SECRET). Error answers copy
Entra ID's JSON bodies (error, error_description with the AADSTS code, error_codes) and
Exchange's SOAP response codes. Writes LAB_DIR/mail/https.ready when every listener is up.
"""
import base64
import json
import os
import re
import secrets
import signal
import ssl
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad"
TENANT_DOMAIN = "contoso.onmicrosoft.com"
APP_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
# A second registered app without the full_access_as_app grant (no admin consent).
APP_NO_CONSENT = "6e8bc430-9c3a-11d9-9669-0800200c9a66"
APP_DISABLED = "0c3f6e1a-6a55-4c2b-9d3e-7f1d2a3b4c5d"
APP_BLOCKED = "1d4a7f2b-7b66-4d3c-8e4f-8a2e3b4c5d6e"
APP_PENDING = "2e5b8a3c-8c77-4e4d-9f5a-9b3f4c5d6e7f"
MAILBOX = "mimservice@contoso.onmicrosoft.com"
SCOPE = "https://outlook.office365.com/.default"
EXCHANGE_APP = "00000002-0000-0ff1-ce00-000000000000"

ISSUED = {}  # token -> claims
ISSUED_LOCK = threading.Lock()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def aad_error(status, error, code, text):
    trace, corr = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
    body = {
        "error": error,
        "error_description": f"AADSTS{code}: {text} Trace ID: {trace} Correlation ID: {corr} Timestamp: {stamp}",
        "error_codes": [code],
        "timestamp": stamp,
        "trace_id": trace,
        "correlation_id": corr,
        "error_uri": f"https://login.microsoftonline.com/error?code={code}",
    }
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body).encode()


def token_endpoint(tenant, form, secret):
    get = lambda k: form.get(k, [""])[0]
    if tenant.lower() not in (TENANT_ID, TENANT_DOMAIN):
        return aad_error(400, "invalid_request", 90002, f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
    if get("grant_type") != "client_credentials":
        return aad_error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
    client = get("client_id").lower()
    if client not in (APP_ID, APP_NO_CONSENT, APP_DISABLED, APP_BLOCKED, APP_PENDING):
        return aad_error(400, "unauthorized_client", 700016, f"Application with identifier '{client}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.")
    if get("client_secret") != secret:
        return aad_error(401, "invalid_client", 7000215, f"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client}'.")
    if client == APP_DISABLED:
        return aad_error(400, "unauthorized_client", 7000112, f"Application '{client}'(MIM Service mailbox) is disabled.")
    if client == APP_BLOCKED:
        return aad_error(400, "invalid_grant", 53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.")
    scope = get("scope")
    if not scope.endswith("/.default"):
        return aad_error(400, "invalid_scope", 1002012, f"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
    if scope != SCOPE:
        return aad_error(400, "invalid_resource", 500011, f"The resource principal named {scope[:-len('/.default')]} was not found in the tenant named Contoso. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.")
    now = int(time.time())
    claims = {
        "aud": "https://outlook.office365.com", "iss": f"https://sts.windows.net/{TENANT_ID}/",
        "iat": now, "nbf": now, "exp": now + 3599, "appid": client, "tid": TENANT_ID,
        "roles": ["full_access_as_app"] if client in (APP_ID, APP_PENDING) else [],
    }
    head = b64url(json.dumps({"typ": "JWT", "alg": "RS256", "kid": "lab"}).encode())
    token = f"{head}.{b64url(json.dumps(claims).encode())}.{b64url(secrets.token_bytes(32))}"
    with ISSUED_LOCK:
        ISSUED[token] = claims
    body = {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token}
    return 200, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body).encode()


SOAP_HEAD = '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="20" MajorBuildNumber="7" MinorBuildNumber="0" Version="V2018_01_08" xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types"/></s:Header>'


def soap_fault(code, text):
    body = (SOAP_HEAD + '<s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:' + code + '</faultcode>'
            '<faultstring xml:lang="en-US">' + text + '</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">' + code + '</e:ResponseCode>'
            '<e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">' + text + '</e:Message></detail></s:Fault></s:Body></s:Envelope>')
    return 500, {"Content-Type": "text/xml; charset=utf-8"}, body.encode()


def exchange_online(headers, body):
    auth = headers.get("Authorization", "")
    diag = {"WWW-Authenticate": f'Bearer client_id="{EXCHANGE_APP}", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", error="invalid_token"'}
    if not auth.startswith("Bearer "):
        return 401, diag, b""
    with ISSUED_LOCK:
        claims = ISSUED.get(auth[len("Bearer "):])
    if claims is None or claims["exp"] < time.time():
        diag["x-ms-diagnostics"] = '2000001;reason="The token is not valid.";error_category="invalid_token"'
        return 401, diag, b""
    if "full_access_as_app" not in claims["roles"] or claims["appid"] == APP_PENDING:
        diag["x-ms-diagnostics"] = '2000008;reason="The token contains no permissions, or permissions can not be understood.";error_category="invalid_grant"'
        return 401, diag, b""
    text = body.decode("utf-8", "replace")
    m = re.search(r"<(?:\w+:)?PrimarySmtpAddress>([^<]*)</", text)
    if not m:
        return soap_fault("ErrorInvalidExchangeImpersonationHeaderData", "ExchangeImpersonation SOAP header must be present for this type of OAuth token.")
    address = m.group(1).strip().lower()
    anchor = headers.get("X-AnchorMailbox", "").strip().lower()
    if anchor and anchor != address:
        return soap_fault("ErrorInvalidRequest", "X-AnchorMailbox does not name the impersonated mailbox.")
    if address != MAILBOX:
        return soap_fault("ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it.")
    if "GetFolder" not in text and "ResolveNames" not in text:
        return soap_fault("ErrorInvalidRequest", "The request is invalid.")
    ok = (SOAP_HEAD + '<s:Body><m:GetFolderResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">'
          '<m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders><t:Folder>'
          '<t:FolderId Id="AAMkAD-lab-inbox" ChangeKey="AQAAAA=="/><t:DisplayName>Inbox</t:DisplayName><t:TotalCount>0</t:TotalCount>'
          '</t:Folder></m:Folders></m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>')
    return 200, {"Content-Type": "text/xml; charset=utf-8"}, ok.encode()


IIS = {"X-Powered-By": "ASP.NET"}

SIGN_IN_PAGE = b"""<!DOCTYPE html>
<html><head><title>Contoso Secure Access - Sign in</title></head>
<body><form method="post" action="/my.policy"><input name="username"><input type="password" name="password">
<button>Sign in</button></form></body></html>"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    role = "exchange"
    secret = ""
    timeout = 30  # a client that stops talking is dropped

    def handle(self):
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError) as e:  # a client that rejects our certificate
                sys.stderr.write(f"{self.role} {self.client_address[0]} TLS handshake: {e}\n")
                return
        super().handle()

    def version_string(self):  # the Server header, as IIS (or the gateway) sends it
        return "Contoso-Gateway" if self.role == "proxy" else "Microsoft-IIS/10.0"

    def log_message(self, fmt, *args):  # one line per request, no bodies or headers
        sys.stderr.write(f"{self.role} {self.address_string()} {fmt % args}\n")

    def answer(self, status, headers, body=b""):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20)) if length else b""
        path = self.path.split("?")[0]
        lower = path.lower().rstrip("/")
        if self.role == "iis-windows-auth":
            hdrs = list(IIS.items()) + [("WWW-Authenticate", "Negotiate"), ("WWW-Authenticate", "NTLM"),
                                        ("Content-Type", "text/html")]
            return self.answer(401, hdrs, b"<html><head><title>401 - Unauthorized: Access is denied due to invalid credentials.</title></head></html>")
        if self.role == "proxy":
            hdrs = [("Content-Type", "text/html; charset=utf-8"), ("Via", "1.1 gateway.contoso.com"),
                    ("Cache-Control", "no-store")]
            return self.answer(200, hdrs, SIGN_IN_PAGE)
        if self.role == "sharepoint":
            if lower == "/pki/issuing.crt":  # the intermediate CA, where mail-chain's AIA says
                with open(os.path.join(self.cadir, "issuing.pem")) as f:
                    der = ssl.PEM_cert_to_DER_cert(f.read())
                return self.answer(200, [("Content-Type", "application/pkix-cert")], der)
            if lower in ("", "/identitymanagement"):
                hdrs = list(IIS.items()) + [("WWW-Authenticate", "Negotiate"), ("WWW-Authenticate", "NTLM"),
                                            ("MicrosoftSharePointTeamServices", "16.0.0.10337"), ("SPRequestGuid", str(uuid.uuid4()))]
                return self.answer(401, hdrs, b"401 UNAUTHORIZED")
            return self.answer(404, list(IIS.items()), b"404 NOT FOUND")
        if self.role == "exchange":
            if lower == "/ews/exchange.asmx":
                hdrs = list(IIS.items()) + [("WWW-Authenticate", "Negotiate"), ("WWW-Authenticate", "NTLM"),
                                            ("X-FEServer", "MAIL"), ("request-id", str(uuid.uuid4()))]
                return self.answer(401, hdrs)
            return self.answer(404, list(IIS.items()))
        # Office 365
        m = re.fullmatch(r"/([^/]+)/oauth2/v2\.0/token", path)
        if m and self.command == "POST":
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            status, hdrs, out = token_endpoint(m.group(1), form, self.secret)
            return self.answer(status, list(hdrs.items()), out)
        if lower == "/ews/exchange.asmx" and self.command == "POST":
            status, hdrs, out = exchange_online(self.headers, body)
            return self.answer(status, list(hdrs.items()), out)
        return self.answer(404, [("Content-Type", "text/plain")], b"not found")

    do_GET = do_POST = do_HEAD = route


def serve(host, port, role, cert, cadir, secret):
    cls = type(f"{role}Handler", (Handler,), {"role": role, "secret": secret, "cadir": cadir})
    httpd = ThreadingHTTPServer((host, port), cls)
    httpd.daemon_threads = True
    if cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(os.path.join(cadir, cert + ".pem"), os.path.join(cadir, cert + ".key"))
        # The handshake happens in the request's thread, so a silent client blocks no one.
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: https_standin.py LAB_DIR")
    lab = sys.argv[1]
    secret = os.environ.get("MIM_LAB_APP_SECRET", "")
    if not secret:
        sys.exit("https_standin.py: MIM_LAB_APP_SECRET is not set")
    cadir = os.path.join(lab, "ca")
    plan = [
        ("127.0.0.4", 443, "exchange", "mail"),
        ("127.0.0.7", 443, "exchange", "untrusted"),
        ("127.0.0.8", 443, "exchange", "wrongname"),
        ("127.0.0.5", 443, "office365", "cloud"),
        ("127.0.0.6", 80, "sharepoint", None),
        ("127.0.0.6", 443, "iis-windows-auth", "corpidm"),
        ("127.0.0.3", 443, "proxy", "corpsql"),
    ]
    servers = []
    for host, port, role, cert in plan:
        try:
            servers.append(serve(host, port, role, cert, cadir, secret))
        except Exception as e:
            sys.exit(f"https_standin.py: cannot listen on {host}:{port} ({role}): {e}")
    with open(os.path.join(lab, "mail", "https.ready"), "w") as f:
        f.write(" ".join(f"{h}:{p}" for h, p, _, _ in plan) + "\n")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(1):
        pass
    for s in servers:
        s.shutdown()


if __name__ == "__main__":
    main()
