//! TDS 7.x encoding for the test server: token streams (little-endian), LOGIN7 and RPC
//! parsing, and the PRELOGIN answer (big-endian offsets).

/// Packet types.
pub const SQL_BATCH: u8 = 0x01;
pub const RESPONSE: u8 = 0x04;
pub const RPC: u8 = 0x03;
pub const ATTENTION: u8 = 0x06;
pub const LOGIN7: u8 = 0x10;
pub const PRELOGIN: u8 = 0x12;

/// PRELOGIN encryption values.
pub const ENCRYPT_OFF: u8 = 0;
pub const ENCRYPT_ON: u8 = 1;
pub const ENCRYPT_NOT_SUP: u8 = 2;
pub const ENCRYPT_REQ: u8 = 3;

pub fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

pub fn from_utf16(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// B_VARCHAR: length in characters (u8), UTF-16LE.
pub fn b_varchar(out: &mut Vec<u8>, s: &str) {
    let units = s.encode_utf16().count().min(255);
    out.push(units as u8);
    out.extend(s.encode_utf16().take(units).flat_map(u16::to_le_bytes));
}

/// US_VARCHAR: length in characters (u16), UTF-16LE.
pub fn us_varchar(out: &mut Vec<u8>, s: &str) {
    let b = utf16(s);
    out.extend(((b.len() / 2) as u16).to_le_bytes());
    out.extend(b);
}

/// What the client's PRELOGIN asked for.
#[derive(Debug, Default, Clone)]
pub struct Prelogin {
    pub encryption: Option<u8>,
    pub instance: Option<String>,
}

pub fn parse_prelogin(p: &[u8]) -> Result<Prelogin, String> {
    let mut out = Prelogin::default();
    let mut i = 0;
    while i < p.len() && p[i] != 0xFF {
        if i + 5 > p.len() {
            return Err("PRELOGIN option table cut short".into());
        }
        let (tok, off, len) = (
            p[i],
            u16::from_be_bytes([p[i + 1], p[i + 2]]) as usize,
            u16::from_be_bytes([p[i + 3], p[i + 4]]) as usize,
        );
        let v = p
            .get(off..off + len)
            .ok_or_else(|| format!("PRELOGIN option {tok} points outside the packet"))?;
        match tok {
            1 if len >= 1 => out.encryption = Some(v[0]),
            2 => {
                out.instance = Some(
                    String::from_utf8_lossy(v)
                        .trim_end_matches('\0')
                        .to_string(),
                )
            }
            _ => {}
        }
        i += 5;
    }
    Ok(out)
}

/// The server's PRELOGIN answer: VERSION, ENCRYPTION, INSTOPT, THREADID (empty), MARS.
pub fn prelogin_answer(version: (u8, u8, u16), encryption: u8) -> Vec<u8> {
    let opts: [(u8, Vec<u8>); 5] = [
        (0, {
            let mut v = vec![version.0, version.1];
            v.extend(version.2.to_be_bytes());
            v.extend([0, 0]);
            v
        }),
        (1, vec![encryption]),
        (2, vec![0]),
        (3, vec![]),
        (4, vec![0]),
    ];
    let mut head = Vec::new();
    let mut body: Vec<u8> = Vec::new();
    let table = opts.len() * 5 + 1;
    for (tok, v) in &opts {
        head.push(*tok);
        head.extend(((table + body.len()) as u16).to_be_bytes());
        head.extend((v.len() as u16).to_be_bytes());
        body.extend(v);
    }
    head.push(0xFF);
    head.extend(body);
    head
}

/// What LOGIN7 carried.
#[derive(Debug, Clone)]
pub struct Login {
    pub tds_version: u32,
    pub user: String,
    pub password: String,
    pub database: String,
    pub server_name: String,
    pub app: String,
    pub integrated: bool,
}

pub fn parse_login7(p: &[u8]) -> Result<Login, String> {
    if p.len() < 86 {
        return Err(format!("LOGIN7 of {} bytes is too short", p.len()));
    }
    let u16at = |o: usize| u16::from_le_bytes([p[o], p[o + 1]]) as usize;
    let field = |o: usize| -> Result<&[u8], String> {
        let (off, len) = (u16at(o), u16at(o + 2) * 2);
        p.get(off..off + len)
            .ok_or_else(|| format!("LOGIN7 field at {o} points outside the packet"))
    };
    let tds_version = u32::from_le_bytes([p[4], p[5], p[6], p[7]]);
    let password = field(44)?
        .iter()
        .map(|b| {
            let x = b ^ 0xA5;
            x.rotate_left(4)
        })
        .collect::<Vec<u8>>();
    Ok(Login {
        tds_version,
        user: from_utf16(field(40)?),
        password: from_utf16(&password),
        app: from_utf16(field(48)?),
        server_name: from_utf16(field(52)?),
        database: from_utf16(field(68)?),
        integrated: p[25] & 0x80 != 0 || u16at(80) > 0,
    })
}

/// Whether the negotiated version is 7.2 or later (8-byte DONE counts, 4-byte UserType,
/// ALL_HEADERS).
pub fn is72(tds_version: u32) -> bool {
    // 7.0 = 0x70000000, 7.1 = 0x71000001 (or 0x07010000 from old clients), 7.2 = 0x72090002 ...
    let major = tds_version >> 24;
    major >= 0x72
}

/// Whether the version is 7.1 or later (collations in type info).
pub fn is71(tds_version: u32) -> bool {
    tds_version >> 24 >= 0x71 || tds_version == 0x0701_0000
}

pub fn done(out: &mut Vec<u8>, status: u16, curcmd: u16, count: u64, v72: bool) {
    out.push(0xFD);
    out.extend(status.to_le_bytes());
    out.extend(curcmd.to_le_bytes());
    if v72 {
        out.extend(count.to_le_bytes());
    } else {
        out.extend((count as u32).to_le_bytes());
    }
}

pub const DONE_MORE: u16 = 0x1;
pub const DONE_ERROR: u16 = 0x2;
pub const DONE_COUNT: u16 = 0x10;

fn with_len(out: &mut Vec<u8>, token: u8, body: Vec<u8>) {
    out.push(token);
    out.extend((body.len() as u16).to_le_bytes());
    out.extend(body);
}

pub fn error(out: &mut Vec<u8>, number: i32, class: u8, msg: &str, server: &str, v72: bool) {
    message(out, 0xAA, number, class, msg, server, v72)
}

pub fn info(out: &mut Vec<u8>, number: i32, msg: &str, server: &str, v72: bool) {
    message(out, 0xAB, number, 0, msg, server, v72)
}

fn message(out: &mut Vec<u8>, tok: u8, number: i32, class: u8, msg: &str, server: &str, v72: bool) {
    let mut b = Vec::new();
    b.extend(number.to_le_bytes());
    b.push(1);
    b.push(class);
    us_varchar(&mut b, msg);
    b_varchar(&mut b, server);
    b_varchar(&mut b, "");
    if v72 {
        b.extend(1i32.to_le_bytes());
    } else {
        b.extend(1u16.to_le_bytes());
    }
    with_len(out, tok, b);
}

pub fn env_text(out: &mut Vec<u8>, ty: u8, new: &str, old: &str) {
    let mut b = vec![ty];
    b_varchar(&mut b, new);
    b_varchar(&mut b, old);
    with_len(out, 0xE3, b);
}

pub fn env_collation(out: &mut Vec<u8>, collation: [u8; 5]) {
    let mut b = vec![7, 5];
    b.extend(collation);
    b.push(0);
    with_len(out, 0xE3, b);
}

pub fn loginack(out: &mut Vec<u8>, tds_version: u32, version: (u8, u8, u16)) {
    let mut b = vec![1];
    b.extend(tds_version.to_be_bytes());
    b_varchar(&mut b, "Microsoft SQL Server");
    b.extend([version.0, version.1]);
    b.extend(version.2.to_be_bytes());
    with_len(out, 0xAD, b);
}

/// A result value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Int(Option<i32>),
    Str(Option<String>),
}

