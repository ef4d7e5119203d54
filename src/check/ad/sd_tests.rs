//! The security descriptor parser against descriptors built by hand.
use super::*;

fn dom(rid: u32) -> Sid {
    Sid::well_known(5, &[21, 1_004_336_348, 2_957_537_239, 2_965_626_745, rid])
}

fn ace(kind: u8, flags: u8, mask: u32, sid: &Sid) -> Vec<u8> {
    let s = sid.to_bytes();
    let mut v = vec![kind, flags];
    v.extend_from_slice(&((8 + s.len()) as u16).to_le_bytes());
    v.extend_from_slice(&mask.to_le_bytes());
    v.extend_from_slice(&s);
    v
}

/// A self-relative descriptor built by hand: header, owner, then the DACL.
fn descriptor(owner: &Sid, aces: &[Vec<u8>]) -> Vec<u8> {
    let o = owner.to_bytes();
    let body: Vec<u8> = aces.concat();
    let mut v = vec![1, 0];
    v.extend_from_slice(&(SE_SELF_RELATIVE | SE_DACL_PRESENT).to_le_bytes());
    v.extend_from_slice(&20u32.to_le_bytes()); // owner
    v.extend_from_slice(&0u32.to_le_bytes()); // group
    v.extend_from_slice(&0u32.to_le_bytes()); // sacl
    v.extend_from_slice(&((20 + o.len()) as u32).to_le_bytes()); // dacl
    v.extend_from_slice(&o);
    v.extend_from_slice(&[2, 0]);
    v.extend_from_slice(&((8 + body.len()) as u16).to_le_bytes());
    v.extend_from_slice(&(aces.len() as u16).to_le_bytes());
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&body);
    v
}

#[test]
fn sids_round_trip_and_print() {
    let s = dom(1105);
    assert_eq!(
        s.to_string(),
        "S-1-5-21-1004336348-2957537239-2965626745-1105"
    );
    assert_eq!(Sid::from_bytes(&s.to_bytes()), Ok(s));
    assert!(Sid::from_bytes(&[1, 2, 0, 0, 0, 0, 0, 5, 1, 0]).is_err());
    assert!(Sid::parse(&[]).is_err());
}

#[test]
fn what_samba_stored_for_the_lab_gmsa_grants_the_servers_group() {
    // msDS-GroupMSAMembership of the lab's MIMSyncGMSA$ as read over LDAP:
    // O:S-1-5-32-544 D:(A;;0xf01ff;;;S-1-5-21-2927005244-2961600727-2965591929-1121).
    let b = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        "AQAEgBQAAAAAAAAAAAAAACQAAAABAgAAAAAABSAAAAAgAgAABAAsAAEAAAAAACQA/wEPAAEFAAAAAAAFFQAAADyOdq7XcIaweVfDsGEEAAA=",
    )
    .expect("base64");
    let sd = SecurityDescriptor::parse(&b).expect("parses");
    assert_eq!(
        sd.owner.as_ref().map(Sid::to_string).as_deref(),
        Some("S-1-5-32-544")
    );
    let dacl = sd.dacl.as_ref().expect("a DACL");
    assert_eq!(dacl.len(), 1);
    assert_eq!(dacl[0].mask, 0x000F_01FF);
    let group = dacl[0].sid.clone();
    assert_eq!(
        group.to_string(),
        "S-1-5-21-2927005244-2961600727-2965591929-1121"
    );
    assert!(matches!(
        sd.access(&[group], READ_PROPERTY),
        Access::Granted(_)
    ));
    assert_eq!(sd.access(&[dom(1121)], READ_PROPERTY), Access::NotGranted);
}

