//! The demo's scenarios: the walkthroughs it plays, each with its shipped Contoso profile,
//! embedded in the binary.

/// The walkthroughs the demo plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scenario {
    /// Seed 000: the Synchronization Service (the default).
    Sync,
    /// Seed 000 with a group-managed service account for the Sync Service.
    SyncGmsa,
    /// Seed 003: the Service and Portal (Volume License).
    ServicePortal,
    /// Seed 002's options A to I (Service and Portal, Azure AD Premium edition).
    Aadp(char),
}

const PROFILES: &[(&str, &str)] = &[
    ("sync", include_str!("../../profiles/contoso-sync.toml")),
    (
        "sync-gmsa",
        include_str!("../../profiles/contoso-sync-gmsa.toml"),
    ),
    (
        "service-portal",
        include_str!("../../profiles/contoso-service-portal.toml"),
    ),
    (
        "aadp-a",
        include_str!("../../profiles/contoso-aadp-option-a.toml"),
    ),
    (
        "aadp-b",
        include_str!("../../profiles/contoso-aadp-option-b.toml"),
    ),
    (
        "aadp-c",
        include_str!("../../profiles/contoso-aadp-option-c.toml"),
    ),
    (
        "aadp-d",
        include_str!("../../profiles/contoso-aadp-option-d.toml"),
    ),
    (
        "aadp-e",
        include_str!("../../profiles/contoso-aadp-option-e.toml"),
    ),
    (
        "aadp-f",
        include_str!("../../profiles/contoso-aadp-option-f.toml"),
    ),
    (
        "aadp-g",
        include_str!("../../profiles/contoso-aadp-option-g.toml"),
    ),
    (
        "aadp-h",
        include_str!("../../profiles/contoso-aadp-option-h.toml"),
    ),
    (
        "aadp-i",
        include_str!("../../profiles/contoso-aadp-option-i.toml"),
    ),
];

impl Scenario {
    pub fn all() -> Vec<Scenario> {
        let mut v = vec![Scenario::Sync, Scenario::SyncGmsa, Scenario::ServicePortal];
        v.extend(('a'..='i').map(Scenario::Aadp));
        v
    }

    pub fn name(self) -> String {
        match self {
            Scenario::Sync => "sync".into(),
            Scenario::SyncGmsa => "sync-gmsa".into(),
            Scenario::ServicePortal => "service-portal".into(),
            Scenario::Aadp(c) => format!("aadp-{c}"),
        }
    }

    pub fn parse(name: &str) -> Result<Scenario, String> {
        let n = name.trim().to_ascii_lowercase();
        Scenario::all()
            .into_iter()
            .find(|s| s.name() == n)
            .ok_or_else(|| {
                format!(
                    "`{name}` is not a demo scenario: choose sync (the default), sync-gmsa, service-portal, or aadp-a to aadp-i"
                )
            })
    }

    /// The shipped profile's file name (profiles/...), for messages and `--serve`.
    pub fn profile_file(self) -> String {
        match self {
            Scenario::Sync => "profiles/contoso-sync.toml".into(),
            Scenario::SyncGmsa => "profiles/contoso-sync-gmsa.toml".into(),
            Scenario::ServicePortal => "profiles/contoso-service-portal.toml".into(),
            Scenario::Aadp(c) => format!("profiles/contoso-aadp-option-{c}.toml"),
        }
    }

    pub(super) fn profile_text(self) -> &'static str {
        let name = self.name();
        PROFILES
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, t)| t)
    }
}

impl Scenario {
    /// The scenario whose profile is `profiles/<file>`.
    pub fn of_profile(file: &str) -> Option<Scenario> {
        Scenario::all()
            .into_iter()
            .find(|s| s.profile_file().trim_start_matches("profiles/") == file)
    }

    /// Whether the MIM Service runs as a group-managed service account (options F to I).
    pub fn service_gmsa(self) -> bool {
        matches!(self, Scenario::Aadp('f'..='i'))
    }
}
