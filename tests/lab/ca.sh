#!/usr/bin/env bash
# The lab's test CA and server certificates (openssl). Idempotent: existing files are kept
# while this script is unchanged; when it changes (a new certificate or extension), the
# folder is made afresh, so an old lab folder never keeps certificates of an older recipe.
#   tests/lab/ca.sh              make the CA and every lab server's certificate
# Files go to $LAB_DIR/ca (default target/lab/ca): ca.pem (trust this), <name>.pem/.key,
# and other-ca.pem, a second CA nobody's certificate comes from (for "untrusted" tests).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
LAB_DIR="${LAB_DIR:-$here/../../target/lab}"
dir="$LAB_DIR/ca"
mkdir -p "$dir"
cd "$dir"
recipe=$(sha256sum "$here/ca.sh" | cut -c1-16)
if [ "$(cat .recipe 2>/dev/null)" != "$recipe" ]; then
  rm -f ./*.pem ./*.key ./*.srl ./*.csr ./*.ext
  echo "$recipe" > .recipe
fi

ca() { # name subject
  [ -f "$1.pem" ] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$2" \
    -keyout "$1.key" -out "$1.pem" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

issue() { # name subjectAltName [ca [extra extension line]]
  local name="$1" san="$2" signer="${3:-ca}" extra="${4:-}"
  [ -f "$name.pem" ] && return 0
  openssl req -newkey rsa:2048 -nodes -subj "/CN=${name}" -keyout "$name.key" -out "$name.csr" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n%s\n' "$san" "$extra" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA "$signer.pem" -CAkey "$signer.key" -CAcreateserial \
    -days 3650 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

ca ca "Contoso Lab Test CA"
ca other-ca "Another Test CA"
# An intermediate CA under the trusted root, and a mail server certificate it issued (the
# fault server that sends it without the intermediate).
intermediate() { # name subject
  [ -f "$1.pem" ] && return 0
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$1.key" -out "$1.csr" 2>/dev/null
  printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
intermediate issuing "Contoso Lab Issuing CA"
# The domain controller (LDAPS, StartTLS).
issue dc1 "DNS:dc1.contoso.local,DNS:contoso.local,IP:127.0.0.2"
# SQL Server.
issue corpsql "DNS:corpsql.contoso.com,IP:127.0.0.3"
# Exchange: SMTP STARTTLS and EWS.
issue mail "DNS:mail.contoso.com,IP:127.0.0.4"
# Office 365 stand-ins: the token endpoint and Exchange Online's EWS.
issue cloud "DNS:login.microsoftonline.test,DNS:outlook.office365.test,IP:127.0.0.5"
# The SharePoint site of the portal.
issue corpidm "DNS:corpidm.contoso.local,DNS:CorpIDM.contoso.local,IP:127.0.0.6"
# Exchange's certificate from the intermediate CA, which says where the intermediate is
# published (AIA; the SharePoint stand-in serves it).
issue mail-chain "DNS:mail.contoso.com,IP:127.0.0.4" issuing \
  "authorityInfoAccess=caIssuers;URI:http://127.0.0.6/pki/issuing.crt"
# A certificate for the wrong name (mail server's address, another name).
issue wrongname "DNS:elsewhere.contoso.com,IP:127.0.0.9"
# A server certificate from the CA nobody trusts.
issue untrusted "DNS:mail.contoso.com,DNS:corpsql.contoso.com,DNS:dc1.contoso.local,IP:127.0.0.4,IP:127.0.0.3,IP:127.0.0.2" other-ca
chmod 600 ./*.key
echo "$dir"
