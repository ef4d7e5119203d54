//! Step 8, after an upgrade: hotfix setup does not replace a customised
//! `MIIServer.exe.config`, `Mmsscrpt.exe.config` or `Dllhost.exe.config`, so the binding
//! redirect for `Microsoft.MetadirectoryServicesEx` that a build brings is missing and rules
//! extensions and ECMA MAs stop with `stopped-extension-dll-load` (4.5.286.0 known issue).
//! The newVersion a build's redirect carries is not confirmed: the check looks for a redirect
//! of that assembly, not its number.
use super::installed::Installed;
use crate::doctor::inputs::Collection;
use crate::doctor::report::{finding, StepReport};
use crate::finding::Severity;

const ASSEMBLY: &str = "Microsoft.MetadirectoryServicesEx";
const FILES: [&str; 3] = [
    "miiserver.exe.config",
    "mmsscrpt.exe.config",
    "dllhost.exe.config",
];

pub fn check(c: &Collection, i: &Installed) -> StepReport {
    let mut st = StepReport::new("configs");
    let ours: Vec<_> = c
        .configs
        .iter()
        .filter(|f| FILES.contains(&f.name.to_ascii_lowercase().as_str()))
        .collect();
    if ours.is_empty() {
        return st.skipped("no config/miiserver.exe.config, mmsscrpt.exe.config or dllhost.exe.config in the collection");
    }
    let after = i.at_least("4.5.286.0");
    for f in &ours {
        let r = f
            .redirects
            .iter()
            .find(|r| r.assembly.eq_ignore_ascii_case(ASSEMBLY));
        match r {
            Some(r) => st.evidence.push(format!(
                "{}: bindingRedirect {ASSEMBLY} -> {}",
                f.name, r.new_version
            )),
            None => {
                st.evidence
                    .push(format!("{}: no bindingRedirect for {ASSEMBLY}", f.name));
                if after != Some(false) {
                    st.findings.push(
                        finding("doctor-config-redirect", Severity::Warning, format!("{} has no bindingRedirect for {ASSEMBLY}", f.name))
                            .why("setup does not replace a customised .config; since 4.5.286.0 the missing redirect makes rules extensions and ECMA1/ECMA2 MAs stop with stopped-extension-dll-load (support.microsoft.com, hotfix rollup 4.5.286.0). The redirect's version for each build is not confirmed here")
                            .fix(format!("merge your changes into the .config that the update ships (keep its <dependentAssembly> for {ASSEMBLY}, publicKeyToken 31bf3856ad364e35), then restart the Sync service"))
                            .evidence(match after {
                                Some(true) => format!("installed build {} is 4.5.286.0 or later", i.version().unwrap_or("?")),
                                _ => "the installed build is not in the collection".into(),
                            }),
                    );
                }
            }
        }
    }
    st.summary = if st.findings.is_empty() {
        format!("{} config file(s) hold the {ASSEMBLY} redirect", ours.len())
    } else {
        format!(
            "{} config file(s) without the {ASSEMBLY} redirect",
            st.findings.len()
        )
    };
    st.settle()
}
