#!/usr/bin/env bash
# The AD checks with 100 and with 10,000 users in the lab directory (a measurement, not a
# test): the shipped Service and Portal profile checked N times against each; prints the
# median and the slowest run of each, and their ratio (target: at most 1.2).
#   tests/lab/bench-ad.sh [runs]       (default 10; needs root, like the lab)
# Uses target/release/mim-setup if built, else target/debug (MIM_SETUP_BIN overrides).
# The 10,000-user directory is built once (about 3.5 min) and cached by samba.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export LAB_DIR="${LAB_DIR:-$root/target/lab}"
runs="${1:-10}"
tgt="${CARGO_TARGET_DIR:-$root/target}"
bin="${MIM_SETUP_BIN:-}"
[ -n "$bin" ] || { [ -x "$tgt/release/mim-setup" ] && bin="$tgt/release/mim-setup"; } || true
[ -n "$bin" ] || bin="$tgt/debug/mim-setup"
[ -x "$bin" ] || { echo "no mim-setup binary at $bin: cargo build first" >&2; exit 2; }
"$here/ca.sh" >/dev/null

median=0
measure() { # label: sets $median
  local i ms all=() sorted
  # One warm-up run (page cache, Samba's first search).
  run_check >/dev/null
  for i in $(seq 1 "$runs"); do
    ms=$(run_check | python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["counts"]["error"]==0, r; print(r["elapsed_ms"])')
    all+=("$ms")
  done
  mapfile -t sorted < <(printf '%s\n' "${all[@]}" | sort -n)
  median="${sorted[$(( (${#sorted[@]} - 1) / 2 ))]}"
  echo "$1: median $median ms, fastest ${sorted[0]} ms, slowest ${sorted[-1]} ms over $runs runs"
}

run_check() {
  local rc=0
  MIM_SETUP_DNS=127.0.0.2 MIM_SETUP_CA_FILE="$LAB_DIR/ca/ca.pem" MIM_CHECK_BIND_PASSWORD='Pass@word1' \
    "$bin" check "$root/profiles/contoso-service-portal.toml" --json --only ad --set checks.computer=CORPIDM || rc=$?
  # 1 is findings (an unacknowledged warning blocks too; measure asserts that none is an
  # error); 2 (unusable input) and 3 (nothing checked) leave nothing to measure.
  [ "$rc" -le 1 ] || { echo "bench-ad: mim-setup check exited $rc" >&2; return "$rc"; }
}

"$here/samba.sh" start >/dev/null
measure "100 users"
m100="$median"
"$here/samba.sh" start --users 10000 >/dev/null
measure "10,000 users"
m10k="$median"
"$here/samba.sh" start >/dev/null
echo "ratio 10,000/100: $(python3 -c "print(round($m10k / max($m100, 1), 2))") (target: at most 1.2)"
