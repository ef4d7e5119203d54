//! What the SQL answers mean for MIM: the supported versions (reference §4) and the collation
//! rule. Pure functions, tested without a server.

/// How MIM 2016 SP2/SP3 stands with a SQL Server version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    /// Supported and recommended.
    Supported {
        name: String,
    },
    /// Supported but not recommended (2012 SP4, 2014 SP3).
    NotRecommended {
        name: String,
    },
    /// Supported only by MIM 2016 SP3 (SQL Server 2022), or newer than any MIM release lists.
    Sp3Only {
        name: String,
    },
    Newer {
        name: String,
    },
    /// Not supported: too old, or a service pack missing.
    Unsupported {
        name: String,
        needs: String,
    },
}

/// A version as SERVERPROPERTY('ProductVersion') gives it: 15.0.2000.5.
pub fn parse_version(v: &str) -> Option<(u32, u32, u32)> {
    let mut it = v.trim().split('.').map(|p| p.trim().parse::<u32>());
    let major = it.next()?.ok()?;
    let minor = it.next().and_then(Result::ok).unwrap_or(0);
    let build = it.next().and_then(Result::ok).unwrap_or(0);
    Some((major, minor, build))
}

/// The release name of a major version.
pub fn release(major: u32) -> Option<&'static str> {
    Some(match major {
        9 => "SQL Server 2005",
        10 => "SQL Server 2008",
        11 => "SQL Server 2012",
        12 => "SQL Server 2014",
        13 => "SQL Server 2016",
        14 => "SQL Server 2017",
        15 => "SQL Server 2019",
        16 => "SQL Server 2022",
        17 => "SQL Server 2025",
        _ => return None,
    })
}

/// The first build of the service packs MIM requires: 2012 SP4 (11.0.7001), 2014 SP3
/// (12.0.6024), 2016 SP2 (13.0.5026).
pub fn support(version: &str, level: &str) -> Support {
    let Some((major, _, build)) = parse_version(version) else {
        return Support::Unsupported {
            name: format!("version {version}"),
            needs: "a version SERVERPROPERTY('ProductVersion') can name".into(),
        };
    };
    let base = release(major).map_or_else(|| format!("SQL Server {major}.x"), str::to_string);
    let name = if level.trim().is_empty() {
        format!("{base} ({version})")
    } else {
        format!("{base} {} ({version})", level.trim())
    };
    let sp = |first: u32, sp: &str, ok: fn(String) -> Support| {
        if build >= first {
            ok(name.clone())
        } else {
            Support::Unsupported {
                name: name.clone(),
                needs: format!("{base} {sp} or later"),
            }
        }
    };
    match major {
        0..=10 => Support::Unsupported {
            needs: "SQL Server 2016 SP2, 2017 or 2019".into(),
            name,
        },
        11 => sp(7001, "SP4", |name| Support::NotRecommended { name }),
        12 => sp(6024, "SP3", |name| Support::NotRecommended { name }),
        13 => sp(5026, "SP2", |name| Support::Supported { name }),
        14 | 15 => Support::Supported { name },
        16 => Support::Sp3Only { name },
        _ => Support::Newer { name },
    }
}

/// Whether a collation name is case-insensitive: `_CI` in it; `_CS` and binary (`_BIN`,
/// `_BIN2`) collations are case-sensitive.
pub fn case_insensitive(collation: &str) -> bool {
    let c = collation.to_ascii_uppercase();
    c.contains("_CI") && !c.contains("_BIN")
}

/// The short name of a host (before the first dot), lower-case.
pub fn short_host(host: &str) -> String {
    host.split('.').next().unwrap_or(host).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_the_reference_table() {
        let s = |v: &str| support(v, "");
        assert!(matches!(s("15.0.2000.5"), Support::Supported { .. }));
        assert!(matches!(s("14.0.1000.169"), Support::Supported { .. }));
        assert!(matches!(s("13.0.5026.0"), Support::Supported { .. }));
        assert!(
            matches!(s("13.0.4001.0"), Support::Unsupported { ref needs, .. } if needs == "SQL Server 2016 SP2 or later")
        );
        assert!(matches!(s("12.0.6024.0"), Support::NotRecommended { .. }));
        assert!(matches!(s("12.0.5000.0"), Support::Unsupported { .. }));
        assert!(matches!(s("11.0.7001.0"), Support::NotRecommended { .. }));
        assert!(matches!(s("11.0.2100.60"), Support::Unsupported { .. }));
        assert!(matches!(s("10.50.6000.34"), Support::Unsupported { .. }));
        assert!(matches!(s("16.0.1000.6"), Support::Sp3Only { .. }));
        assert!(matches!(s("17.0.900.7"), Support::Newer { .. }));
        assert!(matches!(s("garbage"), Support::Unsupported { .. }));
    }

    #[test]
    fn the_name_carries_release_level_and_version() {
        assert_eq!(
            support("13.0.5026.0", "SP2"),
            Support::Supported {
                name: "SQL Server 2016 SP2 (13.0.5026.0)".into()
            }
        );
    }

    #[test]
    fn collations_are_case_insensitive_only_with_ci() {
        assert!(case_insensitive("SQL_Latin1_General_CP1_CI_AS"));
        assert!(case_insensitive("Latin1_General_100_CI_AS_KS_WS_SC_UTF8"));
        assert!(!case_insensitive("SQL_Latin1_General_CP1_CS_AS"));
        assert!(!case_insensitive("Latin1_General_BIN2"));
        assert!(!case_insensitive("Latin1_General_100_BIN2_UTF8"));
        assert!(!case_insensitive(""));
    }
}
