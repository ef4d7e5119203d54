//! The plan as an Ansible playbook for a fleet, with an inventory template.
//!
//! Steps map to modules: msiexec steps to `ansible.windows.win_package` (the plan's
//! properties as `arguments`, its log as `log_path`; the module adds `/qn` and
//! `/norestart` itself), `sc.exe query NAME` to `ansible.windows.win_service`, PowerShell
//! steps to `ansible.windows.win_shell`, other programs to `ansible.windows.win_command`
//! with `argv`, manual steps to `ansible.builtin.pause`. An msiexec step the plan runs
//! without `/qn` (setup asks for answers on its screens) cannot be run remotely: it becomes
//! a pause that shows the command and the answers.
//!
//! Secrets come from vault variables `vault_<placeholder>`; every task that uses one has
//! `no_log: true`. Return codes 3010 and 1641 are success and notify a restart handler;
//! 1618 (another installation running) is retried. Text from the plan is escaped for YAML
//! and for Jinja, so a value cannot turn into a template or into YAML structure.
use super::text::{comment, comment_item, jinja_text, segments, yaml_folded, yaml_str, Seg};
use crate::plan::msi_property;
use crate::plan::{Plan, Step, StepKind};

const WIDTH: usize = 100;
/// Values that are not prose stay on one line up to this width (yamllint allows 160).
const LINE_MAX: usize = 150;
const REBOOT_HANDLER: &str = "Restart the server when setup asked for it";

/// The inventory group a plan installs on.
fn group(plan: &Plan) -> &'static str {
    if plan.component == "sync" {
        return "mim_sync";
    }
    let features = plan
        .steps
        .iter()
        .flat_map(|s| &s.properties)
        .find(|p| p.name == "ADDLOCAL")
        .map(|p| p.value.as_str())
        .unwrap_or("");
    if !features.is_empty()
        && !features.contains("CommonServices")
        && !features.contains("WebPortals")
    {
        "mim_sspr"
    } else {
        "mim_service"
    }
}

fn vault(name: &str) -> String {
    format!("vault_{name}")
}

/// A plan value as Jinja text: literals escaped, placeholders as variables; `msi` doubles
/// `"` in literals and secrets (inside an msiexec property's quotes).
fn jinja_value(value: &str, msi: bool) -> String {
    segments(value)
        .into_iter()
        .map(|s| match s {
            Seg::Lit(t) if msi => jinja_text(&t.replace('"', "\"\"")),
            Seg::Lit(t) => jinja_text(t),
            Seg::LogDir => "{{ mim_log_dir }}".to_string(),
            Seg::Secret(n) if msi => format!("{{{{ {} | replace('\"', '\"\"') }}}}", vault(n)),
            Seg::Secret(n) => format!("{{{{ {} }}}}", vault(n)),
        })
        .collect()
}

