#!/bin/sh
# Stand-in for a Windows program, for `mim-setup apply --runner tests/runner`.
#
# Usage (through the per-program wrappers beside it): standin.sh PROGRAM ARG...
#
# - Appends one JSON line to $MIM_STANDIN_RECORD: the program, its call number, its pid, its
#   argv, the Windows command line apply built (MIM_SETUP_COMMAND_LINE) and the working
#   folder (MIM_SETUP_WORKING_DIR).
# - Reads $MIM_STANDIN_SCENARIO (optional), lines `PROGRAM CALL ACTION...`: CALL is the call
#   number of that program (1-based) or `*`; actions `exit=N`, `sleep=SECONDS`, and
#   `log-args` (msiexec writes its properties to its log in clear, one `Property(C): NAME =
#   VALUE` line each, as an MSI does for a property it does not mark hidden). The first line that matches wins; without one the
#   program exits 0.
# - The Windows exit code (which may not fit Unix's 8 bits, e.g. 1603) is also written to
#   $MIM_SETUP_EXIT_CODE_FILE when apply names one.
# - msiexec writes an MSI-like verbose log at the path after /L*v, with the lines around
#   `Return value 3` when it fails.
set -u
program=$1
shift
record=${MIM_STANDIN_RECORD:?MIM_STANDIN_RECORD must name the record file}

json_str() {
    printf '%s\n' "$1" |
        sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/\r/\\r/g' |
        awk 'BEGIN{printf "\""} NR>1{printf "\\n"} {printf "%s", $0} END{printf "\""}'
}

calls=0
if [ -f "$record" ]; then
    calls=$(grep -c "^{\"program\":\"$program\"," "$record")
fi
call=$((calls + 1))

argv=""
for a in "$@"; do
    argv="$argv${argv:+,}$(json_str "$a")"
done
printf '{"program":"%s","call":%d,"pid":%d,"argv":[%s],"command_line":%s,"working_dir":%s}\n' \
    "$program" "$call" "$$" "$argv" \
    "$(json_str "${MIM_SETUP_COMMAND_LINE-}")" "$(json_str "${MIM_SETUP_WORKING_DIR-}")" >>"$record"

code=0
pause=0
log_args=0
if [ -n "${MIM_STANDIN_SCENARIO-}" ] && [ -f "$MIM_STANDIN_SCENARIO" ]; then
    line=$(awk -v p="$program" -v c="$call" '$1 == p && ($2 == c || $2 == "*") { print; exit }' "$MIM_STANDIN_SCENARIO")
    for action in $line; do
        case $action in
        exit=*) code=${action#exit=} ;;
        sleep=*) pause=${action#sleep=} ;;
        log-args) log_args=1 ;;
        esac
    done
fi

log=""
if [ "$program" = msiexec ]; then
    prev=""
    for a in "$@"; do
        case $prev in /L*v | /l*v) log=$a ;; esac
        prev=$a
    done
fi

if [ -n "$log" ]; then
    {
        printf '=== Verbose logging started: 11/23/2026  10:00:00  Build type: SHIP UNICODE 5.00.10011.00  Calling process: C:\\Windows\\system32\\msiexec.exe ===\n'
        printf 'MSI (c) (AC:B8) [10:00:00:001]: Resetting cached policy values\n'
        if [ "$log_args" = 1 ]; then
            for a in "$@"; do
                case $a in
                [A-Z]*=*) printf 'Property(C): %s = %s\n' "${a%%=*}" "${a#*=}" ;;
                esac
            done
        fi
        printf 'MSI (s) (1C:2C) [10:00:00:100]: Doing action: INSTALL\n'
        printf 'Action start 10:00:00: INSTALL.\n'
        printf 'Action start 10:00:01: CostInitialize.\n'
        printf 'Action ended 10:00:01: CostInitialize. Return value 1.\n'
    } >"$log"
fi

if [ "$pause" != 0 ]; then
    sleep "$pause"
fi

if [ -n "$log" ]; then
    case $code in
    0 | 3010 | 1641)
        {
            printf 'Action ended 10:00:09: InstallFinalize. Return value 1.\n'
            printf 'Action ended 10:00:09: INSTALL. Return value 1.\n'
            printf 'MSI (s) (1C:2C) [10:00:09:000]: Windows Installer installed the product. Installation success or error status: 0.\n'
        } >>"$log"
        ;;
    *)
        {
            printf 'Action start 10:00:05: InstallFinalize.\n'
            printf 'CAQuietExec:  Error 0x80070643: Command line returned an error.\n'
            printf 'CustomAction CAQuietExec returned actual error code 1603 (note this may not be 100%% accurate if translation happened inside sandbox)\n'
            printf 'Action ended 10:00:06: InstallFinalize. Return value 3.\n'
            printf 'Action ended 10:00:06: INSTALL. Return value 3.\n'
            printf 'MSI (s) (1C:2C) [10:00:06:000]: Windows Installer installed the product. Installation success or error status: %s.\n' "$code"
        } >>"$log"
        ;;
    esac
fi
# The arguments go to standard output too, as a real program might echo them: apply must
# keep secrets out of the output log.
echo "$program stand-in: call $call, exit $code, arguments: $*"
if [ -n "${MIM_SETUP_EXIT_CODE_FILE-}" ]; then
    echo "$code" >"$MIM_SETUP_EXIT_CODE_FILE"
fi
if [ "$code" -gt 255 ]; then
    exit 1
fi
exit "$code"
