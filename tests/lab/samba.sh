#!/usr/bin/env bash
# Samba AD DC for the live checks: contoso.local on 127.0.0.2 (DNS, LDAP, LDAPS, Kerberos).
#   tests/lab/samba.sh start [--users 10000]   restore the cached directory (or provision and
#                                              populate it once), start samba, wait for LDAP
#   tests/lab/samba.sh stop                    stop samba, remove the loopback address
# The directory holds the Contoso walkthrough's users, groups, computers, gMSAs and SPNs, and
# deliberate faults (see populate below): disabled, locked, expired, must-change and
# old-password accounts, duplicate SPNs (one in the short form on a computer), a nested group
# path, a distribution group. The provisioned, populated, stopped directory is
# cached as a tar ($LAB_DIR/cache/samba-100.tar; samba-10k.tar with 10,000 more users for the
# scale benchmark, built only when asked), restored to the same absolute path.
# Needs root, the Debian packages samba-ad-dc samba-ad-provision ldb-tools ldap-utils, and the
# lab CA (tests/lab/ca.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
LAB_DIR="${LAB_DIR:-$(cd "$here/../.." && pwd)/target/lab}"
mkdir -p "$LAB_DIR"
LAB_DIR="$(cd "$LAB_DIR" && pwd)"
dir="$LAB_DIR/samba"
cache="$LAB_DIR/cache"
ip=127.0.0.2
conf="$dir/etc/smb.conf"
pidfile="$LAB_DIR/samba.pid"
base="DC=contoso,DC=local"
# Lab-only passwords (never used outside tests/).
admin_pass='Pass@word1'
user_pass='Pass@word1'

log() { echo "samba: $*" >&2; }
die() { log "$*"; exit 1; }

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

add_address() {
  [[ "$(ip addr show dev lo)" == *"inet $ip/"* ]] || ip addr add "$ip/8" dev lo
}

wait_ldap() {
  local i
  for i in $(seq 1 100); do
    if ldapsearch -x -H "ldap://$ip" -b "" -s base -o nettimeout=1 defaultNamingContext >/dev/null 2>&1; then
      return 0
    fi
    running || die "samba exited while starting; see $dir/samba.log"
    sleep 0.1
  done
  die "LDAP on $ip did not answer within 10 s; see $dir/samba.log"
}

start_samba() {
  add_address
  # Another server on the address would answer in this one's place.
  if ldapsearch -x -H "ldap://$ip" -b "" -s base -o nettimeout=1 defaultNamingContext >/dev/null 2>&1; then
    die "something already answers LDAP on $ip (a samba this script did not start?); stop it first"
  fi
  # Its own session (it outlives the shell that started it), without the lock's descriptor.
  setsid samba -s "$conf" -F --debug-stdout -d1 >"$dir/samba.log" 2>&1 9>&- &
  echo $! >"$pidfile"
  wait_ldap
}

stop_samba() {
  running || { rm -f "$pidfile"; return 0; }
  local pid i
  pid="$(cat "$pidfile")"
  kill -TERM "$pid"
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && { log "samba ($pid) ignored TERM for 5 s; killing it"; kill -KILL "$pid"; sleep 0.2; }
  rm -f "$pidfile"
}

provision() {
  [ -f "$LAB_DIR/ca/dc1.pem" ] || die "the lab CA is missing ($LAB_DIR/ca/dc1.pem): run tests/lab/ca.sh first"
  rm -rf "$dir"
  mkdir -p "$dir"
  : >"$dir/empty.conf"
  samba-tool domain provision -s "$dir/empty.conf" --realm=CONTOSO.LOCAL --domain=CONTOSO \
    --server-role=dc --dns-backend=SAMBA_INTERNAL --adminpass="$admin_pass" \
    --host-name=dc1 --host-ip="$ip" --targetdir="$dir" \
    --option="interfaces=$ip" --option="bind interfaces only=yes" \
    --option="dns forwarder=127.0.0.1" --option="disable netbios=yes" \
    --option="pid directory=$dir/run" --option="winbindd socket directory=$dir/winbindd" \
    --option="ntp signd socket directory=$dir/ntp_signd" --option="log file=$dir/log.%m" \
    >"$dir/provision.log" 2>&1 || die "provisioning failed; see $dir/provision.log"
  # Options the provision does not write (test-lab.md).
  sed -i "/^\[global\]/a\\
\tldap server require strong auth = no\\
\tserver services = -dnsupdate\\
\ttls enabled = yes\\
\ttls keyfile = $LAB_DIR/ca/dc1.key\\
\ttls certfile = $LAB_DIR/ca/dc1.pem\\
\ttls cafile = $LAB_DIR/ca/ca.pem" "$conf"
}

