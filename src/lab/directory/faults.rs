//! The directory's faults: each one a real change in the objects (what an administrator's
//! mistake would leave), and the finding the AD checks give for it on the shipped Contoso
//! profiles: its check id and field. Most change the Synchronization Service account
//! `MIMSync` (the default scenario's); the SPN and gMSA faults change what the Service and
//! Portal and the gMSA profiles name.
use super::store::{filetime, norm_dn, Entry};
use std::collections::BTreeSet;

const USERS: &str = "CN=Users,DC=contoso,DC=local";

/// A fault of the demo directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DirFault {
    DisabledAccount,
    LockedAccount,
    ExpiredPassword,
    ExpiredAccount,
    WrongPassword,
    MissingGroup,
    DistributionGroup,
    DuplicateSpn,
    GmsaNotAllowed,
    NoKdsRootKey,
    /// Doctor: the PCNS target's SPN is on no account.
    PcnsSpnMissing,
    /// Doctor: the PCNS target's SPN is registered in its short form only.
    PcnsSpnShortForm,
    /// Doctor: the domain controller's clock is 10 minutes ahead.
    ClockSkew,
}

/// The PCNS target's SPN for the demo's Sync server, after setup.
pub const PCNS_SPN: &str = "PCNSCLNT/corpsync.contoso.local";
/// How far ahead the clock-skew fault sets the DC's clock, in seconds.
pub const CLOCK_SKEW: i64 = 600;

impl DirFault {
    /// The faults the doctor's questions show (step 5, PCNS), after setup.
    pub const DOCTOR: [DirFault; 3] = [
        DirFault::PcnsSpnMissing,
        DirFault::PcnsSpnShortForm,
        DirFault::ClockSkew,
    ];

    /// The faults the install checks show.
    pub const ALL: [DirFault; 10] = [
        DirFault::DisabledAccount,
        DirFault::LockedAccount,
        DirFault::ExpiredPassword,
        DirFault::ExpiredAccount,
        DirFault::WrongPassword,
        DirFault::MissingGroup,
        DirFault::DistributionGroup,
        DirFault::DuplicateSpn,
        DirFault::GmsaNotAllowed,
        DirFault::NoKdsRootKey,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DirFault::DisabledAccount => "ad-disabled-account",
            DirFault::LockedAccount => "ad-locked-account",
            DirFault::ExpiredPassword => "ad-expired-password",
            DirFault::ExpiredAccount => "ad-expired-account",
            DirFault::WrongPassword => "ad-wrong-password",
            DirFault::MissingGroup => "ad-missing-group",
            DirFault::DistributionGroup => "ad-distribution-group",
            DirFault::DuplicateSpn => "ad-duplicate-spn",
            DirFault::GmsaNotAllowed => "ad-gmsa-not-allowed",
            DirFault::NoKdsRootKey => "ad-no-kds-root-key",
            DirFault::PcnsSpnMissing => "pcns-spn-missing",
            DirFault::PcnsSpnShortForm => "pcns-spn-short-form",
            DirFault::ClockSkew => "dc-clock-skew",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            DirFault::DisabledAccount => "the Synchronization Service account MIMSync is disabled",
            DirFault::LockedAccount => "the Synchronization Service account MIMSync is locked out",
            DirFault::ExpiredPassword => {
                "the password of MIMSync is older than the domain's maximum password age"
            }
            DirFault::ExpiredAccount => "the account MIMSync expired on 2020-01-01",
            DirFault::WrongPassword => {
                "the password of contoso\\miminstall was reset: the checks' bind password is wrong"
            }
            DirFault::MissingGroup => "the group MIMSyncBrowse was deleted",
            DirFault::DistributionGroup => {
                "MIMSyncOperators is a distribution group, not a security group"
            }
            DirFault::DuplicateSpn => "the MIM Service's SPNs are registered on SqlServer as well",
            DirFault::GmsaNotAllowed => {
                "the gMSAs allow only Domain Admins to retrieve their password, not this computer"
            }
            DirFault::NoKdsRootKey => "the forest has no KDS root key",
            DirFault::PcnsSpnMissing => {
                "doctor: the PCNS target's SPN PCNSCLNT/corpsync.contoso.local is on no account"
            }
            DirFault::PcnsSpnShortForm => {
                "doctor: the PCNS target's SPN is registered as PCNSCLNT/corpsync only (no full name)"
            }
            DirFault::ClockSkew => "doctor: the domain controller's clock is 10 minutes ahead",
        }
    }

    /// The id of the finding the AD checks give for it.
    pub fn check_id(self) -> &'static str {
        match self {
            DirFault::DisabledAccount => "ad-account-disabled",
            DirFault::LockedAccount => "ad-account-locked",
            DirFault::ExpiredPassword => "ad-account-password-expired",
            DirFault::ExpiredAccount => "ad-account-expired",
            DirFault::WrongPassword => "ad-bind-bad-password",
            DirFault::MissingGroup => "ad-group-missing",
            DirFault::DistributionGroup => "ad-group-not-security",
            DirFault::DuplicateSpn => "ad-spn-duplicate",
            DirFault::GmsaNotAllowed => "ad-gmsa-not-allowed",
            DirFault::NoKdsRootKey => "ad-kds-not-visible",
            DirFault::PcnsSpnMissing => "doctor-pcns-spn-missing",
            DirFault::PcnsSpnShortForm => "doctor-pcns-spn-short",
            DirFault::ClockSkew => "doctor-pcns-clock-skew",
        }
    }

    /// The field of that finding.
    pub fn field(self) -> &'static str {
        use crate::screens::fields;
        match self {
            DirFault::DisabledAccount
            | DirFault::LockedAccount
            | DirFault::ExpiredPassword
            | DirFault::ExpiredAccount
            | DirFault::GmsaNotAllowed
            | DirFault::NoKdsRootKey => fields::service_account::NAME,
            DirFault::WrongPassword => fields::checks::BIND_ACCOUNT,
            DirFault::MissingGroup => fields::groups::BROWSE,
            DirFault::DistributionGroup => fields::groups::OPERATORS,
            DirFault::DuplicateSpn => fields::mim_service::NAME,
            // The doctor's findings name no field.
            DirFault::PcnsSpnMissing | DirFault::PcnsSpnShortForm | DirFault::ClockSkew => "",
        }
    }

    /// The shipped profile on which the finding shows (`profiles/<name>`).
    pub fn profile(self) -> &'static str {
        match self {
            DirFault::DuplicateSpn => "contoso-service-portal.toml",
            DirFault::GmsaNotAllowed | DirFault::NoKdsRootKey => "contoso-sync-gmsa.toml",
            _ => "contoso-sync.toml",
        }
    }

    pub fn from_name(name: &str) -> Option<DirFault> {
        DirFault::every().find(|f| f.name() == name)
    }

    /// The install checks' faults, then the doctor's.
    pub fn every() -> impl Iterator<Item = DirFault> {
        DirFault::ALL.into_iter().chain(DirFault::DOCTOR)
    }
}

