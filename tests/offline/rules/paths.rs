//! `src/rules/paths.rs`: Windows paths, absolute (drive or share) and local (drive only).
use super::*;

/// Rows both path rules agree on.
const PATH_ROWS: &[(&str, Want)] = &[
    ("C:\\MIMBackup\\MIMSyncKey.bin", OK),
    ("c:\\mim", OK),
    ("D:\\", OK),
    ("C:\\Program Files (x86)\\MIM\\", OK),
    ("C:\\Sauvegarde\\clé.bin", OK),
    ("C:\\CONFIG\\key.bin", OK),
    ("", err("windows-path")),
    ("C:", err("windows-path")),
    ("C:MIM", err("windows-path")),
    ("1:\\MIM", err("windows-path")),
    ("MIMBackup\\key.bin", err("windows-path")),
    (" C:\\MIM", err("windows-path")),
    ("C:/MIMBackup/key.bin", err("windows-path")),
    ("/var/backup/key.bin", err("windows-path")),
    ("C:\\MIM/Backup", err("windows-path")),
    ("C:\\a<b", err("windows-path")),
    ("C:\\a>b", err("windows-path")),
    ("C:\\a:b", err("windows-path")),
    ("C:\\a\"b", err("windows-path")),
    ("C:\\a|b", err("windows-path")),
    ("C:\\a?b", err("windows-path")),
    ("C:\\a*b", err("windows-path")),
    ("C:\\a\tb", err("windows-path")),
    ("C:\\CON\\key.bin", err("windows-path")),
    ("C:\\MIM\\nul.txt", err("windows-path")),
    ("C:\\MIM\\com1", err("windows-path")),
    ("C:\\MIM\\LPT9.log", err("windows-path")),
    ("C:\\MIM \\key.bin", err("windows-path")),
    ("C:\\MIM.\\key.bin", err("windows-path")),
    ("C:\\MIM\\key.bin ", err("windows-path")),
    ("C:\\MIM\\\\key.bin", err("windows-path")),
    ("C:\\\\MIM", err("windows-path")),
];

#[test]
fn absolute_path_is_a_drive_or_a_share() {
    let p = "security.key_backup";
    check_texts("windows-absolute-path", p, PATH_ROWS);
    let rows = [
        ("\\\\backup01\\keys\\MIMSyncKey.bin", OK),
        ("\\\\backup01\\keys", OK),
        ("\\\\backup01", err("windows-path")),
        ("\\\\backup01\\", err("windows-path")),
        ("\\\\\\keys", err("windows-path")),
        ("\\\\backup01\\keys\\a|b", err("windows-path")),
        ("\\\\backup01\\keys\\\\key.bin", err("windows-path")),
    ];
    check_texts("windows-absolute-path", p, &rows);
    let long = |n: usize| format!("C:\\{}", "a".repeat(n - 3));
    check_texts(
        "windows-absolute-path",
        p,
        &[(long(247), OK), (long(248), err("windows-path"))],
    );
}

#[test]
fn install_folder_is_on_a_local_drive() {
    let p = "install.folder";
    check_texts("windows-local-path", p, PATH_ROWS);
    let rows = [
        (
            "C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\",
            OK,
        ),
        ("E:\\MIM\\Sync", OK),
        ("\\\\fileserver\\share\\MIM", err("windows-path-local")),
        ("\\\\fileserver", err("windows-path-local")),
        ("\\\\?\\C:\\MIM", err("windows-path-local")),
    ];
    check_texts("windows-local-path", p, &rows);
}