sam() { echo "$dir/private/sam.ldb"; }
tool() { samba-tool "$@" -s "$conf" -H "$(sam)" >>"$dir/populate.log" 2>&1 || die "samba-tool $1 $2 $3 failed; see $dir/populate.log"; }
sid_of() { ldbsearch -H "$(sam)" "(sAMAccountName=$1)" objectSid | sed -n 's/^objectSid: //p'; }
ldif_add() { ldbadd -H "$(sam)" >>"$dir/populate.log" 2>&1 || die "ldbadd failed; see $dir/populate.log"; }
ldif_modify() { ldbmodify -H "$(sam)" "$@" >>"$dir/populate.log" 2>&1 || die "ldbmodify failed; see $dir/populate.log"; }

# A gMSA whose msDS-GroupMSAMembership lets the SID given read its password (ldbadd turns the
# SDDL into a binary security descriptor).
gmsa() { # sam-name-without-$ sid
  local name="$1" sid="$2"
  ldif_add <<EOF
dn: CN=$name,CN=Managed Service Accounts,$base
objectClass: msDS-GroupManagedServiceAccount
cn: $name
sAMAccountName: $name\$
userAccountControl: 4096
dNSHostName: $name.contoso.local
msDS-ManagedPasswordInterval: 30
msDS-SupportedEncryptionTypes: 28
msDS-GroupMSAMembership: O:S-1-5-32-544D:(A;;0xf01ff;;;$sid)
EOF
}

