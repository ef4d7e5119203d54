//! Windows security identifiers and self-relative security descriptors ([MS-DTYP] 2.4.2,
//! 2.4.6), enough to read a gMSA's `msDS-GroupMSAMembership`: who may read its password.
use std::fmt;

/// A security identifier, e.g. `S-1-5-21-1-2-3-1105`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sid {
    pub revision: u8,
    pub authority: u64,
    pub sub: Vec<u32>,
}

impl Sid {
    /// Parses a binary SID at the start of `b`; returns it and its length in bytes.
    pub fn parse(b: &[u8]) -> Result<(Sid, usize), String> {
        if b.len() < 8 {
            return Err(format!("a SID needs at least 8 bytes, {} left", b.len()));
        }
        let revision = b[0];
        if revision != 1 {
            return Err(format!("SID revision {revision}, expected 1"));
        }
        let count = usize::from(b[1]);
        if count > 15 {
            return Err(format!("SID with {count} sub-authorities (at most 15)"));
        }
        let len = 8 + 4 * count;
        if b.len() < len {
            return Err(format!("SID of {len} bytes cut short at {}", b.len()));
        }
        let authority = b[2..8]
            .iter()
            .fold(0u64, |acc, &x| (acc << 8) | u64::from(x));
        let sub = (0..count)
            .map(|i| u32_le(b, 8 + 4 * i))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((
            Sid {
                revision,
                authority,
                sub,
            },
            len,
        ))
    }

    /// A whole attribute value that is one SID (objectSid, tokenGroups).
    pub fn from_bytes(b: &[u8]) -> Result<Sid, String> {
        let (sid, len) = Sid::parse(b)?;
        if len != b.len() {
            return Err(format!("{} bytes after the SID", b.len() - len));
        }
        Ok(sid)
    }

    /// `S-1-1-0` and the like.
    pub fn well_known(authority: u64, sub: &[u32]) -> Sid {
        Sid {
            revision: 1,
            authority,
            sub: sub.to_vec(),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = vec![self.revision, self.sub.len() as u8];
        v.extend_from_slice(&self.authority.to_be_bytes()[2..]);
        for s in &self.sub {
            v.extend_from_slice(&s.to_le_bytes());
        }
        v
    }
}

impl fmt::Display for Sid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S-{}-{}", self.revision, self.authority)?;
        for s in &self.sub {
            write!(f, "-{s}")?;
        }
        Ok(())
    }
}

fn u16_le(b: &[u8], at: usize) -> Result<u16, String> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| format!("cut short at byte {at} (of {})", b.len()))
}

fn u32_le(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| format!("cut short at byte {at} (of {})", b.len()))
}

/// What an ACE does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AceKind {
    Allow,
    Deny,
    /// Audit, callback and other types: they grant nothing here.
    Other(u8),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ace {
    pub kind: AceKind,
    pub flags: u8,
    pub mask: u32,
    pub sid: Sid,
    /// An object ACE limited to one property or property set (ObjectType present).
    pub object_specific: bool,
}

const INHERIT_ONLY_ACE: u8 = 0x08;
const SE_DACL_PRESENT: u16 = 0x0004;
const SE_SELF_RELATIVE: u16 = 0x8000;

/// A self-relative security descriptor: owner and DACL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityDescriptor {
    pub control: u16,
    pub owner: Option<Sid>,
    /// None: no DACL (everyone has every right); Some(empty): nobody has any.
    pub dacl: Option<Vec<Ace>>,
}

impl SecurityDescriptor {
    pub fn parse(b: &[u8]) -> Result<SecurityDescriptor, String> {
        if b.len() < 20 {
            return Err(format!(
                "a security descriptor needs at least 20 bytes, got {}",
                b.len()
            ));
        }
        if b[0] != 1 {
            return Err(format!("security descriptor revision {}, expected 1", b[0]));
        }
        let control = u16_le(b, 2)?;
        if control & SE_SELF_RELATIVE == 0 {
            return Err("not a self-relative security descriptor".into());
        }
        let owner_at = u32_le(b, 4)? as usize;
        let dacl_at = u32_le(b, 16)? as usize;
        let owner = if owner_at == 0 {
            None
        } else {
            Some(
                Sid::parse(b.get(owner_at..).ok_or("owner offset beyond the end")?)
                    .map_err(|e| format!("owner: {e}"))?
                    .0,
            )
        };
        let dacl = if control & SE_DACL_PRESENT == 0 || dacl_at == 0 {
            None
        } else {
            Some(parse_acl(b, dacl_at).map_err(|e| format!("DACL: {e}"))?)
        };
        Ok(SecurityDescriptor {
            control,
            owner,
            dacl,
        })
    }

