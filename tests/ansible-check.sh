#!/usr/bin/env bash
# Checks the Ansible export of every Contoso plan in tests/golden/ and of the hostile plan
# tests/export/hostile.plan.json: `mim-setup export PLAN --format ansible`, then
#   - ansible-playbook --syntax-check on the playbook, with its inventory template;
#   - ansible-inventory --list on the template (groups mim_sync, mim_service, mim_sspr);
#   - tests/ansible_verify.py: each task's options against its module's documentation
#     (ansible-lint cannot check Windows modules' options) and its values read back
#     against the plan;
#   - ansible-lint on every playbook, default profile (it reports 'production', the strictest).
# Ansible comes from PyPI: the `ansible` package (ansible-core and the community collections,
# ansible.windows and community.windows among them; Galaxy is not reachable from CI) and
# ansible-lint, installed once into a venv under the cache folder (about 70 s; nothing
# when the pinned versions are there already).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
VENV="${MIM_ANSIBLE_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/mim-setup/ansible-venv}"
REQS="ansible==12.3.0 ansible-lint==26.10.1"
if [ "$(cat "$VENV/.mim-setup-reqs" 2>/dev/null)" != "$REQS" ]; then
  echo "== installing $REQS into $VENV"
  start=$(date +%s)
  rm -rf "$VENV"
  if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
  fi
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install -q --disable-pip-version-check $REQS
  echo "$REQS" >"$VENV/.mim-setup-reqs"
  echo "== installed in $(($(date +%s) - start)) s"
fi
export PATH="$VENV/bin:$PATH"
export ANSIBLE_NOCOLOR=1 NO_COLOR=1 ANSIBLE_LOCALHOST_WARNING=False
export ANSIBLE_INVENTORY_UNPARSED_WARNING=False
ansible --version | sed -n 1p
ansible-lint --version 2>/dev/null | sed -n 1p
ansible-galaxy collection list 2>/dev/null | grep -E '^(ansible|community)\.windows ' || {
  echo "ansible.windows / community.windows are missing from $VENV" >&2
  exit 1
}

cargo build -q
BIN="${CARGO_TARGET_DIR:-target}/debug/mim-setup"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

passed=0
failed=0
check() { # NAME COMMAND...: runs one check and counts it
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "FAILED: $what"
    failed=$((failed + 1))
  fi
}
playbooks=()
inventories=()
pairs=()
for plan in tests/golden/*.plan.toml tests/export/hostile.plan.json; do
  name=$(basename "$plan")
  name=${name%.plan.*}
  if "$BIN" export "$plan" --format ansible -o "$WORK/$name" 2>"$WORK/$name.err"; then
    playbooks+=("$name/$name.yml")
    inventories+=(-i "$name/inventory.yml")
    pairs+=("$plan" "$WORK/$name/$name.yml")
  else
    cat "$WORK/$name.err"
    check "export of $plan" false
  fi
done
echo "== ${#playbooks[@]} playbooks exported"

syntax() { (cd "$WORK" && ansible-playbook --syntax-check -i "${playbooks[0]%/*}/inventory.yml" "${playbooks[@]}" >/dev/null); }
check "ansible-playbook --syntax-check" syntax
inventory() { (cd "$WORK" && ansible-inventory "${inventories[@]}" --list >/dev/null); }
check "ansible-inventory --list" inventory
check "tests/ansible_verify.py" python tests/ansible_verify.py "${pairs[@]}"
echo "== ansible-lint (default profile)"
lint() { (cd "$WORK" && ansible-lint --offline --nocolor -f pep8 "${playbooks[@]}"); }
check "ansible-lint" lint
echo "ansible export: $passed passed, $failed failed"
[ "$failed" = 0 ]