pub fn playbook(plan: &Plan, shown: &str) -> Result<String, (String, String)> {
    let group = group(plan);
    let mut y = String::from("---\n");
    let mut about = format!(
        "mim-setup playbook, exported from the install plan {shown}. Review every task before running it.\nComponent: {} ({}); profile {} (sha256 {}); plan written by {}.",
        plan.component, plan.edition, plan.profile.path, plan.profile.sha256, plan.generated_by
    );
    if let Some(option) = &plan.deployment_option {
        about.push_str(&format!("\nDeployment option: {option}"));
    }
    about.push_str(&format!(
        "\nRun: ansible-playbook -i inventory.yml PLAYBOOK.yml --ask-vault-pass (hosts: group {group})."
    ));
    if !plan.secrets.is_empty() {
        about.push_str(
            "\nDefine these in an ansible-vault encrypted vars file (group_vars/all/vault.yml):",
        );
        for name in plan.secrets.keys() {
            let source = plan
                .secret_ref(name)
                .map(|s| s.source_in_plan())
                .unwrap_or_default();
            about.push_str(&format!(
                "\n  {}: the plan's secret {name} ({source})",
                vault(name)
            ));
        }
    }
    y.push_str(&comment("#", &about, WIDTH));
    let reasons: Vec<String> = plan
        .acknowledged_reasons
        .iter()
        .map(|(k, r)| format!("{k}: {r}"))
        .collect();
    for (title, list) in [
        ("Acknowledged warnings:", &plan.acknowledged),
        ("Why they are acknowledged:", &reasons),
        ("Notes of the plan:", &plan.notes),
    ] {
        if !list.is_empty() {
            y.push_str(&format!("# {title}\n"));
            for item in list {
                y.push_str(&comment_item("#", item, WIDTH - 6));
            }
        }
    }
    let title = match plan.component.as_str() {
        "sync" => "Install the MIM Synchronization Service".to_string(),
        "service-portal" => "Install the MIM Service and Portal".to_string(),
        other => format!("Install MIM component {}", other.replace(['\r', '\n'], " ")),
    };
    y.push_str(&format!(
        "- name: {}\n  hosts: {group}\n  gather_facts: false\n",
        yaml_str(&jinja_text(&title))
    ));
    y.push_str("  vars:\n    # The plan's {{log_dir}}: the folder for msiexec logs on each host.\n    mim_log_dir: 'C:\\mim-setup\\logs'\n");
    y.push_str(&format!("  handlers:\n    - name: {REBOOT_HANDLER}\n      ansible.windows.win_reboot:\n        reboot_timeout: 1800\n  tasks:\n"));
    if !plan.secrets.is_empty() {
        y.push_str("    - name: Check that the vault variables of the plan's secrets are defined\n      ansible.builtin.assert:\n        that:\n");
        for name in plan.secrets.keys() {
            y.push_str(&format!("          - {} is defined\n", vault(name)));
        }
        y.push_str("        fail_msg: Define the vault_* variables listed at the top of this playbook.\n        quiet: true\n");
    }
    y.push_str("    - name: Create the log folder\n      ansible.windows.win_file:\n        path: '{{ mim_log_dir }}'\n        state: directory\n");
    let total = plan.steps.len();
    for (n, step) in plan.steps.iter().enumerate() {
        y.push_str(&task(plan, step, n + 1, total, group).map_err(|e| (step.id.clone(), e))?);
    }
    Ok(y)
}

fn task(plan: &Plan, step: &Step, n: usize, total: usize, group: &str) -> Result<String, String> {
    let mut t = String::new();
    t.push_str(&comment(
        "    #",
        &format!("Step {n} of {total}: {}\n{}", step.id, step.description),
        WIDTH,
    ));
    let name = yaml_str(&jinja_text(&format!(
        "Step {n} {}",
        step.id.replace(['\r', '\n'], " ")
    )));
    let uses_secrets = step
        .argv
        .iter()
        .any(|a| segments(a).iter().any(|s| matches!(s, Seg::Secret(_))));
    let answers: Vec<_> = plan.interactive_for(&step.id).collect();
    let pause = |text: String| {
        format!(
            "    - name: {name}\n      ansible.builtin.pause:\n        prompt: {}\n",
            yaml_folded(&text, 10, WIDTH)
        )
    };
    match step.kind {
        StepKind::Manual => {
            t.push_str(&pause(format!(
                "On every host of group {group}: {} Press Enter when done.",
                shown_text(&step.description)
            )));
        }
        StepKind::Msiexec if !step.is_silent() => {
            let mut text = format!(
                "Setup needs answers on its screens, which a remote run cannot give. On every host of group {group}, in a console session, run: {} Answer:",
                shown_text(&step.command)
            );
            for a in &answers {
                text.push_str(&format!(
                    " {}: {};",
                    shown_text(&a.label),
                    shown_text(&a.value)
                ));
            }
            text.push_str(" Press Enter when setup has finished on every host.");
            t.push_str(&pause(text));
        }
        StepKind::Msiexec => t.push_str(&package(step, &name, uses_secrets)?),
        StepKind::Command => t.push_str(&command(step, &name, uses_secrets)?),
    }
    Ok(t)
}