/// COLMETADATA, ROWs and DONE for one result set.
pub fn result_set(
    out: &mut Vec<u8>,
    cols: &[String],
    rows: &[Vec<Val>],
    collation: Option<[u8; 5]>,
    v72: bool,
    more: bool,
) {
    out.push(0x81);
    out.extend((cols.len() as u16).to_le_bytes());
    let first = rows.first();
    for (i, name) in cols.iter().enumerate() {
        if v72 {
            out.extend(0u32.to_le_bytes());
        } else {
            out.extend(0u16.to_le_bytes());
        }
        out.extend(0x0001u16.to_le_bytes()); // nullable
        match first.and_then(|r| r.get(i)) {
            Some(Val::Int(_)) => out.extend([0x26, 4]),
            _ => {
                out.push(0xE7);
                out.extend(8000u16.to_le_bytes());
                if let Some(c) = collation {
                    out.extend(c); // from TDS 7.1
                }
            }
        }
        b_varchar(out, name);
    }
    for row in rows {
        out.push(0xD1);
        for v in row {
            match v {
                Val::Int(None) => out.push(0),
                Val::Int(Some(n)) => {
                    out.push(4);
                    out.extend(n.to_le_bytes());
                }
                Val::Str(None) => out.extend(0xFFFFu16.to_le_bytes()),
                Val::Str(Some(s)) => {
                    let b = utf16(s);
                    out.extend((b.len() as u16).to_le_bytes());
                    out.extend(b);
                }
            }
        }
    }
    let status = DONE_COUNT | if more { DONE_MORE } else { 0 };
    done(out, status, 0xC1, rows.len() as u64, v72);
}

