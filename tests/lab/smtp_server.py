#!/usr/bin/python3
"""The lab's SMTP servers (aiosmtpd from Debian's python3-aiosmtpd): the Exchange stand-in
mail.contoso.com on 127.0.0.4, ports 25 and 587, with STARTTLS (the lab certificate `mail`)
and AUTH LOGIN/PLAIN checked against one fixed account; and two fault servers that are the
same but present a certificate nobody trusts (127.0.0.7:25, `untrusted`) or one for another
name (127.0.0.8:25, `wrongname`). The scripted fault servers of smtp_faults.py listen beside
them on mail.contoso.com (ports 465, 2421, 2465, 2525, 2526, 2550, 2554, 2587).

    smtp_server.py LAB_DIR

The account's password comes from the environment (MIM_LAB_SMTP_PASSWORD), never the command
line. Messages are kept in LAB_DIR/mail/messages. When every listener is up the script writes
LAB_DIR/mail/smtp.ready; it runs until SIGTERM.
"""
import os
import signal
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtp_faults  # noqa: E402  (beside this file)

# The MIM Service account as Integrated Windows Authentication would present it, and the
# forms Exchange also accepts for AUTH LOGIN/PLAIN: DOMAIN\name and the UPN.
USERS = {"contoso\\mimservice", "mimservice@contoso.local", "mimservice@contoso.com", "contoso\\svcmimservice"}


class Keep:
    """Keeps each accepted message as a file."""

    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        name = os.path.join(self.folder, f"{int(time.time() * 1000)}-{os.getpid()}-{n}.eml")
        with open(name, "wb") as f:
            f.write(f"X-Lab-Mail-From: {envelope.mail_from}\r\n".encode())
            f.write(f"X-Lab-Rcpt-To: {', '.join(envelope.rcpt_tos)}\r\n".encode())
            f.write(envelope.original_content or b"")
        return "250 2.6.0 Queued mail for delivery"


def authenticator(password):
    def check(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace").lower()
        ok = login in USERS and auth_data.password.decode("utf-8", "replace") == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    return check


def tls(cadir, name):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(os.path.join(cadir, name + ".pem"), os.path.join(cadir, name + ".key"))
    return ctx


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: smtp_server.py LAB_DIR")
    lab = sys.argv[1]
    password = os.environ.get("MIM_LAB_SMTP_PASSWORD", "")
    if not password:
        sys.exit("smtp_server.py: MIM_LAB_SMTP_PASSWORD is not set")
    cadir = os.path.join(lab, "ca")
    folder = os.path.join(lab, "mail", "messages")
    os.makedirs(folder, exist_ok=True)
    handler = Keep(folder)
    servers = [
        # (address, port, certificate, AUTH required before MAIL FROM)
        ("127.0.0.4", 25, "mail", False),
        ("127.0.0.4", 587, "mail", True),
        ("127.0.0.7", 25, "untrusted", False),
        ("127.0.0.8", 25, "wrongname", False),
    ]
    controllers = []
    for host, port, cert, auth_required in servers:
        c = Controller(
            handler,
            hostname=host,
            port=port,
            server_hostname="mail.contoso.com",
            ident="ESMTP lab server (aiosmtpd)",
            tls_context=tls(cadir, cert),
            require_starttls=False,
            auth_required=auth_required,
            auth_require_tls=True,
            authenticator=authenticator(password),
            ready_timeout=10,
        )
        try:
            c.start()
        except Exception as e:  # the reason goes to the log mail.sh shows
            for started in controllers:
                started.stop()
            sys.exit(f"smtp_server.py: cannot listen on {host}:{port}: {e}")
        controllers.append(c)
    try:
        faults, stop_faults = smtp_faults.start(lab)
    except Exception as e:
        for started in controllers:
            started.stop()
        sys.exit(f"smtp_server.py: cannot start the fault servers: {e}")
    with open(os.path.join(lab, "mail", "smtp.ready"), "w") as f:
        f.write(" ".join([f"{h}:{p}" for h, p, _, _ in servers] + faults) + "\n")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(1):
        pass
    stop_faults()
    for c in controllers:
        c.stop()


if __name__ == "__main__":
    main()
