//! A .NET stack trace, compact: the exception line, then the frames of the extension's own
//! code first (not `System.*` or the Sync engine's `Microsoft.MetadirectoryServices*`),
//! with `in C:\...\File.cs:line 42` shortened to `File.cs:42`, then how many frames were
//! left out.
const SHOWN: usize = 4;

fn engine_frame(f: &str) -> bool {
    let f = f.trim_start_matches("at ").trim_start();
    [
        "System.",
        "Microsoft.MetadirectoryServices",
        "Microsoft.DirectoryServices.MetadirectoryServices",
        "Microsoft.Win32.",
    ]
    .iter()
    .any(|p| f.starts_with(p))
}

fn short(frame: &str) -> String {
    let f = frame.trim();
    match f.split_once(" in ") {
        Some((call, at)) => {
            let file = at.rsplit(['\\', '/']).next().unwrap_or(at);
            format!("{call} {}", file.replace(":line ", ":"))
        }
        None => f.to_string(),
    }
}

/// (the exception line, the compact trace as lines).
pub fn compact(stack: &str) -> (String, String) {
    let lines: Vec<&str> = stack
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let head = lines
        .iter()
        .find(|l| !l.starts_with("at ") && !l.starts_with("---"))
        .map(|l| l.to_string())
        .unwrap_or_else(|| "no exception text".into());
    let frames: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("at "))
        .collect();
    let (own, engine): (Vec<&str>, Vec<&str>) = frames.iter().partition(|f| !engine_frame(f));
    let mut out: Vec<String> = own
        .iter()
        .chain(engine.iter())
        .take(SHOWN)
        .map(|f| short(f))
        .collect();
    if frames.len() > SHOWN {
        out.push(format!("(+{} more frame(s))", frames.len() - SHOWN));
    }
    if out.is_empty() {
        out.push("(no stack frames)".into());
    }
    (head, out.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn own_frames_come_first_shortened() {
        let s = "System.NullReferenceException: Object reference not set to an instance of an object.\r\n   at System.String.Concat(String a)\r\n   at Contoso.Sync.MVExtension.Provision(MVEntry mventry) in C:\\src\\Contoso\\MVExtension.cs:line 42\r\n   at Microsoft.MetadirectoryServices.Impl.ProvisionCall()\r\n";
        let (head, trace) = compact(s);
        assert_eq!(
            head,
            "System.NullReferenceException: Object reference not set to an instance of an object."
        );
        let first = trace.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            "at Contoso.Sync.MVExtension.Provision(MVEntry mventry) MVExtension.cs:42"
        );
        assert_eq!(trace.lines().count(), 3);
    }
}