/// Skips ALL_HEADERS (7.2 and later) at the start of a batch or RPC.
fn skip_all_headers(p: &[u8], v72: bool) -> Result<&[u8], String> {
    if !v72 {
        return Ok(p);
    }
    let total = p
        .get(..4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .ok_or("ALL_HEADERS cut short")?;
    p.get(total..)
        .ok_or_else(|| "ALL_HEADERS longer than the packet".to_string())
}

pub fn parse_batch(p: &[u8], v72: bool) -> Result<String, String> {
    Ok(from_utf16(skip_all_headers(p, v72)?))
}

/// An RPC: the procedure (by id or name) and its parameters (name, value).
#[derive(Debug, Clone)]
pub struct Rpc {
    pub proc_id: Option<u16>,
    pub proc_name: Option<String>,
    pub params: Vec<(String, Val)>,
}

struct Cur<'a> {
    p: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let s = self
            .p
            .get(self.i..self.i + n)
            .ok_or_else(|| format!("RPC cut short at byte {}", self.i))?;
        self.i += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

pub fn parse_rpc(p: &[u8], v72: bool) -> Result<Rpc, String> {
    let mut c = Cur {
        p: skip_all_headers(p, v72)?,
        i: 0,
    };
    let n = c.u16()?;
    let (proc_id, proc_name) = if n == 0xFFFF {
        (Some(c.u16()?), None)
    } else {
        (None, Some(from_utf16(c.take(n as usize * 2)?)))
    };
    c.u16()?; // option flags
    let mut params = Vec::new();
    while c.i < c.p.len() {
        let nl = c.u8()? as usize;
        let name = from_utf16(c.take(nl * 2)?);
        c.u8()?; // status flags
        let ty = c.u8()?;
        let val = match ty {
            0xE7 | 0xEF => {
                let max = c.u16()?;
                c.take(5)?;
                if max == 0xFFFF {
                    let total = u64::from_le_bytes(c.take(8)?.try_into().map_err(|_| "PLP")?);
                    if total == u64::MAX {
                        Val::Str(None)
                    } else {
                        let mut data = Vec::new();
                        loop {
                            let len = c.u32()? as usize;
                            if len == 0 {
                                break;
                            }
                            data.extend_from_slice(c.take(len)?);
                        }
                        Val::Str(Some(from_utf16(&data)))
                    }
                } else {
                    let len = c.u16()?;
                    if len == 0xFFFF {
                        Val::Str(None)
                    } else {
                        Val::Str(Some(from_utf16(c.take(len as usize)?)))
                    }
                }
            }
            0x26 => {
                c.u8()?;
                match c.u8()? {
                    0 => Val::Int(None),
                    1 => Val::Int(Some(c.u8()? as i32)),
                    2 => Val::Int(Some(c.u16()? as i16 as i32)),
                    4 => Val::Int(Some(c.u32()? as i32)),
                    8 => {
                        let b = c.take(8)?;
                        Val::Int(Some(
                            i64::from_le_bytes(b.try_into().map_err(|_| "int")?) as i32
                        ))
                    }
                    l => return Err(format!("integer parameter of length {l}")),
                }
            }
            t => {
                return Err(format!(
                    "parameter {name}: type 0x{t:02X} is not supported by this test server"
                ))
            }
        };
        params.push((name, val));
    }
    Ok(Rpc {
        proc_id,
        proc_name,
        params,
    })
}