fn find<'a>(entries: &'a mut [Entry], dn: &str) -> Option<&'a mut Entry> {
    let n = norm_dn(dn);
    entries.iter_mut().find(|e| e.norm == n)
}

/// Applies the faults that are on to a copy of the loaded entries. Returns the accounts whose
/// password is no longer the demo's.
pub fn apply(
    faults: &BTreeSet<DirFault>,
    entries: &mut Vec<Entry>,
    switched_on: impl Fn(DirFault) -> i64,
) -> BTreeSet<String> {
    let mut other_password = BTreeSet::new();
    let sync = format!("CN=MIMSync,{USERS}");
    for &f in faults {
        match f {
            DirFault::DisabledAccount => {
                if let Some(e) = find(entries, &sync) {
                    let uac = e.number("userAccountControl").unwrap_or(0x200) | 0x2;
                    e.set("userAccountControl", vec![uac.to_string().into_bytes()]);
                }
            }
            DirFault::LockedAccount => {
                // Locked when the fault was switched on: the lockout lasts the domain's
                // lockoutDuration from then.
                if let Some(e) = find(entries, &sync) {
                    e.set("lockoutTime", vec![switched_on(f).to_string().into_bytes()]);
                }
            }
            DirFault::ExpiredPassword => {
                if let Some(e) = find(entries, &sync) {
                    let uac = e.number("userAccountControl").unwrap_or(0x200) & !0x10000;
                    e.set("userAccountControl", vec![uac.to_string().into_bytes()]);
                    e.set(
                        "pwdLastSet",
                        vec![filetime(1_577_836_800).to_string().into_bytes()],
                    );
                }
            }
            DirFault::ExpiredAccount => {
                if let Some(e) = find(entries, &sync) {
                    e.set(
                        "accountExpires",
                        vec![filetime(1_577_836_800).to_string().into_bytes()],
                    );
                }
            }
            DirFault::WrongPassword => {
                other_password.insert(norm_dn(&format!("CN=miminstall,{USERS}")));
            }
            DirFault::MissingGroup => {
                let n = norm_dn(&format!("CN=MIMSyncBrowse,{USERS}"));
                entries.retain(|e| e.norm != n);
            }
            DirFault::DistributionGroup => {
                if let Some(e) = find(entries, &format!("CN=MIMSyncOperators,{USERS}")) {
                    // Global distribution group: no security bit.
                    e.set("groupType", vec![b"2".to_vec()]);
                }
            }
            DirFault::DuplicateSpn => {
                if let Some(e) = find(entries, &format!("CN=SqlServer,{USERS}")) {
                    for spn in [
                        "FIMService/CORPIDM.contoso.local",
                        "FIMService/mim.contoso.com",
                    ] {
                        e.add("servicePrincipalName", spn.as_bytes().to_vec());
                    }
                }
            }
            DirFault::GmsaNotAllowed => {
                let admins_only = super::sddl::descriptor(
                    "O:S-1-5-21-287454020-1432778513-556942164-512D:(A;;0xf01ff;;;S-1-5-21-287454020-1432778513-556942164-512)",
                );
                for e in entries
                    .iter_mut()
                    .filter(|e| e.has_class("msDS-GroupManagedServiceAccount"))
                {
                    if let Ok(sd) = &admins_only {
                        e.set("msDS-GroupMSAMembership", vec![sd.clone()]);
                    }
                }
            }
            DirFault::NoKdsRootKey => entries.retain(|e| !e.has_class("msKds-ProvRootKey")),
            DirFault::PcnsSpnMissing | DirFault::PcnsSpnShortForm => {
                let short = PCNS_SPN.split('.').next().unwrap_or(PCNS_SPN);
                for e in entries.iter_mut() {
                    let had = e
                        .get("servicePrincipalName")
                        .into_iter()
                        .flatten()
                        .any(|v| v.eq_ignore_ascii_case(PCNS_SPN.as_bytes()));
                    if !had {
                        continue;
                    }
                    let mut kept: Vec<Vec<u8>> = e
                        .get("servicePrincipalName")
                        .into_iter()
                        .flatten()
                        .filter(|v| !v.eq_ignore_ascii_case(PCNS_SPN.as_bytes()))
                        .cloned()
                        .collect();
                    if f == DirFault::PcnsSpnShortForm {
                        kept.push(short.as_bytes().to_vec());
                    }
                    e.set("servicePrincipalName", kept);
                }
            }
            // The rootDSE's clock (`View::clock_offset`), not an object.
            DirFault::ClockSkew => {}
        }
    }
    other_password
}

