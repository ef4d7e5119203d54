#!/usr/bin/env bash
# Builds the PE fixtures of `doctor --collect`'s file-version reading (src/doctor/collect/pe.rs,
# tests/cli/doctor_collect.rs) and of the Wine lane: resource-only images, no code, each with
# a VERSIONINFO resource as a real miiserver.exe or connector DLL carries one.
#
#   tests/doctor/pe/make.sh [OUTDIR]     (default: this folder; needs gcc-mingw-w64-x86-64)
#
#   miiserver.exe                         PE32+ (x86-64) executable, FILEVERSION 4.6.673.0
#   Microsoft.IAM.Connector.GenericLdap.dll  PE32 (i386) DLL, FILEVERSION 1.1.2005.0
#                                         (.NET connector assemblies are PE32 images)
#   no-version.dll                        PE32+ DLL without a version resource
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE}
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# rc NAME MAJOR MINOR BUILD REVISION DESCRIPTION: a VERSIONINFO resource script.
rc() {
  cat >"$TMP/$1.rc" <<RC
1 VERSIONINFO
FILEVERSION $2,$3,$4,$5
PRODUCTVERSION $2,$3,$4,$5
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "CompanyName", "mim-setup test fixture"
      VALUE "FileDescription", "$6"
      VALUE "FileVersion", "$2.$3.$4.$5"
      VALUE "ProductVersion", "$2.$3.$4.$5"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
RC
}
W=x86_64-w64-mingw32
rc miiserver 4 6 673 0 "stand-in for the Forefront Identity Manager Synchronization Service"
$W-windres -F pe-x86-64 -O coff -o "$TMP/miiserver.o" "$TMP/miiserver.rc"
$W-ld -m i386pep -s --no-insert-timestamp --subsystem console -e 0 -o "$OUT/miiserver.exe" "$TMP/miiserver.o"
rc ldap 1 1 2005 0 "stand-in for the Generic LDAP connector"
# Debian's x86-64 binutils has no i386pe linker script: link as PE32+, then objcopy to PE32.
$W-windres -F pe-x86-64 -O coff -o "$TMP/ldap.o" "$TMP/ldap.rc"
$W-ld -m i386pep -s --no-insert-timestamp --dll -e 0 -o "$TMP/ldap64.dll" "$TMP/ldap.o"
$W-objcopy -O pei-i386 "$TMP/ldap64.dll" "$OUT/Microsoft.IAM.Connector.GenericLdap.dll"
printf 'int x;\n' >"$TMP/empty.c"
$W-gcc -c -o "$TMP/empty.o" "$TMP/empty.c"
$W-ld -m i386pep -s --no-insert-timestamp --dll -e 0 -o "$OUT/no-version.dll" "$TMP/empty.o"
ls -l "$OUT/miiserver.exe" "$OUT/Microsoft.IAM.Connector.GenericLdap.dll" "$OUT/no-version.dll"