populate() {
  : >"$dir/populate.log"
  local u g
  for u in miminstall MIMSync MIMMA MIMService MIMSSPR MIMSSPRService SharePoint SqlServer BackupAdmin \
           MIMDisabled MIMLocked MIMExpired MIMDupSPN MIMAccountExpired MIMMustChange MIMOldPassword MIMNested; do
    tool user create "$u" "$user_pass"
  done
  for g in MIMSyncAdmins MIMSyncOperators MIMSyncJoiners MIMSyncBrowse MIMSyncPasswordReset MIMSyncServers; do
    tool group add "$g"
  done
  # SSPR: the MIM Service account administers the Synchronization Service.
  tool group addmembers MIMSyncAdmins MIMService
  # A nested path: MIMNested -> MIMSSPRAdmins -> MIMIdentityAdmins -> MIMSyncAdmins.
  tool group add MIMSSPRAdmins
  tool group add MIMIdentityAdmins
  tool group addmembers MIMSSPRAdmins MIMNested
  tool group addmembers MIMIdentityAdmins MIMSSPRAdmins
  tool group addmembers MIMSyncAdmins MIMIdentityAdmins
  # A distribution group: a list, not a security group.
  tool group add MIMSyncBrowseList --group-type=Distribution
  tool computer create CORPSYNC
  tool computer create CORPIDM
  tool group addmembers MIMSyncServers 'CORPSYNC$'
  # The HOST SPNs a domain join registers: they answer for http/ when no account holds it.
  tool spn add HOST/CORPSYNC 'CORPSYNC$'
  tool spn add HOST/corpsync.contoso.local 'CORPSYNC$'
  # gMSAs: the names the shipped gMSA profiles use, and one nobody may use.
  local servers idm
  servers="$(sid_of MIMSyncServers)"
  idm="$(sid_of 'CORPIDM$')"
  [ -n "$servers" ] && [ -n "$idm" ] || die "no SID for MIMSyncServers or CORPIDM\$"
  gmsa MIMSync "$servers"
  gmsa MIMSyncGMSA "$servers"
  gmsa MIMSyncGMSAsvc "$servers"
  gmsa MIMServiceGMSA "$idm"
  gmsa svcMIMService "$idm"
  gmsa MIMNoAccessGMSA "S-1-5-21-1-2-3-512"
  kds_root_key
  # SPNs of the walkthrough.
  tool spn add FIMService/CORPIDM.contoso.local MIMService
  tool spn add FIMService/CORPIDM MIMService
  tool spn add http/CorpIDM.contoso.local SharePoint
  tool spn add http/CORPIDM SharePoint
  # Faults: a disabled account, a locked one (lockoutTime refreshed at each start), a password
  # that must be changed (pwdLastSet 0: expired), a duplicate SPN.
  tool user disable MIMDisabled
  ldif_modify <<EOF
dn: CN=MIMExpired,CN=Users,$base
changetype: modify
replace: pwdLastSet
pwdLastSet: 0
EOF
  # An account whose expiry date has passed (2020-01-01 UTC), one that must change its
  # password at next logon, and one whose password is older than the domain's maximum age
  # (pwdLastSet 2020-01-01, written beneath the modules: Samba accepts only 0 or -1 there).
  ldif_modify <<EOF
dn: CN=MIMAccountExpired,CN=Users,$base
changetype: modify
replace: accountExpires
accountExpires: 132223104000000000
EOF
  ldif_modify <<EOF
dn: CN=MIMMustChange,CN=Users,$base
changetype: modify
replace: pwdLastSet
pwdLastSet: 0
EOF
  ldbmodify -H "tdb://$dir/private/sam.ldb.d/DC=CONTOSO,DC=LOCAL.ldb" >>"$dir/populate.log" 2>&1 <<EOF
dn: CN=MIMOldPassword,CN=Users,$base
changetype: modify
replace: pwdLastSet
pwdLastSet: 132223104000000000
EOF
  # The MIM Service's SPN in its full form on MIMService, and its short form on MIMService
  # and on the computer CORPIDM (the second holder written beneath the modules, as above).
  tool spn add FIMService/corpservice.contoso.local MIMService
  tool spn add FIMService/corpservice 'CORPIDM$'
  ldbmodify -H "tdb://$dir/private/sam.ldb.d/DC=CONTOSO,DC=LOCAL.ldb" >>"$dir/populate.log" 2>&1 <<EOF
dn: CN=MIMService,CN=Users,$base
changetype: modify
add: servicePrincipalName
servicePrincipalName: FIMService/corpservice
EOF
  [ "$(ldbsearch -H "$(sam)" '(servicePrincipalName=FIMService/corpservice)' dn | grep -c '^dn:')" = 2 ] \
    || die "the short-form SPN duplicate was not written; see $dir/populate.log"
  tool spn add http/dup.contoso.local SharePoint
  # Samba refuses a duplicate SPN (samldb's uniqueness check), so the second one is written
  # into the domain partition's own database, beneath the modules, as a careless tool would.
  ldbmodify -H "tdb://$dir/private/sam.ldb.d/DC=CONTOSO,DC=LOCAL.ldb" >>"$dir/populate.log" 2>&1 <<EOF
dn: CN=MIMDupSPN,CN=Users,$base
changetype: modify
add: servicePrincipalName
servicePrincipalName: http/dup.contoso.local
EOF
  [ "$(ldbsearch -H "$(sam)" '(servicePrincipalName=http/dup.contoso.local)' dn | grep -c '^dn:')" = 2 ] \
    || die "the duplicate SPN was not written; see $dir/populate.log"
}

# A KDS root key object (what Add-KdsRootKey creates); the key data is random, since Samba
# 4.17 computes no gMSA passwords from it.
kds_root_key() {
  local cfg="CN=Configuration,$base" guid now
  local gkds="CN=Group Key Distribution Service,CN=Services,$cfg"
  guid="$(cat /proc/sys/kernel/random/uuid)"
  # Windows FILETIME now.
  now=$(( ($(date +%s) + 11644473600) * 10000000 ))
  if [[ "$(ldbsearch -H "$(sam)" -b "$gkds" -s base dn 2>/dev/null)" != *"dn: "* ]]; then
    ldif_add <<EOF
dn: $gkds
objectClass: container
cn: Group Key Distribution Service
EOF
  fi
  if [[ "$(ldbsearch -H "$(sam)" -b "CN=Master Root Keys,$gkds" -s base dn 2>/dev/null)" != *"dn: "* ]]; then
    ldif_add <<EOF
dn: CN=Master Root Keys,$gkds
objectClass: container
cn: Master Root Keys
EOF
  fi
  ldif_add <<EOF
dn: CN=$guid,CN=Master Root Keys,$gkds
objectClass: msKds-ProvRootKey
cn: $guid
msKds-Version: 1
msKds-KDFAlgorithmID: SP800_108_CTR_HMAC
msKds-SecretAgreementAlgorithmID: DH
msKds-PrivateKeyLength: 512
msKds-PublicKeyLength: 2048
msKds-RootKeyData:: $(head -c 64 /dev/urandom | base64 -w0)
msKds-CreateTime: $now
msKds-UseStartTime: $now
msKds-DomainID: CN=DC1,OU=Domain Controllers,$base
EOF
}

