//! The text forms the content is written in, turned into what Active Directory stores:
//! a SID's text (`S-1-5-21-...`, [MS-DTYP] 2.4.2.1) into its binary form, and the SDDL of a
//! gMSA's `msDS-GroupMSAMembership` ([MS-DTYP] 2.5.1: an owner and a DACL of allow/deny
//! ACEs with numeric rights and SIDs) into a self-relative security descriptor (2.4.6), the
//! binary that `check::ad::sd` reads.
use crate::check::ad::sd::Sid;

/// `S-1-5-21-1-2-3-1105` -> the SID.
pub fn sid(text: &str) -> Result<Sid, String> {
    let t = text.trim();
    let parts: Vec<&str> = t.split('-').collect();
    if parts.len() < 3 || !parts[0].eq_ignore_ascii_case("S") {
        return Err(format!("`{t}` is not a SID (S-1-<authority>-<sub>...)"));
    }
    let revision: u8 = parts[1]
        .parse()
        .map_err(|_| format!("`{t}`: the revision is not a number"))?;
    let authority: u64 = parts[2]
        .parse()
        .map_err(|_| format!("`{t}`: the authority is not a number"))?;
    if authority >= 1 << 48 {
        return Err(format!("`{t}`: the authority does not fit 48 bits"));
    }
    let sub = parts[3..]
        .iter()
        .map(|p| {
            p.parse::<u32>()
                .map_err(|_| format!("`{t}`: `{p}` is not a 32-bit sub-authority"))
        })
        .collect::<Result<Vec<u32>, String>>()?;
    if sub.len() > 15 {
        return Err(format!("`{t}`: more than 15 sub-authorities"));
    }
    Ok(Sid {
        revision,
        authority,
        sub,
    })
}

/// The SDDL SID aliases the content may use.
fn sddl_sid(text: &str) -> Result<Sid, String> {
    match text {
        "WD" => Ok(Sid::well_known(1, &[0])),
        "AU" => Ok(Sid::well_known(5, &[11])),
        "SY" => Ok(Sid::well_known(5, &[18])),
        "BA" => Ok(Sid::well_known(5, &[32, 544])),
        _ => sid(text),
    }
}

fn mask(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => t.parse(),
    };
    parsed.map_err(|_| format!("`{t}`: give the rights as a number (0xf01ff)"))
}

/// `O:<sid>D:(A;;<rights>;;;<sid>)(D;;...)...` -> a self-relative security descriptor with
/// that owner and DACL (SE_SELF_RELATIVE | SE_DACL_PRESENT).
pub fn descriptor(text: &str) -> Result<Vec<u8>, String> {
    let t = text.trim();
    let rest = t
        .strip_prefix("O:")
        .ok_or_else(|| format!("`{t}`: the SDDL must start with the owner (O:)"))?;
    let (owner, dacl) = rest
        .split_once("D:")
        .ok_or_else(|| format!("`{t}`: no DACL (D:)"))?;
    let owner = sddl_sid(owner)?.to_bytes();
    let mut aces = Vec::new();
    let mut count = 0u16;
    for ace in dacl.split(')').filter(|a| !a.trim().is_empty()) {
        let body = ace
            .trim()
            .strip_prefix('(')
            .ok_or_else(|| format!("`{ace}`: an ACE is written (type;flags;rights;;;sid)"))?;
        let fields: Vec<&str> = body.split(';').collect();
        if fields.len() != 6 || !fields[1].is_empty() || !fields[3].is_empty() {
            return Err(format!(
                "`({body})`: only (A|D;;rights;;;sid) ACEs are read"
            ));
        }
        let kind: u8 = match fields[0] {
            "A" => 0,
            "D" => 1,
            other => return Err(format!("`{other}`: the ACE type is A or D")),
        };
        let sid = sddl_sid(fields[5])?.to_bytes();
        let size = 8 + sid.len();
        aces.push(kind);
        aces.push(0);
        aces.extend_from_slice(&(size as u16).to_le_bytes());
        aces.extend_from_slice(&mask(fields[2])?.to_le_bytes());
        aces.extend_from_slice(&sid);
        count += 1;
    }
    let acl_size = 8 + aces.len();
    let mut sd = vec![1u8, 0];
    // SE_SELF_RELATIVE (0x8000) | SE_DACL_PRESENT (0x0004).
    sd.extend_from_slice(&0x8004u16.to_le_bytes());
    let owner_at = 20u32;
    let dacl_at = owner_at + owner.len() as u32;
    sd.extend_from_slice(&owner_at.to_le_bytes());
    sd.extend_from_slice(&0u32.to_le_bytes()); // no group
    sd.extend_from_slice(&0u32.to_le_bytes()); // no SACL
    sd.extend_from_slice(&dacl_at.to_le_bytes());
    sd.extend_from_slice(&owner);
    // ACL_REVISION 2, Sbz1, size, count, Sbz2.
    sd.extend_from_slice(&[2, 0]);
    sd.extend_from_slice(&(acl_size as u16).to_le_bytes());
    sd.extend_from_slice(&count.to_le_bytes());
    sd.extend_from_slice(&[0, 0]);
    sd.extend_from_slice(&aces);
    Ok(sd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::ad::sd::{Access, AceKind, SecurityDescriptor, READ_PROPERTY};

    #[test]
    fn sid_text_round_trips() {
        for t in ["S-1-5-21-287454020-1432778513-556942164-1117", "S-1-1-0"] {
            assert_eq!(sid(t).expect(t).to_string(), t);
        }
        for bad in ["", "S-1", "X-1-5", "S-1-5-abc", "S-1-5-4294967296"] {
            assert!(sid(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_descriptor_is_what_the_gmsa_check_reads() {
        let servers = sid("S-1-5-21-1-2-3-1117").expect("sid");
        let admins = sid("S-1-5-21-1-2-3-512").expect("sid");
        let b = descriptor("O:S-1-5-21-1-2-3-512D:(D;;0x10;;;S-1-5-21-1-2-3-1200)(A;;0xf01ff;;;S-1-5-21-1-2-3-1117)")
            .expect("valid SDDL");
        let sd = SecurityDescriptor::parse(&b).expect("parses");
        assert_eq!(sd.owner.as_ref(), Some(&admins));
        let dacl = sd.dacl.as_ref().expect("a DACL");
        assert_eq!(dacl.len(), 2);
        assert_eq!(dacl[0].kind, AceKind::Deny);
        assert_eq!(
            (dacl[1].sid.clone(), dacl[1].mask),
            (servers.clone(), 0xf01ff)
        );
        assert!(matches!(
            sd.access(&[servers], READ_PROPERTY),
            Access::Granted(_)
        ));
        assert!(!matches!(
            sd.access(&[admins], READ_PROPERTY),
            Access::Granted(_)
        ));
        for bad in [
            "D:(A;;1;;;WD)",
            "O:WD",
            "O:WDD:(X;;1;;;WD)",
            "O:WDD:(A;;rw;;;WD)",
        ] {
            assert!(descriptor(bad).is_err(), "{bad}");
        }
    }
}
