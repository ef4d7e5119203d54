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
}
