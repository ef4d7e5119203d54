//! Refusals: a plan edited by hand, another profile, a missing profile, a second apply while
//! one runs. Nothing runs in any of them.
use super::{text, Lab};
use std::time::{Duration, Instant};

#[test]
fn a_plan_edited_by_hand_is_refused() {
    let lab = Lab::new("contoso-sync");
    let plan = std::fs::read_to_string(lab.plan()).expect("plan");
    for (from, to) in [
        ("SQLDB=FIMSynchronizationService", "SQLDB=Other"),
        ("\"sc.exe\",", "\"sc2.exe\","),
        ("kind = \"manual\"", "kind = \"command\""),
    ] {
        assert!(plan.contains(from), "{from}");
        std::fs::write(lab.plan(), plan.replacen(from, to, 1)).expect("edit");
        let o = lab.apply(&[]);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(2), "{from}: {out}");
        assert!(out.contains("was changed after it was made"), "{out}");
        assert!(out.contains("fix: make the plan again"), "{out}");
    }
    // A plan without its hash (older, or cut) is refused.
    let cut = plan
        .split("\n[integrity]")
        .next()
        .expect("text")
        .to_string();
    std::fs::write(lab.plan(), cut).expect("edit");
    let o = lab.apply(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("has no [integrity] hash"), "{}", text(&o));
    // An unknown key is refused too, and the JSON form is checked the same way.
    std::fs::write(
        lab.plan(),
        plan.replacen("[profile]", "extra = 1\n[profile]", 1),
    )
    .expect("edit");
    let o = lab.apply(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("unknown field `extra`"), "{}", text(&o));
    let j = lab.run(&["plan", "p.toml", "--json", "-o", "p.plan.json"]);
    assert_eq!(j.status.code(), Some(0), "{}", text(&j));
    let path = lab.dir.path().join("p.plan.json");
    let json = std::fs::read_to_string(&path).expect("json plan");
    std::fs::write(
        &path,
        json.replacen("\"SQLDB=FIMSynchronizationService\"", "\"SQLDB=X\"", 1),
    )
    .expect("edit");
    let runner = super::runner();
    let o = lab.run(&["apply", "p.plan.json", "--runner", &runner]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("was changed after it was made"),
        "{}",
        text(&o)
    );
    // Untouched, the JSON plan runs.
    std::fs::write(&path, json).expect("restore");
    let o = lab.run(&["apply", "p.plan.json", "--runner", &runner]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(lab.programs(), ["msiexec", "sc", "powershell", "miiskmu"]);
}

#[test]
fn a_changed_or_missing_profile_is_refused_and_profile_points_elsewhere() {
    let lab = Lab::new("contoso-sync");
    let profile = lab.dir.path().join("p.toml");
    let original = std::fs::read_to_string(&profile).expect("profile");
    std::fs::write(&profile, format!("{original}\n# edited\n")).expect("edit");
    let o = lab.apply(&[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("is not the one the plan was made from"),
        "{out}"
    );
    assert!(out.contains("--profile FILE"), "{out}");

    let kept = lab.outside.path().join("kept.toml");
    std::fs::write(&kept, &original).expect("copy");
    std::fs::remove_file(&profile).expect("remove");
    let o = lab.apply(&[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("the profile the plan was made from (p.toml) is missing"),
        "{out}"
    );
    assert!(lab.calls().is_empty());

    let o = lab.apply(&["--profile", kept.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(lab.programs().len(), 4);
}

#[test]
fn the_profile_is_found_beside_the_plan_from_another_folder() {
    let lab = Lab::new("contoso-sync");
    let elsewhere = tempfile::tempdir().expect("cwd");
    let runner = super::runner();
    let plan = lab.plan();
    let o = lab
        .command(&["apply", plan.to_str().expect("path"), "--runner", &runner])
        .current_dir(elsewhere.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn a_second_apply_while_one_runs_is_refused_naming_its_pid() {
    let lab = Lab::new("contoso-sync");
    lab.scenario("msiexec 1 sleep=3\n");
    let runner = super::runner();
    let mut first = lab
        .command(&["apply", "p.plan.toml", "--runner", &runner])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start apply");
    let started = Instant::now();
    while lab.calls().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "msiexec did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let second = lab.apply(&["--resume"]);
    let out = text(&second);
    assert_eq!(second.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "is being applied by process {} right now",
            first.id()
        )),
        "{out}"
    );
    let status = first.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
    assert_eq!(lab.programs(), ["msiexec", "sc", "powershell", "miiskmu"]);
}

#[test]
fn a_journal_of_another_version_of_the_plan_is_refused() {
    let lab = Lab::new("contoso-sync");
    let journal = lab.dir.path().join("p.plan.toml.journal.jsonl");
    std::fs::write(
        &journal,
        "{\"plan\":\"0000\",\"step\":\"install-sync-service\",\"state\":\"done\"}\n",
    )
    .expect("journal");
    let o = lab.apply(&["--resume"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("belongs to another version of this plan"),
        "{out}"
    );
    assert!(lab.calls().is_empty());
}
