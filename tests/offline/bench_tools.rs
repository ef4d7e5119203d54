//! The benches' external programs are listed with their Debian packages in
//! `benches/tools.txt`, which `tests/run` installs: a program a bench runs that the list
//! lacks would fail on a fresh machine ("dig SRV: No such file or directory").
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The literal programs of `Command::new("...")` in a source text.
fn programs(src: &str) -> Vec<String> {
    src.split("Command::new(\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(p, _)| p.to_string()))
        .collect()
}

#[test]
fn every_program_a_bench_runs_is_listed_with_its_package_and_installed_by_tests_run() {
    let list = std::fs::read_to_string(root().join("benches/tools.txt")).expect("tools.txt");
    let mut listed = Vec::new();
    for (n, line) in list.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            words.len(),
            2,
            "tools.txt:{}: `PROGRAM PACKAGE`: {line}",
            n + 1
        );
        listed.push(words[0].to_string());
    }
    let mut used = Vec::new();
    for e in std::fs::read_dir(root().join("benches")).expect("benches/") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "rs") {
            let src = std::fs::read_to_string(&p).expect("bench source");
            for prog in programs(&src) {
                assert!(
                    listed.contains(&prog),
                    "{}: runs `{prog}`, which benches/tools.txt does not list with its package",
                    p.display()
                );
                used.push(prog);
            }
        }
    }
    for t in &listed {
        assert!(
            used.contains(t),
            "benches/tools.txt lists `{t}`, which no bench runs"
        );
    }
    let run = std::fs::read_to_string(root().join("tests/run")).expect("tests/run");
    assert!(
        run.contains("done < benches/tools.txt"),
        "tests/run installs the packages of benches/tools.txt"
    );
    // The scan itself finds programs (a scan that finds nothing would pass anything).
    assert_eq!(
        programs("Command::new(\"dig\").arg(x); Command::new(env!(\"X\")); Command::new(\"curl\")"),
        ["dig", "curl"]
    );
}
