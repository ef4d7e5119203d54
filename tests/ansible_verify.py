"""Reads an exported playbook back and compares it with its plan (run by tests/ansible-check.sh).

For every step of the plan, the task named `Step N ID` must exist, use only options that
its module documents (`ansible-doc -j`; ansible-lint cannot check the options of Windows
modules), hide its output (no_log) when it uses a vault variable, and give back the plan's
values once Jinja has rendered it: win_command's argv, win_shell's script, win_package's
path, folder, log and the msiexec properties read back as msiexec reads its command line,
win_service's name. Prompts (pause) must hold the step's text and no secret.

Each inventory template beside a playbook must hold the groups mim_sync, mim_service and
mim_sspr. Prints one line per playbook and exits non-zero if any fails.

usage: ansible_verify.py PLAN PLAYBOOK [PLAN PLAYBOOK ...]
"""
import json
import os
import subprocess
import sys
import tomllib

import jinja2
import yaml

TASK_KEYWORDS = {
    "name", "register", "until", "retries", "delay", "no_log", "notify", "when",
    "changed_when", "failed_when", "args",
}
MODULES = [
    "ansible.windows.win_package", "ansible.windows.win_command", "ansible.windows.win_shell",
    "ansible.windows.win_service", "ansible.builtin.pause",
]
_docs = {}


def module_options(module):
    if not _docs:
        # One ansible-doc run for every module the exporter writes.
        out = subprocess.run(["ansible-doc", "-j", *MODULES], check=True, capture_output=True, text=True)
        for name, entry in json.loads(out.stdout).items():
            names = set()
            for opt, spec in (entry["doc"].get("options") or {}).items():
                names.add(opt)
                names.update(spec.get("aliases") or [])
            _docs[name] = names
    assert module in _docs, f"{module} is not a module the exporter is known to write"
    return _docs[module]


def read_msiexec(line):
    """msiexec's reading of a command line: quotes group, "" inside them is ", \\ is plain."""
    tokens, cur, quoted, i, started = [], "", False, 0, False
    while i < len(line):
        c = line[i]
        if c == '"' and quoted and line[i + 1:i + 2] == '"':
            cur += '"'
            i += 2
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c in " \t" and not quoted:
            if started:
                tokens.append(cur)
            cur, started = "", False
        else:
            cur += c
            started = True
        i += 1
    assert not quoted, f"open quote in {line!r}"
    if started:
        tokens.append(cur)
    return tokens


def main(plan_path, playbook_path):
    with open(plan_path, "rb") as f:
        plan = json.load(f) if plan_path.endswith(".json") else tomllib.load(f)
    with open(playbook_path, encoding="utf-8") as f:
        plays = yaml.safe_load(f)
    assert isinstance(plays, list) and len(plays) == 1, "one play"
    play = plays[0]
    secrets = {f"vault_{n}": f"SECRET-{n}-\"'%;&" for n in plan.get("secrets", {})}
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    values = {"mim_log_dir": "C:\\LOGS dir", **secrets}

    def render(text):
        # Ansible templates only text that holds a Jinja opener.
        if not any(o in text for o in ("{{", "{%", "{#")):
            return text
        return env.from_string(text).render(**values)

    def fill(text):
        text = text.replace("{{log_dir}}", values["mim_log_dir"])
        for name in plan.get("secrets", {}):
            text = text.replace("{{secret:%s}}" % name, secrets[f"vault_{name}"])
        return text

    tasks = {t["name"]: t for t in play["tasks"]}
    checked = 0
    for n, step in enumerate(plan["steps"], 1):
        name = f"Step {n} {step['id']}"
        task = tasks.get(name)
        assert task is not None, f"no task {name!r}"
        modules = [k for k in task if k not in TASK_KEYWORDS]
        assert len(modules) == 1, f"{name}: modules {modules}"
        module = modules[0]
        args = task[module]
        opts = dict(args) if isinstance(args, dict) else {}
        opts.update(task.get("args") or {})
        unknown = set(opts) - module_options(module)
        assert not unknown, f"{name}: {module} has no option(s) {sorted(unknown)}"
        argv = step.get("argv", [])
        uses_secret = any("{{secret:" in a for a in argv)
        if uses_secret and module != "ansible.builtin.pause":
            assert task.get("no_log") is True, f"{name}: no_log"
        short = module.rsplit(".", 1)[-1]
        if short == "win_command":
            got = [render(a) for a in args["argv"]]
            assert got == [fill(a) for a in argv], f"{name}: argv {got!r}"
        elif short == "win_shell":
            assert render(args) == argv[-1], f"{name}: script {render(args)!r}"
        elif short == "win_service":
            assert render(args["name"]) == argv[2], name
        elif short == "win_package":
            folder = step.get("working_dir")
            want_path = argv[2] if folder is None else folder.rstrip("\\") + "\\" + argv[2]
            assert render(args["path"]) == want_path, f"{name}: path {render(args['path'])!r}"
            if folder is not None:
                assert render(args["chdir"]) == folder, name
            assert render(args["log_path"]) == fill(step["log"]), name
            props = [a for a in argv[3:] if "=" in a and not a.startswith("/")]
            got = read_msiexec(render(args.get("arguments", "")))
            assert got == [fill(a) for a in props], f"{name}: arguments {got!r}"
            assert args["expected_return_code"] == [0, 3010, 1641], name
        elif short == "pause":
            prompt = render(args["prompt"])
            assert all(s not in prompt for s in secrets.values()), f"{name}: a secret in a prompt"
            if step["kind"] == "manual":
                assert " ".join(step["description"].split()) in prompt, f"{name}: {prompt!r}"
        else:
            raise AssertionError(f"{name}: unexpected module {module}")
        checked += 1
    text = open(playbook_path, encoding="utf-8").read()
    for value in secrets.values():
        assert value not in text
    inventory = os.path.join(os.path.dirname(playbook_path), "inventory.yml")
    with open(inventory, encoding="utf-8") as f:
        groups = set(yaml.safe_load(f)["all"]["children"])
    missing = {"mim_sync", "mim_service", "mim_sspr"} - groups
    assert not missing, f"{inventory}: groups {sorted(missing)} missing"
    print(f"{playbook_path}: {checked} task(s) match the plan; inventory groups ok")


if __name__ == "__main__":
    pairs = list(zip(sys.argv[1::2], sys.argv[2::2]))
    failed = 0
    for plan_file, playbook_file in pairs:
        try:
            main(plan_file, playbook_file)
        except Exception as e:  # report every playbook, then fail
            print(f"FAILED {playbook_file}: {e!r}")
            failed += 1
    sys.exit(1 if failed or not pairs else 0)