#[test]
fn access_follows_ace_order_flags_and_generic_rights() {
    let (computer, group, other) = (dom(1104), dom(1121), dom(1122));
    let sd = |aces: &[Vec<u8>]| {
        SecurityDescriptor::parse(&descriptor(&Sid::well_known(5, &[32, 544]), aces))
            .expect("parses")
    };
    let token = [computer.clone(), group.clone()];
    // Granted through the group.
    let granted = sd(&[
        ace(0, 0, 0x000F_01FF, &other),
        ace(0, 0, 0x000F_01FF, &group),
    ]);
    match granted.access(&token, READ_PROPERTY) {
        Access::Granted(by) => assert_eq!(by[0].sid, group),
        a => panic!("expected a grant, got {a:?}"),
    }
    // Nothing for our SIDs.
    let none = sd(&[ace(0, 0, 0x000F_01FF, &other)]);
    assert_eq!(none.access(&token, READ_PROPERTY), Access::NotGranted);
    // A deny before the grant wins; after it, the grant stands.
    let denied = sd(&[
        ace(1, 0, READ_PROPERTY, &computer),
        ace(0, 0, 0x000F_01FF, &group),
    ]);
    assert!(matches!(
        denied.access(&token, READ_PROPERTY),
        Access::Denied(_)
    ));
    let late = sd(&[
        ace(0, 0, 0x000F_01FF, &group),
        ace(1, 0, READ_PROPERTY, &computer),
    ]);
    assert!(matches!(
        late.access(&token, READ_PROPERTY),
        Access::Granted(_)
    ));
    // Inherit-only ACEs do not apply to the object itself.
    let inherit_only = sd(&[ace(0, INHERIT_ONLY_ACE, 0x000F_01FF, &group)]);
    assert_eq!(
        inherit_only.access(&token, READ_PROPERTY),
        Access::NotGranted
    );
    // GENERIC_READ includes reading properties; a mask without it does not.
    let generic = sd(&[ace(0, 0, GENERIC_READ, &group)]);
    assert!(matches!(
        generic.access(&token, READ_PROPERTY),
        Access::Granted(_)
    ));
    let write_only = sd(&[ace(0, 0, 0x20, &group)]);
    assert_eq!(write_only.access(&token, READ_PROPERTY), Access::NotGranted);
    // An empty DACL grants nothing; no DACL grants everything.
    assert_eq!(sd(&[]).access(&token, READ_PROPERTY), Access::NotGranted);
    let mut no_dacl = descriptor(&computer, &[]);
    no_dacl[2] &= !(SE_DACL_PRESENT as u8);
    let no_dacl = SecurityDescriptor::parse(&no_dacl).expect("parses");
    assert!(matches!(
        no_dacl.access(&token, READ_PROPERTY),
        Access::Granted(_)
    ));
}

#[test]
fn object_aces_and_damaged_descriptors() {
    let group = dom(1121);
    // ACCESS_ALLOWED_OBJECT_ACE without ObjectType applies to the whole object.
    let s = group.to_bytes();
    let mut obj = vec![5, 0];
    obj.extend_from_slice(&((12 + s.len()) as u16).to_le_bytes());
    obj.extend_from_slice(&0x000F_01FFu32.to_le_bytes());
    obj.extend_from_slice(&0u32.to_le_bytes());
    obj.extend_from_slice(&s);
    let bytes = descriptor(&group, &[obj]);
    let sd = SecurityDescriptor::parse(&bytes).expect("parses");
    assert!(matches!(
        sd.access(std::slice::from_ref(&group), READ_PROPERTY),
        Access::Granted(_)
    ));
    // Every truncation is an error, never a panic.
    for n in 0..bytes.len() {
        assert!(SecurityDescriptor::parse(&bytes[..n]).is_err(), "{n} bytes");
    }
    let mut bad = bytes.clone();
    bad[2] &= !(SE_SELF_RELATIVE as u8);
    bad[3] &= !((SE_SELF_RELATIVE >> 8) as u8);
    assert!(SecurityDescriptor::parse(&bad).is_err());
    let mut huge = bytes;
    let dacl_at = 20 + group.to_bytes().len();
    huge[dacl_at + 4] = 200; // ACE count beyond the ACL
    assert!(SecurityDescriptor::parse(&huge).is_err());
}
