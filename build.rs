//! Embeds every file of `screens/` into the binary, so that the wizard needs no data files at
//! run time. The generated module lists `(file name, contents)` pairs in file-name order.
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read at run time: a build script compiled once may run for another checkout.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("screens");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("screens/ folder")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    names.sort();
    let mut out = String::from("/// Every file of `screens/`, embedded at build time.\npub static SCREEN_FILES: &[(&str, &str)] = &[\n");
    for path in &names {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file name");
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("screen_files.rs");
    std::fs::write(dest, out).expect("write screen_files.rs");
}
