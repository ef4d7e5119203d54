#!/usr/bin/env bash
# The lab's mail and web stand-ins (Debian's /usr/bin/python3 with python3-aiosmtpd).
#   tests/lab/mail.sh start   start them, wait until each listens (at most 15 s), and write
#                             their settings to $LAB_DIR/env.d/mail
#   tests/lab/mail.sh stop    stop them
# Listeners: SMTP 127.0.0.4:25 and :587 (STARTTLS, AUTH LOGIN/PLAIN), fault SMTP 127.0.0.7:25
# (untrusted certificate) and 127.0.0.8:25 (certificate for another name), the scripted SMTP
# faults of smtp_faults.py on 127.0.0.4 (465, 2421, 2465, 2525, 2526, 2550, 2554, 2587);
# HTTPS 127.0.0.4:443 (Exchange EWS), 127.0.0.5:443 (Office 365 token endpoint and EWS),
# 127.0.0.7:443 and 127.0.0.8:443 (the same faults), 127.0.0.6:443 (Windows authentication on
# every path), 127.0.0.3:443 (a gateway's sign-in page), HTTP 127.0.0.6:80 (SharePoint).
# Needs root (ports below 1024) and the CA from ca.sh. Pids and logs in $LAB_DIR/mail.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export LAB_DIR="${LAB_DIR:-$(cd "$here/../.." && pwd)/target/lab}"
dir="$LAB_DIR/mail"
py=/usr/bin/python3

# The lab's fixed Office 365 values: those of profiles/contoso-aadp-option-c.toml and -h.
APP_ID=3f2504e0-4f89-41d3-9a0c-0305e82c3301
APP_NO_CONSENT=6e8bc430-9c3a-11d9-9669-0800200c9a66
# Apps the token endpoint refuses or Exchange Online does not yet serve (https_standin.py).
APP_DISABLED=0c3f6e1a-6a55-4c2b-9d3e-7f1d2a3b4c5d
APP_BLOCKED=1d4a7f2b-7b66-4d3c-8e4f-8a2e3b4c5d6e
APP_PENDING=2e5b8a3c-8c77-4e4d-9f5a-9b3f4c5d6e7f
TENANT_ID=9188040d-6c67-4c5b-b112-36a304b66dad

stop_one() { # name
  local pidfile="$dir/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$pidfile" "$dir/$1.ready"
}

wait_ready() { # name pid
  local name="$1" pid="$2"
  for _ in $(seq 1 150); do
    [ -f "$dir/$name.ready" ] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "mail.sh: $name did not start:" >&2
      tail -n 20 "$dir/$name.log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
  echo "mail.sh: $name is not listening after 15 s:" >&2
  tail -n 20 "$dir/$name.log" >&2 || true
  return 1
}

start() {
  [ -x "$py" ] || { echo "mail.sh: $py is missing (Debian's python3)" >&2; exit 1; }
  "$py" -c 'import aiosmtpd' 2>/dev/null || { echo "mail.sh: python3-aiosmtpd is not installed (apt-get install python3-aiosmtpd)" >&2; exit 1; }
  [ -f "$LAB_DIR/ca/mail.pem" ] || "$here/ca.sh" >/dev/null
  stop_one smtp
  stop_one https
  mkdir -p "$dir/messages" "$LAB_DIR/env.d"
  chmod 700 "$dir"
  # Fresh lab secrets each start: they live in $dir and env.d only.
  local smtp_pw app_secret
  smtp_pw="lab-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  app_secret="lab~$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
  MIM_LAB_SMTP_PASSWORD="$smtp_pw" setsid "$py" "$here/smtp_server.py" "$LAB_DIR" >"$dir/smtp.log" 2>&1 &
  echo $! > "$dir/smtp.pid"
  MIM_LAB_APP_SECRET="$app_secret" setsid "$py" "$here/https_standin.py" "$LAB_DIR" >"$dir/https.log" 2>&1 &
  echo $! > "$dir/https.pid"
  if ! wait_ready smtp "$(cat "$dir/smtp.pid")" || ! wait_ready https "$(cat "$dir/https.pid")"; then
    stop_one smtp
    stop_one https
    exit 1
  fi
  umask 077
  cat > "$LAB_DIR/env.d/mail" <<EOF
MIM_LAB_SMTP_USER=contoso\\MIMService
MIM_LAB_SMTP_PASSWORD=$smtp_pw
MIM_LAB_SMTP_MESSAGES=$dir/messages
MIM_LAB_APP_ID=$APP_ID
MIM_LAB_APP_NO_CONSENT=$APP_NO_CONSENT
MIM_LAB_APP_DISABLED=$APP_DISABLED
MIM_LAB_APP_BLOCKED=$APP_BLOCKED
MIM_LAB_APP_PENDING=$APP_PENDING
MIM_LAB_TENANT_ID=$TENANT_ID
MIM_LAB_APP_SECRET=$app_secret
MIM_LAB_MAILBOX=MIMService@contoso.onmicrosoft.com
MIM_SETUP_OAUTH_AUTHORITY=https://127.0.0.5
MIM_SETUP_EWS_URL=https://127.0.0.5/EWS/Exchange.asmx
EOF
  echo "mail.sh: SMTP 127.0.0.4:25,587 and faults; HTTPS 127.0.0.3/.4/.5/.6/.7/.8:443; HTTP 127.0.0.6:80"
}

case "${1:-}" in
  start) start ;;
  stop) stop_one smtp; stop_one https; rm -f "$LAB_DIR/env.d/mail"; echo "mail.sh: stopped" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