# DNS records need the running server.
dns_records() {
  local auth=(-U "administrator%$admin_pass")
  samba-tool dns zonecreate "$ip" contoso.com "${auth[@]}" >>"$dir/populate.log" 2>&1 || die "dns zonecreate failed; see $dir/populate.log"
  local rec
  for rec in "contoso.com corpsql 127.0.0.3" "contoso.com mail 127.0.0.4" "contoso.com mim 127.0.0.6" \
             "contoso.local corpidm 127.0.0.6" "contoso.local corpsync 127.0.0.7" "contoso.local corpservice 127.0.0.6"; do
    # shellcheck disable=SC2086
    set -- $rec
    samba-tool dns add "$ip" "$1" "$2" A "$3" "${auth[@]}" >>"$dir/populate.log" 2>&1 || die "dns add $2.$1 failed; see $dir/populate.log"
  done
}

# What the cached directory was built from: the functions that make its objects. A tar
# whose stamp differs is rebuilt.
stamp() { declare -f provision populate gmsa kds_root_key dns_records add_users | sha256sum | cut -c1-16; }
fresh() { [ -f "$1" ] && [ "$(cat "$1.stamp" 2>/dev/null)" = "$(stamp)" ]; }

snapshot() { # tar
  mkdir -p "$cache"
  tar --warning=no-file-ignored -cf "$1.tmp" -C / "${dir#/}" && mv "$1.tmp" "$1"
  stamp >"$1.stamp"
}

restore() { # tar
  rm -rf "$dir"
  tar -xf "$1" -C /
}

# The locked account stays locked: its lockout time is now, within the lockout duration.
lock_account() {
  local now=$(( ($(date +%s) + 11644473600) * 10000000 ))
  ldif_modify <<EOF
dn: CN=MIMLocked,CN=Users,$base
changetype: modify
replace: lockoutTime
lockoutTime: $now
EOF
}

# 10,000 more users, added offline in one ldbadd.
add_users() { # count
  local n="$1" ldif="$dir/users.ldif"
  awk -v n="$n" -v base="$base" 'BEGIN { for (i = 1; i <= n; i++) {
    printf "dn: CN=User%05d,CN=Users,%s\nobjectClass: user\ncn: User%05d\nsAMAccountName: user%05d\nuserAccountControl: 514\n\n", i, base, i, i } }' >"$ldif"
  ldbadd -H "$(sam)" "$ldif" >>"$dir/populate.log" 2>&1 || die "adding $n users failed; see $dir/populate.log"
  rm -f "$ldif"
}

start() {
  local users=0
  if [ "${1:-}" = "--users" ]; then users="${2:?--users needs a count}"; fi
  local small="$cache/samba-100.tar" tarball
  tarball="$small"
  [ "$users" -ge 10000 ] && tarball="$cache/samba-10k.tar"
  if running; then stop_samba; fi
  local t0=$SECONDS
  if fresh "$tarball"; then
    restore "$tarball"
    log "restored $(basename "$tarball")"
  else
    if fresh "$small"; then
      restore "$small"
    else
      provision
      log "provisioned in $((SECONDS - t0)) s"
      populate
      start_samba
      dns_records
      stop_samba
      snapshot "$small"
      log "populated and cached $small in $((SECONDS - t0)) s"
    fi
    if [ "$tarball" != "$small" ]; then
      add_users "$users"
      snapshot "$tarball"
      log "added $users users and cached $tarball in $((SECONDS - t0)) s"
    fi
  fi
  lock_account
  start_samba
  mkdir -p "$LAB_DIR/env.d"
  echo "MIM_CHECK_BIND_PASSWORD=$user_pass" >"$LAB_DIR/env.d/samba"
  log "up on $ip in $((SECONDS - t0)) s (pid $(cat "$pidfile"))"
}

stop() {
  stop_samba
  if [[ "$(ip addr show dev lo)" == *"inet $ip/"* ]]; then ip addr del "$ip/8" dev lo; fi
  log "down"
}

# One start or stop at a time: a second waits for the first.
exec 9>"$LAB_DIR/samba.lock"
flock 9

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start [--users 10000] | stop" >&2; exit 2 ;;
esac
