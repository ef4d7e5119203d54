#!/usr/bin/env bash
# The wizard of the Windows build in tmux under Wine: the first screen draws, Tab and Space
# move, Ctrl-Q quits, the draft is saved, and the console is restored (tmux's alternate screen
# is off again and the cursor is visible). Bounded waits throughout.
#
# Wine 8's console in a Unix terminal (conhost in tty mode) re-renders its own screen buffer
# and, when its cursor reaches the end of a line, inserts "\r\r\n" into the byte stream, also
# inside our escape sequences (ratatui never writes a line break: every cell is placed by a
# cursor move). The frames are therefore garbled under Wine: that is Wine's console, not how
# frames are written (the raw stream, tmux pipe-pane, shows the inserted bytes), and it is
# reported as a KNOWN line. Keys do reach the program: Tab, Space and Ctrl-N change the pane,
# Ctrl-Q opens the quit dialog, y ends the wizard (exit 1, cancelled, as on Linux), its draft
# is saved in the Windows state folder, and the console is restored.
#
# Wine runs in the pane's foreground process group (`timeout --foreground`): started by a
# plain `timeout`, which puts its command in a process group of its own, Wine's console
# cannot read the terminal, and no key reaches the program.
#   wizard.sh WINE EXE WORKDIR
set -uo pipefail
WINE=$1 EXE=$2 WORK=$3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$WORK"
SOCK=$WORK/tmux.sock
T() { timeout 10 tmux -S "$SOCK" "$@"; }
FAILS=0
fail() { echo "FAIL: wizard: $*"; FAILS=$((FAILS + 1)); }
known() { echo "KNOWN (Wine's console): wizard: $*"; }
ok() { echo "ok: wizard: $*"; }
screen() { T capture-pane -p -t w; }
# wait_for TEXT SECONDS: until the pane shows TEXT.
wait_for() {
  local i
  for i in $(seq 1 "$2"); do
    screen | grep -qF -- "$1" && return 0
    sleep 1
  done
  return 1
}
trap 'T kill-server >/dev/null 2>&1' EXIT
T new-session -d -s w -x 120 -y 40 -c "$ROOT" \
  "timeout --foreground -k 5 120 $WINE $EXE --offline --out '$WORK/out' profiles/contoso-sync.toml; echo \"exit=\$?\"; sleep 60"
T set-option -t w remain-on-exit on >/dev/null
T pipe-pane -t w -o "cat >> '$WORK/raw'"
if wait_for "Ctrl-Q" 60; then ok "the first screen draws"; else
  fail "the first screen did not draw in 60 s"
  screen
  exit 1
fi
# changed_from TEXT SECONDS: until the pane differs from TEXT (Wine redraws slowly under load).
changed_from() {
  local i
  for i in $(seq 1 "$2"); do
    [ "$(screen)" != "$1" ] && return 0
    sleep 1
  done
  return 1
}
sleep 2
before=$(screen)
T send-keys -t w Tab
changed_from "$before" 15 && ok "Tab changes the screen" || fail "Tab: no change in the pane in 15 s"
sleep 1
before=$(screen)
T send-keys -t w Space
changed_from "$before" 15 && ok "Space changes the screen" || fail "Space: no change in the pane in 15 s"
sleep 1
before=$(screen)
T send-keys -t w C-n
changed_from "$before" 15 && ok "Ctrl-N changes the screen" || fail "Ctrl-N: no change in the pane in 15 s"
if grep -qa $'\r\r\n' "$WORK/raw" 2>/dev/null; then
  known "the console inserted $(grep -ca $'\r\r' "$WORK/raw") CR CR LF line breaks into the frames (garbled redraws)"
fi
T send-keys -t w C-q
if wait_for "Quit setup?" 20; then ok "Ctrl-Q opens the quit dialog"; else fail "Ctrl-Q: no quit dialog in 20 s"; fi
T send-keys -t w y
if wait_for "exit=" 30; then
  code=$(screen | grep -o 'exit=[0-9]*' | tail -1)
  alt=$(T display -p -t w '#{alternate_on}')
  cur=$(T display -p -t w '#{cursor_flag}')
  [ "$code" = "exit=1" ] && ok "y ends the wizard ($code: cancelled, as on Linux)" || fail "the wizard ended with $code, not exit=1 (cancelled)"
  if [ "$alt" = 0 ] && [ "$cur" = 1 ]; then ok "the console is restored (alternate screen off, cursor shown)"; else
    fail "after quitting ($code): alternate screen $alt, cursor shown $cur"
  fi
  # The keys reached the model, not only the screen: Tab moved to Edition and Space chose its
  # next option, and the draft the quit saved in the Windows state folder says so.
  draft=$(ls "$WINEPREFIX"/drive_c/users/*/AppData/Local/mim-setup/draft.toml 2>/dev/null | head -1)
  if [ -n "$draft" ] && grep -q '^edition = "azure-ad-premium"' "$draft"; then
    ok "the draft in %LOCALAPPDATA%\\mim-setup records the edition that Tab and Space chose"
  else
    fail "no draft with edition = azure-ad-premium in %LOCALAPPDATA%\\mim-setup (${draft:-none})"
  fi
else
  fail "the wizard did not end in 30 s after Ctrl-Q, y"
fi
[ $FAILS = 0 ]