/// Plan text for a prompt, as Jinja: one line, the log folder as its variable, a secret
/// by its name only (never its vault variable, whose value would show).
fn shown_text(s: &str) -> String {
    segments(&s.replace(['\r', '\n'], " "))
        .into_iter()
        .map(|seg| match seg {
            Seg::Lit(t) => jinja_text(t),
            Seg::LogDir => "{{ mim_log_dir }}".to_string(),
            Seg::Secret(n) => format!("(the secret {n})"),
        })
        .collect()
}

fn package(step: &Step, name: &str, uses_secrets: bool) -> Result<String, String> {
    let package = &step.argv[2];
    let path = match &step.working_dir {
        Some(dir) if !package.contains(['\\', '/']) => {
            format!("{}\\{package}", dir.trim_end_matches('\\'))
        }
        _ => package.clone(),
    };
    let mut args = Vec::new();
    let mut rest = step.argv.iter().skip(3);
    while let Some(arg) = rest.next() {
        // win_package adds its own: "do not supply the /qn, /log or /norestart arguments".
        if arg.eq_ignore_ascii_case("/qn") || arg.eq_ignore_ascii_case("/norestart") {
            continue;
        }
        if arg.to_ascii_lowercase().starts_with("/l") {
            rest.next();
            continue;
        }
        let placeholder = segments(arg).iter().any(|s| !matches!(s, Seg::Lit(_)));
        match step.property_of(arg) {
            Some(p) if placeholder => {
                args.push(format!("{}=\"{}\"", p.name, jinja_value(&p.value, true)))
            }
            Some(p) => args.push(jinja_text(
                &msi_property(&p.name, &p.value).map_err(|e| e.to_string())?,
            )),
            None if placeholder => {
                return Err(format!(
                    "the msiexec argument {arg:?} holds a placeholder but is no recorded property"
                ))
            }
            None if arg.contains(['\r', '\n']) => {
                return Err("an msiexec argument holds a line break".to_string())
            }
            None => args.push(jinja_text(&crate::plan::quote_arg(arg))),
        }
    }
    let register = format!(
        "mim_{}",
        step.id.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    );
    let mut t = format!(
        "    - name: {name}\n      ansible.windows.win_package:\n        path: {}\n",
        yaml_folded(&jinja_text(&path), 10, LINE_MAX)
    );
    if let Some(dir) = &step.working_dir {
        t.push_str(&format!(
            "        chdir: {}\n",
            yaml_str(&jinja_value(dir, false))
        ));
    }
    t.push_str("        state: present\n");
    if let Some(log) = &step.log {
        t.push_str(&format!(
            "        log_path: {}\n",
            yaml_str(&jinja_value(log, false))
        ));
    }
    if !args.is_empty() {
        t.push_str(&format!(
            "        arguments: {}\n",
            yaml_folded(&args.join(" "), 10, WIDTH)
        ));
    }
    t.push_str("        expected_return_code: [0, 3010, 1641]\n");
    t.push_str(&format!(
        "      register: {register}\n      # 1618: another installation is running; wait and try again.\n      until: {register}.rc | default(0) != 1618\n      retries: 5\n      delay: 120\n"
    ));
    if uses_secrets {
        t.push_str("      no_log: true\n");
    }
    t.push_str(&format!(
        "    - name: {}\n      ansible.builtin.set_fact:\n        mim_reboot_required: true\n      when: {register}.reboot_required | default(false)\n      changed_when: true\n      notify: {REBOOT_HANDLER}\n",
        yaml_str(&format!("{} asked for a restart", name.trim_matches('\'')))
    ));
    Ok(t)
}