/// After setup with PCNS: the PCNS target's SPN on the Sync service account `dn`.
pub fn pcns_target(entries: &mut [Entry], dn: &str) {
    if let Some(e) = find(entries, dn) {
        e.add("servicePrincipalName", PCNS_SPN.as_bytes().to_vec());
    }
}

/// The SPNs of `mim.contoso.com`, which the Azure AD Premium walkthrough's MIM Service holds.
const MIM_SPNS: [&str; 2] = ["FIMService/mim.contoso.com", "FIMService/mim"];

/// Moves the MIM Service's SPNs of `mim.contoso.com` from the regular account
/// `svcMIMService` to the gMSA `svcMIMService$`: the shipped profiles name one or the other,
/// and an SPN has one owner.
pub fn gmsa_service(entries: &mut [Entry]) {
    let regular = norm_dn(&format!("CN=svcMIMService,{USERS}"));
    let gmsa = norm_dn("CN=svcMIMService,CN=Managed Service Accounts,DC=contoso,DC=local");
    for e in entries.iter_mut() {
        if e.norm == regular {
            let kept: Vec<Vec<u8>> = e
                .get("servicePrincipalName")
                .into_iter()
                .flatten()
                .filter(|v| {
                    !MIM_SPNS
                        .iter()
                        .any(|s| s.as_bytes().eq_ignore_ascii_case(v))
                })
                .cloned()
                .collect();
            e.set("servicePrincipalName", kept);
        } else if e.norm == gmsa {
            for spn in MIM_SPNS {
                e.add("servicePrincipalName", spn.as_bytes().to_vec());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_again() {
        let names: BTreeSet<&str> = DirFault::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names.len(), DirFault::ALL.len());
        for f in DirFault::ALL {
            assert_eq!(DirFault::from_name(f.name()), Some(f));
            assert!(!f.description().is_empty() && f.check_id().starts_with("ad-"));
        }
        for f in DirFault::DOCTOR {
            assert_eq!(DirFault::from_name(f.name()), Some(f));
            assert!(
                f.description().starts_with("doctor:") && f.check_id().starts_with("doctor-pcns-")
            );
        }
        assert_eq!(DirFault::from_name("nope"), None);
    }
}
