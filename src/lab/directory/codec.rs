//! The wire codec of a connection: `ldap3_proto`'s, with one thing Active Directory accepts
//! that its decoder does not: a filter whose assertion value is binary (an objectSid written
//! `\01\05\00...`, as the AD checks send it; RFC 4515 allows any octets). ldap3_proto keeps
//! assertion values as UTF-8 strings and refuses the whole request otherwise, which closes
//! the connection. So the request is parsed with `ldap3_lber` first, and each value of its
//! filter that is not UTF-8 is carried as private-use characters, one per byte
//! (U+F700 + byte); `filter.rs` turns them back into the bytes (`assertion_bytes`).
use bytes::{Buf, BytesMut};
use ldap3_lber::common::TagClass;
use ldap3_lber::parse::Parser;
use ldap3_lber::structure::{StructureTag, PL};
use ldap3_proto::proto::LdapMsg;
use ldap3_proto::LdapCodec;
use std::io;
use tokio_util::codec::{Decoder, Encoder};

/// The first private-use character of the byte mapping.
pub const BYTE_BASE: u32 = 0xF700;
/// The largest request taken (ldap3_proto's default).
const MAX_REQUEST: usize = ldap3_proto::DEFAULT_MAX_BER_SIZE;
const MAX_DEPTH: usize = 16;

#[derive(Default)]
pub struct DirCodec {
    inner: LdapCodec,
}

/// A SearchRequest is [APPLICATION 3]; its filter is its seventh element.
const SEARCH_REQUEST: u64 = 3;
const FILTER_AT: usize = 6;

fn carry(tag: &mut StructureTag) {
    match &mut tag.payload {
        PL::P(bytes) => {
            if std::str::from_utf8(bytes).is_err() {
                let text: String = bytes
                    .iter()
                    .filter_map(|b| char::from_u32(BYTE_BASE + u32::from(*b)))
                    .collect();
                *bytes = text.into_bytes();
            }
        }
        PL::C(children) => children.iter_mut().for_each(carry),
    }
}

/// The filter of a search request, its binary values carried as text.
fn binary_filters(msg: &mut StructureTag) {
    let PL::C(parts) = &mut msg.payload else {
        return;
    };
    for op in parts.iter_mut() {
        if op.class == TagClass::Application && op.id == SEARCH_REQUEST {
            if let PL::C(fields) = &mut op.payload {
                if let Some(filter) = fields.get_mut(FILTER_AT) {
                    carry(filter);
                }
            }
        }
    }
}

impl Decoder for DirCodec {
    type Item = LdapMsg;
    type Error = io::Error;

    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<LdapMsg>, io::Error> {
        if buf.len() > 2 * MAX_REQUEST {
            return Err(io::Error::new(
                io::ErrorKind::OutOfMemory,
                "request too large",
            ));
        }
        let (size, mut tag) = match Parser::new(MAX_DEPTH).parse(buf) {
            Ok((rest, tag)) => (buf.len() - rest.len(), tag),
            Err(e) if e.is_incomplete() => return Ok(None),
            Err(_) => return Err(io::Error::other("not a BER element")),
        };
        if size > MAX_REQUEST {
            return Err(io::Error::new(
                io::ErrorKind::OutOfMemory,
                "request too large",
            ));
        }
        buf.advance(size);
        binary_filters(&mut tag);
        LdapMsg::try_from(tag).map(Some).map_err(io::Error::other)
    }
}

impl Encoder<LdapMsg> for DirCodec {
    type Error = io::Error;

    fn encode(&mut self, msg: LdapMsg, buf: &mut BytesMut) -> io::Result<()> {
        self.inner.encode(msg, buf)
    }
}

/// An assertion value as the bytes it stands for: carried bytes back, text as UTF-8.
pub fn assertion_bytes(value: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    for c in value.chars() {
        let n = u32::from(c);
        if (BYTE_BASE..BYTE_BASE + 256).contains(&n) {
            out.push((n - BYTE_BASE) as u8);
        } else {
            let mut b = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_sid_filter_decodes_and_its_bytes_come_back() {
        use ldap3_proto::proto::{
            LdapDerefAliases, LdapFilter, LdapOp, LdapSearchRequest, LdapSearchScope,
        };
        // A search for (objectSid=<bytes with 0x80 and above>), as ldap3 (the checks' client)
        // encodes it: the value is raw octets.
        let sid = [
            1u8, 4, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 0x9c, 0xf3, 0x80, 0xff,
        ];
        let text = String::from_utf8_lossy(&sid).into_owned();
        let msg = LdapMsg {
            msgid: 7,
            op: LdapOp::SearchRequest(LdapSearchRequest {
                base: "DC=contoso,DC=local".into(),
                scope: LdapSearchScope::Subtree,
                aliases: LdapDerefAliases::Never,
                sizelimit: 0,
                timelimit: 0,
                typesonly: false,
                filter: LdapFilter::Equality("objectSid".into(), text),
                attrs: vec!["sAMAccountName".into()],
            }),
            ctrl: vec![],
        };
        let mut tag: StructureTag = msg.into();
        // Put the raw bytes back where the lossy text went, as a real client sends them.
        fn raw(tag: &mut StructureTag, sid: &[u8]) {
            match &mut tag.payload {
                PL::P(b) if b.starts_with(&[1, 4, 0]) => *b = sid.to_vec(),
                PL::C(c) => c.iter_mut().for_each(|t| raw(t, sid)),
                _ => {}
            }
        }
        raw(&mut tag, &sid);
        let mut buf = BytesMut::new();
        ldap3_lber::write::encode_into(&mut buf, tag).expect("encode");
        let got = DirCodec::default()
            .decode(&mut buf)
            .expect("decoded")
            .expect("a message");
        let LdapOp::SearchRequest(s) = got.op else {
            panic!("not a search: {got:?}");
        };
        let LdapFilter::Equality(a, v) = s.filter else {
            panic!("not an equality filter");
        };
        assert_eq!(a, "objectSid");
        assert_eq!(assertion_bytes(&v), sid);
        assert!(buf.is_empty(), "the whole request was consumed");
        // Text values are untouched.
        assert_eq!(assertion_bytes("MIMSync"), b"MIMSync");
    }
}