fn command(step: &Step, name: &str, uses_secrets: bool) -> Result<String, String> {
    let argv = &step.argv;
    let program = argv[0]
        .rsplit(['\\', '/'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let verify = step.id.starts_with("verify-");
    let changed = if verify { "false" } else { "true" };
    let mut t = format!("    - name: {name}\n");
    if program == "sc.exe" && argv.len() == 3 && argv[1] == "query" && !uses_secrets {
        let register = format!(
            "mim_{}",
            step.id.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        t.push_str(&format!(
            "      ansible.windows.win_service:\n        name: {}\n      register: {register}\n      failed_when: not {register}.exists\n",
            yaml_str(&jinja_value(&argv[2], false))
        ));
        return Ok(t);
    }
    let ps_script = (program == "powershell.exe" || program == "powershell")
        && argv.len() >= 3
        && argv[argv.len() - 2].eq_ignore_ascii_case("-Command");
    if ps_script {
        let script = &argv[argv.len() - 1];
        if segments(script).iter().any(|s| !matches!(s, Seg::Lit(_))) {
            return Err(
                "a PowerShell command with a placeholder cannot be exported to Ansible".to_string(),
            );
        }
        t.push_str(&format!(
            "      ansible.windows.win_shell: {}\n",
            yaml_folded(&jinja_text(script), 8, WIDTH)
        ));
    } else {
        t.push_str("      ansible.windows.win_command:\n        argv:\n");
        for arg in argv {
            t.push_str(&format!(
                "          - {}\n",
                yaml_folded(&jinja_value(arg, false), 12, LINE_MAX)
            ));
        }
    }
    if let Some(dir) = &step.working_dir {
        let key = if ps_script {
            "      args:\n        chdir"
        } else {
            "        chdir"
        };
        t.push_str(&format!("{key}: {}\n", yaml_str(&jinja_value(dir, false))));
    }
    t.push_str(&format!("      changed_when: {changed}\n"));
    if uses_secrets {
        t.push_str("      no_log: true\n");
    }
    Ok(t)
}

/// The inventory template: the three groups, hosts to fill in.
pub fn inventory(plan: &Plan, shown: &str) -> String {
    let prop = |name: &str| {
        plan.steps
            .iter()
            .flat_map(|s| &s.properties)
            .find(|p| p.name == name)
            .map(|p| p.value.clone())
    };
    let mut y = String::from("---\n");
    y.push_str(&comment(
        "#",
        &format!("Inventory template for the mim-setup playbooks (written with {shown}). Add each server under its group; the hosts below are examples. Connection: WinRM over HTTPS with Kerberos."),
        WIDTH,
    ));
    y.push_str("all:\n  vars:\n    ansible_connection: winrm\n    ansible_port: 5986\n    ansible_winrm_transport: kerberos\n  children:\n");
    y.push_str("    # The Synchronization Service server (one).\n    mim_sync:\n      hosts: {}\n      # hosts:\n      #   corpsync.contoso.com:\n");
    y.push_str("    # The MIM Service and Portal servers.\n    mim_service:\n      hosts: {}\n      # hosts:\n      #   corpservice1.contoso.com:\n      #   corpservice2.contoso.com:\n");
    y.push_str("    # The SSPR portal servers (registration and reset), behind a load balancer.\n    mim_sspr:\n");
    let mut vars = Vec::new();
    for (var, property) in [
        ("mim_sspr_registration_name", "REGISTRATION_HOSTNAME"),
        ("mim_sspr_reset_name", "RESET_HOSTNAME"),
    ] {
        if let Some(v) = prop(property) {
            vars.push(format!("        # The load balancer's name for the portal (the plan's {property}).\n        {var}: {}\n", yaml_str(&jinja_text(&v))));
        }
    }
    if !vars.is_empty() {
        y.push_str("      vars:\n");
        y.push_str(&vars.concat());
    }
    y.push_str("      hosts: {}\n      # hosts:\n      #   corpsspr1.contoso.com:\n      #   corpsspr2.contoso.com:\n");
    y
}
