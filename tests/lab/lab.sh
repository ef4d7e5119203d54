#!/usr/bin/env bash
# The test lab: real servers on 127.0.0.0/8 for the live checks.
#   tests/lab/lab.sh start    make the CA, start Samba AD DC and the mail stand-ins; write
#                             $LAB_DIR/env, which the tests read
#   tests/lab/lab.sh stop     stop them (and remove the loopback address Samba needs)
# Addresses: 127.0.0.2 dc1.contoso.local (Samba: DNS, LDAP, LDAPS), 127.0.0.3 corpsql (the TDS
# test server, run inside the tests), 127.0.0.4 mail.contoso.com (SMTP, EWS), 127.0.0.5 the
# Office 365 stand-ins, 127.0.0.6 corpidm.contoso.local (SharePoint stand-in), 127.0.0.7 and
# 127.0.0.8 mail servers with an untrusted and a wrong-name certificate, 127.0.0.9 faults.
# Needs root (loopback address, ports below 1024) and the Debian packages .ci/run installs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export LAB_DIR="${LAB_DIR:-$(cd "$here/../.." && pwd)/target/lab}"
mkdir -p "$LAB_DIR"

start() {
  mkdir -p "$LAB_DIR/env.d"
  "$here/ca.sh" >/dev/null
  "$here/samba.sh" start
  "$here/mail.sh" start
  {
    echo "MIM_LAB_DIR=$LAB_DIR"
    echo "MIM_SETUP_DNS=127.0.0.2"
    echo "MIM_SETUP_CA_FILE=$LAB_DIR/ca/ca.pem"
    cat "$LAB_DIR"/env.d/* 2>/dev/null || true
  } > "$LAB_DIR/env"
  echo "lab: up ($LAB_DIR/env)"
}

stop() {
  "$here/mail.sh" stop || true
  "$here/samba.sh" stop || true
  rm -f "$LAB_DIR/env"
  echo "lab: down"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
