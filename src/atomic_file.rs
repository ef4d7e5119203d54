//! Whole-or-nothing file writes: write a temporary file beside the target, flush it to disk,
//! then rename it over the target. A crash or an error never leaves a half-written file.
use std::io::Write;
use std::path::Path;

pub fn write(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".mim-setup-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// True when `a` and `b` name one existing file, whatever the spelling: `./p.toml` and
/// `p.toml`, a symbolic link and its target, or (on Unix) two hard links. A path that does
/// not exist is no other file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn writes_whole_files_and_creates_folders() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("a/b/out.toml");
        super::write(&target, b"one")?;
        super::write(&target, b"two")?;
        assert_eq!(std::fs::read_to_string(&target)?, "two");
        let leftovers = std::fs::read_dir(dir.path().join("a/b"))?.count();
        assert_eq!(leftovers, 1);
        Ok(())
    }

    #[test]
    fn one_file_under_every_spelling_and_link_is_the_same_file() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("p.toml");
        std::fs::write(&p, "x")?;
        let other = dir.path().join("q.toml");
        std::fs::write(&other, "x")?;
        let dotted = dir.path().join(".").join("sub/../p.toml");
        std::fs::create_dir(dir.path().join("sub"))?;
        let cases: Vec<(std::path::PathBuf, bool)> = vec![
            (p.clone(), true),
            (dotted, true),
            (other, false),
            (dir.path().join("missing.toml"), false),
            (dir.path().to_path_buf(), false),
        ];
        #[cfg(unix)]
        let cases = {
            let mut cases = cases;
            let link = dir.path().join("link.toml");
            std::os::unix::fs::symlink(&p, &link)?;
            let hard = dir.path().join("hard.toml");
            std::fs::hard_link(&p, &hard)?;
            cases.extend([(link, true), (hard, true)]);
            cases
        };
        for (path, want) in cases {
            assert_eq!(super::same_file(&p, &path), want, "{}", path.display());
        }
        assert!(!super::same_file(
            &dir.path().join("none"),
            &dir.path().join("none")
        ));
        Ok(())
    }
}
