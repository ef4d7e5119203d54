#!/usr/bin/env bash
# Parses the PowerShell export of every plan in tests/golden/ with an independent PowerShell grammar (tree-sitter and
# tree-sitter-powershell from PyPI), and fails on any ERROR or MISSING node, naming the
# file, line and column. The script's UTF-8 byte-order mark is taken off first, as
# PowerShell does when it reads the file.
# The packages are installed once into a venv under the target folder (a few seconds;
# nothing when the pinned versions are there already).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
VENV="${MIM_PS_VENV:-${CARGO_TARGET_DIR:-target}/ps-venv}"
REQS="tree-sitter==0.26.1 tree-sitter-powershell==0.26.4"
if [ "$(cat "$VENV/.mim-setup-reqs" 2>/dev/null)" != "$REQS" ]; then
  echo "== installing $REQS into $VENV"
  rm -rf "$VENV"
  if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
  fi
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install -q --disable-pip-version-check $REQS
  echo "$REQS" >"$VENV/.mim-setup-reqs"
fi

cargo build -q
BIN="${CARGO_TARGET_DIR:-target}/debug/mim-setup"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

scripts=()
for plan in tests/golden/*.plan.toml tests/golden/*.plan.json; do
  name=$(basename "$plan")
  name=${name%.plan.*}-${plan##*.}
  if ! "$BIN" export "$plan" --format powershell -o "$WORK/$name.ps1" 2>"$WORK/err"; then
    cat "$WORK/err" >&2
    echo "FAILED: export of $plan" >&2
    exit 1
  fi
  scripts+=("$WORK/$name.ps1")
done
echo "== ${#scripts[@]} scripts exported"

"$VENV/bin/python" - "${scripts[@]}" <<'PY'
import sys
import tree_sitter
import tree_sitter_powershell

parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
failed = 0
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    if not data.startswith(b"\xef\xbb\xbf"):
        print(f"{path}: no UTF-8 byte-order mark")
        failed += 1
    tree = parser.parse(data.removeprefix(b"\xef\xbb\xbf"))
    bad = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            kind = "MISSING " + node.type if node.is_missing else "ERROR"
            row, col = node.start_point
            bad.append(f"{path}:{row + 1}:{col + 1}: {kind}")
        elif node.has_error:
            stack.extend(node.children)
    for line in sorted(bad):
        print(line)
    failed += bool(bad)
    print(f"{path}: {'FAILED' if bad else 'ok'}")
print(f"powershell parse: {len(sys.argv) - 1 - failed} ok, {failed} failed")
sys.exit(1 if failed else 0)
PY
