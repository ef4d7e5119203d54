#!/usr/bin/env python3
"""Helpers of tests/wine/run.sh: read what the stand-ins received and compare it, byte for byte,
with the plan.

  compare.py regjson FILE.reg              a `reg export` file (UTF-16) as JSON {name: value}
  compare.py values PLAN RECEIVED.json     every msiexec property the plan passes against the
                                           MSI's record; {{secret:NAME}} from the plan's env
  compare.py miiskmu CALLS.txt VALUE_FILE  the miiskmu stand-in got VALUE as its 4th argument
  compare.py one RECEIVED.json NAME VALUE  one recorded value
  compare.py started JOURNAL STEP          how many times STEP was started
"""
import json
import os
import re
import sys
import tomllib

# Expected differences between what Windows Installer passes and the plan (each with its
# reason; run.sh prints them):
# SQLServerStore is a private property (its name has lower-case letters). The Windows
# Installer documentation ("Private Properties") says: "Private property values cannot be
# overridden at a command line." Wine's msiexec agrees: the MSI receives its authored (here
# empty) value. The plan already says so in its note on the property ("private property; ...
# If setup ignores it, it follows STORESERVER"), so this is not a quoting difference.
# A `"` inside a value: the plan writes it twice inside quotes (NAME="say ""hi"""), which the
# Windows Installer documentation ("Command-Line Options") gives as the way to pass literal
# quotation marks: PROPERTY="Embedded ""Quotes"" White Space". Wine 8's msiexec instead drops
# every `"` (it toggles quoting and has no `""` escape), so under Wine the MSI receives the
# value without its quotes. Windows agrees with our quoting; the lane records Wine's reading
# so that a change in either shows.
WINE_QUOTES = "a value with \" quotes: Wine's msiexec drops them, Windows reads \"\" as one (Command-Line Options)"
PRIVATE = "private property: Windows Installer ignores private properties set on the command line"


def reg_values(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8")
    values = {}
    for line in text.splitlines():
        m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"="((?:[^"\\]|\\.)*)"', line)
        if m:
            unescape = lambda s: re.sub(r"\\(.)", r"\1", s)
            values[unescape(m.group(1))] = unescape(m.group(2))
    return values


def fill(value, plan):
    def secret(m):
        ref = plan.get("secrets", {}).get(m.group(1), {})
        env = ref.get("env")
        return os.environ.get(env, "") if env else m.group(0)
    return re.sub(r"\{\{secret:([A-Za-z0-9_]+)\}\}", secret, value)


def values(plan_path, received_path):
    with open(plan_path, "rb") as f:
        plan = tomllib.load(f)
    got = json.load(open(received_path, encoding="utf-8"))
    if got.get("installed") != "1":
        print(f"the stand-in MSI recorded nothing: {got}")
        return 1
    bad, same, expected = 0, 0, []
    for step in plan["steps"]:
        if step.get("kind") != "msiexec":
            continue
        for prop in step.get("properties", []):
            name, want = prop["name"], fill(prop["value"], plan)
            if "{{secret:" in want:
                print(f"{name}: secret reference not from the environment: {want}")
                bad += 1
                continue
            have = got.get(name)
            if name != name.upper():
                if have not in ("", None):
                    print(f"{name}: a private property arrived ({have!r}): Wine differs from Windows here")
                    bad += 1
                else:
                    expected.append(f"{name} ({PRIVATE})")
                continue
            if have == want:
                same += 1
            elif '"' in want and have == want.replace('"', ""):
                expected.append(f"{name} ({WINE_QUOTES})")
            else:
                print(f"{name}: plan {want!r}, msiexec gave the MSI {have!r}")
                bad += 1
    for e in expected:
        print(f"expected difference: {e}")
    print(f"{same} properties received byte for byte as planned, {len(expected)} expected difference(s)")
    return 1 if bad else 0


def miiskmu(calls, value_file):
    value = open(value_file, encoding="utf-8").read()
    lines = [l for l in open(calls, encoding="utf-8").read().split("\n") if "miiskmu" in l.split("\x1f")[0]]
    if not lines:
        print("miiskmu was not called")
        return 1
    args = lines[-1].split("\x1f")[1:]
    if len(args) > 3 and args[3] == value:
        print(f"miiskmu received {len(args)} arguments, the secret unchanged")
        return 0
    print(f"miiskmu: want {value!r} as argument 4, got {args!r}")
    return 1


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "regjson":
        values_ = reg_values(args[0]) if os.path.exists(args[0]) else {}
        print(json.dumps(values_, ensure_ascii=False))
        return 0
    if cmd == "values":
        return values(*args)
    if cmd == "miiskmu":
        return miiskmu(*args)
    if cmd == "one":
        got = json.load(open(args[0], encoding="utf-8")).get(args[1])
        if got == args[2]:
            return 0
        if '"' in args[2] and got == args[2].replace('"', ""):
            print(f"expected difference: {args[1]} ({WINE_QUOTES})")
            return 0
        print(f"{args[1]}: want {args[2]!r}, got {got!r}")
        return 1
    if cmd == "started":
        n = 0
        if os.path.exists(args[0]):
            for line in open(args[0], encoding="utf-8"):
                e = json.loads(line)
                n += e.get("step") == args[1] and e.get("state") == "started"
        print(n)
        return 0
    sys.exit(f"compare.py: unknown command {cmd}")


sys.exit(main())