    /// Whether a token holding `sids` gets every bit of `right`, evaluated as Windows does:
    /// ACEs in order, a deny before the grant wins, inherit-only ACEs do not apply. Generic
    /// rights are mapped to directory-object rights. Object ACEs limited to one property or
    /// property set are left out (they do not grant access to the descriptor as a whole).
    pub fn access(&self, sids: &[Sid], right: u32) -> Access {
        let Some(dacl) = &self.dacl else {
            return Access::Granted(Vec::new());
        };
        let mut granted = 0u32;
        let mut denied = 0u32;
        let mut by = Vec::new();
        for ace in dacl {
            if ace.flags & INHERIT_ONLY_ACE != 0 || ace.object_specific {
                continue;
            }
            if !sids.contains(&ace.sid) {
                continue;
            }
            let mask = map_generic(ace.mask) & right;
            match ace.kind {
                AceKind::Allow => {
                    let new = mask & !denied & !granted;
                    if new != 0 {
                        granted |= new;
                        by.push(ace.clone());
                    }
                }
                AceKind::Deny => {
                    let new = mask & !granted;
                    if new != 0 {
                        denied |= new;
                        if denied & right == right || granted | denied == right {
                            return Access::Denied(ace.clone());
                        }
                    }
                }
                AceKind::Other(_) => {}
            }
            if granted & right == right {
                return Access::Granted(by);
            }
        }
        Access::NotGranted
    }
}

/// The outcome of an access check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// By these allow ACEs (none: the descriptor has no DACL).
    Granted(Vec<Ace>),
    /// A deny ACE for one of the SIDs.
    Denied(Ace),
    /// No ACE grants it.
    NotGranted,
}

/// Reading a property of a directory object (ADS_RIGHT_DS_READ_PROP).
pub const READ_PROPERTY: u32 = 0x0000_0010;
const GENERIC_READ: u32 = 0x8000_0000;
const GENERIC_ALL: u32 = 0x1000_0000;
/// The directory service's mapping of GENERIC_READ and GENERIC_ALL ([MS-ADTS] 5.1.3.3).
const DS_GENERIC_READ: u32 = 0x0002_0094;
const DS_GENERIC_ALL: u32 = 0x000F_01FF;

fn map_generic(mask: u32) -> u32 {
    let mut m = mask & !(GENERIC_READ | GENERIC_ALL);
    if mask & GENERIC_READ != 0 {
        m |= DS_GENERIC_READ;
    }
    if mask & GENERIC_ALL != 0 {
        m |= DS_GENERIC_ALL;
    }
    m
}

fn parse_acl(b: &[u8], at: usize) -> Result<Vec<Ace>, String> {
    let revision = *b.get(at).ok_or("offset beyond the end")?;
    if revision != 2 && revision != 4 {
        return Err(format!("ACL revision {revision}, expected 2 or 4"));
    }
    let size = usize::from(u16_le(b, at + 2)?);
    let count = usize::from(u16_le(b, at + 4)?);
    let acl = b
        .get(at..at + size)
        .ok_or_else(|| format!("ACL of {size} bytes runs past the end ({} bytes)", b.len()))?;
    let mut aces = Vec::with_capacity(count.min(64));
    let mut pos = 8;
    for i in 0..count {
        let kind = *acl.get(pos).ok_or_else(|| format!("ACE {i} missing"))?;
        let flags = *acl
            .get(pos + 1)
            .ok_or_else(|| format!("ACE {i} cut short"))?;
        let len = usize::from(u16_le(acl, pos + 2)?);
        if len < 8 {
            return Err(format!("ACE {i} claims {len} bytes"));
        }
        let ace = acl
            .get(pos..pos + len)
            .ok_or_else(|| format!("ACE {i} of {len} bytes runs past the ACL"))?;
        let mask = u32_le(ace, 4)?;
        let (kind, sid_at, object_specific) = match kind {
            0x00 => (AceKind::Allow, 8, false),
            0x01 => (AceKind::Deny, 8, false),
            0x05 | 0x06 => {
                let oflags = u32_le(ace, 8)?;
                let mut at = 12;
                if oflags & 1 != 0 {
                    at += 16;
                }
                if oflags & 2 != 0 {
                    at += 16;
                }
                let k = if kind == 0x05 {
                    AceKind::Allow
                } else {
                    AceKind::Deny
                };
                (k, at, oflags & 1 != 0)
            }
            other => (AceKind::Other(other), 8, false),
        };
        let sid = Sid::parse(
            ace.get(sid_at..)
                .ok_or_else(|| format!("ACE {i}: no room for its SID"))?,
        )
        .map_err(|e| format!("ACE {i}: {e}"))?
        .0;
        aces.push(Ace {
            kind,
            flags,
            mask,
            sid,
            object_specific,
        });
        pos += len;
    }
    Ok(aces)
}

#[cfg(test)]
#[path = "sd_tests.rs"]
mod tests;
