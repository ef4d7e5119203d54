"""The lab's scripted SMTP fault servers on mail.contoso.com (127.0.0.4), each a trap a real
MIM install meets. One thread per connection, one line at a time; every line a client sends
is written to LAB_DIR/mail/received.log ("PORT LINE"), so a test can prove what did and did
not arrive (a credential, above all).

  465   implicit TLS (SMTPS): the TLS handshake first, the greeting only inside it
  2421  greets 421 4.3.2 (try again later) and closes
  2554  greets 554 5.7.1 (this client's address is refused) and closes
  2525  no STARTTLS, offers AUTH PLAIN LOGIN over plain TCP, MAIL FROM needs AUTH (530)
  2526  offers STARTTLS, and AUTH PLAIN LOGIN before it too (over plain TCP), MAIL FROM needs AUTH
  2587  STARTTLS, then AUTH NTLM GSSAPI only (Exchange's Integrated authentication), MAIL FROM
        without AUTH answers 530 5.7.57
  2550  STARTTLS, no AUTH, RCPT TO answers 550 5.1.1 (no such mailbox)
  2465  STARTTLS with a certificate from the lab's intermediate CA, sent without it
"""
import os
import socket
import ssl
import threading

MAX_LINE = 4096

# port: (greeting, STARTTLS certificate or None, implicit TLS, AUTH offered, AUTH offered
#        before TLS too, AUTH required, RCPT reply)
FAULTS = {
    465: ("220 mail.contoso.com ESMTP", "mail", True, "", False, False, None),
    2421: ("421 4.3.2 Service not available, try again later", None, False, "", False, False, None),
    2554: ("554 5.7.1 Client host rejected: access denied", None, False, "", False, False, None),
    2525: ("220 mail.contoso.com ESMTP", None, False, "PLAIN LOGIN", True, True, None),
    2526: ("220 mail.contoso.com ESMTP", "mail", False, "PLAIN LOGIN", True, True, None),
    2587: ("220 mail.contoso.com Microsoft ESMTP MAIL Service ready", "mail", False, "NTLM GSSAPI", False, True, None),
    2550: ("220 mail.contoso.com ESMTP", "mail", False, "", False, False, "550 5.1.1 User unknown"),
    2465: ("220 mail.contoso.com ESMTP", "mail-chain", False, "", False, False, None),
}


class Lines:
    """Reads CRLF lines from a socket (plain or TLS) with a bound on each line."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def line(self):
        while b"\n" not in self.buf:
            if len(self.buf) > MAX_LINE:
                return None
            data = self.sock.recv(1024)
            if not data:
                return None
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("utf-8", "replace")


def context(cadir, cert):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(os.path.join(cadir, cert + ".pem"), os.path.join(cadir, cert + ".key"))
    return ctx


def serve_one(sock, port, spec, tls, log):
    greeting, cert, implicit, mechs, plain_auth, auth_required, rcpt = spec
    send = lambda s, text: s.sendall((text + "\r\n").encode())
    if implicit:
        sock = tls.wrap_socket(sock, server_side=True)
    send(sock, greeting)
    if not greeting.startswith("2"):
        return
    lines, encrypted, authed = Lines(sock), implicit, False
    while True:
        line = lines.line()
        if line is None:
            return
        log(port, line)
        cmd = line.split(" ", 1)[0].upper()
        if cmd in ("EHLO", "HELO"):
            ext = ["mail.contoso.com", "8BITMIME"]
            if tls is not None and not encrypted:
                ext.append("STARTTLS")
            if mechs and (encrypted or plain_auth):
                ext.append("AUTH " + mechs)
            send(sock, "\r\n".join(f"250-{e}" for e in ext[:-1]) + f"\r\n250 {ext[-1]}")
        elif cmd == "STARTTLS" and tls is not None and not encrypted:
            send(sock, "220 2.0.0 SMTP server ready")
            sock = tls.wrap_socket(sock, server_side=True)
            lines, encrypted = Lines(sock), True
        elif cmd == "AUTH" and mechs:
            # Never accepted: the log is what the tests read.
            send(sock, "535 5.7.8 Authentication unsuccessful")
        elif cmd == "MAIL":
            if auth_required and not authed:
                send(sock, "530 5.7.57 Client not authenticated to send mail" if "NTLM" in mechs else "530 5.7.0 Authentication required")
            else:
                send(sock, "250 2.1.0 Sender OK")
        elif cmd == "RCPT":
            send(sock, rcpt or "250 2.1.5 Recipient OK")
        elif cmd == "RSET":
            send(sock, "250 2.0.0 Resetting")
        elif cmd == "QUIT":
            send(sock, "221 2.0.0 Bye")
            return
        else:
            send(sock, "502 5.5.2 Command not recognized")


def start(lab, host="127.0.0.4"):
    """Starts every fault listener; returns a stop function."""
    cadir = os.path.join(lab, "ca")
    path = os.path.join(lab, "mail", "received.log")
    lock = threading.Lock()
    open(path, "w").close()

    def log(port, line):
        with lock, open(path, "a") as f:
            f.write(f"{port} {line}\n")

    listeners = []
    for port, spec in FAULTS.items():
        tls = context(cadir, spec[1]) if spec[1] else None
        s = socket.create_server((host, port))
        s.settimeout(1)
        listeners.append((s, port, spec, tls))
    stop = threading.Event()

    def accept(s, port, spec, tls):
        while not stop.is_set():
            try:
                c, _ = s.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            c.settimeout(30)

            def run(c=c):
                try:
                    serve_one(c, port, spec, tls, log)
                except (OSError, ssl.SSLError):
                    pass
                finally:
                    c.close()

            threading.Thread(target=run, daemon=True).start()

    for item in listeners:
        threading.Thread(target=accept, args=item, daemon=True).start()

    def halt():
        stop.set()
        for s, *_ in listeners:
            s.close()

    return [f"{host}:{p}" for p in FAULTS], halt
