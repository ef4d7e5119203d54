//! One LDAP connection (RFC 4511, wire format by `ldap3_proto`): simple bind with Active
//! Directory's answers (`data 52e`, `533`, `701`, `775`, `532`, `773` in the diagnostic
//! text), StartTLS (RFC 4511 4.14: the extended request answered, then the same TCP stream
//! upgraded with tokio-rustls), searches (search.rs), WhoAmI, and a read-only refusal of
//! every change.
use super::codec::DirCodec;
use super::search;
use super::Shared;
use futures_util::{SinkExt, StreamExt};
use ldap3_proto::proto::{
    LdapBindCred, LdapBindRequest, LdapBindResponse, LdapExtendedRequest, LdapExtendedResponse,
    LdapMsg, LdapOp, LdapResult, LdapResultCode,
};
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

const OID_STARTTLS: &str = "1.3.6.1.4.1.1466.20037";

/// What the connection knows between operations.
#[derive(Debug, Default)]
pub struct Session {
    /// The bound account (normalised DN); None: anonymous.
    pub bound: Option<String>,
    pub tls: bool,
}

enum Next {
    Close,
    StartTls,
}

pub fn result(code: LdapResultCode, message: impl Into<String>) -> LdapResult {
    LdapResult {
        code,
        matcheddn: String::new(),
        message: message.into(),
        referral: Vec::new(),
    }
}

/// A connection to the LDAP port: plain until StartTLS; to the LDAPS port: TLS from the start.
pub async fn serve(tcp: TcpStream, shared: Arc<Shared>, ldaps: bool) {
    let mut session = Session::default();
    if ldaps {
        let Ok(tls) = shared.tls.accept(tcp).await else {
            return;
        };
        session.tls = true;
        let mut framed = Framed::new(tls, DirCodec::default());
        let _ = run(&mut framed, &shared, &mut session).await;
        return;
    }
    let mut framed = Framed::new(tcp, DirCodec::default());
    if let Next::StartTls = run(&mut framed, &shared, &mut session).await {
        let parts = framed.into_parts();
        // RFC 4511 4.14.1: the client sends nothing more before the TLS handshake.
        if !parts.read_buf.is_empty() {
            return;
        }
        let Ok(tls) = shared.tls.accept(parts.io).await else {
            return;
        };
        session.tls = true;
        let mut framed = Framed::new(tls, DirCodec::default());
        let _ = run(&mut framed, &shared, &mut session).await;
    }
}

async fn run<S>(framed: &mut Framed<S, DirCodec>, shared: &Shared, s: &mut Session) -> Next
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    while let Some(Ok(msg)) = framed.next().await {
        let id = msg.msgid;
        let replies: Vec<LdapMsg> = match msg.op {
            LdapOp::UnbindRequest => return Next::Close,
            LdapOp::BindRequest(req) => {
                let res = bind(shared, s, &req);
                vec![LdapMsg::new(
                    id,
                    LdapOp::BindResponse(LdapBindResponse {
                        res,
                        saslcreds: None,
                    }),
                )]
            }
            LdapOp::SearchRequest(req) => {
                let view = shared.view();
                search::search(&view, s, id, &req, &msg.ctrl)
            }
            LdapOp::ExtendedRequest(req) => {
                let (reply, upgrade) = extended(shared, s, &req);
                let out = LdapMsg::new(id, LdapOp::ExtendedResponse(reply));
                if upgrade {
                    if framed.send(out).await.is_err() {
                        return Next::Close;
                    }
                    return Next::StartTls;
                }
                vec![out]
            }
            LdapOp::AbandonRequest(_) => Vec::new(),
            other => match refusal(other) {
                Some(op) => vec![LdapMsg::new(id, op)],
                None => return Next::Close,
            },
        };
        for r in replies {
            if framed.feed(r).await.is_err() {
                return Next::Close;
            }
        }
        if framed.flush().await.is_err() {
            return Next::Close;
        }
    }
    Next::Close
}

/// The AD diagnostic text of a refused simple bind.
fn refused(data: &str) -> LdapResult {
    result(
        LdapResultCode::InvalidCredentials,
        format!("80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data {data}, v4563"),
    )
}

fn bind(shared: &Shared, s: &mut Session, req: &LdapBindRequest) -> LdapResult {
    s.bound = None;
    if req.version != 3 && req.version != 2 {
        return result(LdapResultCode::ProtocolError, "only LDAP versions 2 and 3");
    }
    let LdapBindCred::Simple(password) = &req.cred else {
        return result(
            LdapResultCode::AuthMethodNotSupported,
            "00002027: LdapErr: DSID-0C0906E8, comment: the demo directory takes simple binds only, data 0, v4563",
        );
    };
    if req.dn.is_empty() && password.is_empty() {
        return result(LdapResultCode::Success, "");
    }
    let view = shared.view();
    let Some(account) = search::account_of(&view, &req.dn) else {
        // AD answers an unknown name as a wrong password.
        return refused("52e");
    };
    // Computers and gMSAs have passwords the domain makes; nobody types them.
    let machine = account.has_class("computer");
    let expected_other = machine || view.other_password.contains(&account.norm);
    let right = !password.is_empty() && !expected_other && shared.password_is(password);
    if !right {
        return refused("52e");
    }
    // With the right password, AD says why the account may not log on.
    let uac = account.number("userAccountControl").unwrap_or(0);
    let now = super::store::now_filetime();
    let computed = view.uac_computed(account, now);
    let expires = account.number("accountExpires").unwrap_or(0);
    let pwd = account.number("pwdLastSet").unwrap_or(1);
    let code = if uac & 0x2 != 0 {
        Some("533")
    } else if computed & 0x10 != 0 {
        Some("775")
    } else if expires != 0 && expires != i64::MAX && expires <= now {
        Some("701")
    } else if pwd == 0 && uac & 0x10000 == 0 {
        Some("773")
    } else if computed & 0x80_0000 != 0 {
        Some("532")
    } else {
        None
    };
    if let Some(c) = code {
        return refused(c);
    }
    s.bound = Some(account.norm.clone());
    result(LdapResultCode::Success, "")
}

fn extended(
    shared: &Shared,
    s: &Session,
    req: &LdapExtendedRequest,
) -> (LdapExtendedResponse, bool) {
    let reply =
        |res: LdapResult, name: Option<&str>, value: Option<Vec<u8>>| LdapExtendedResponse {
            res,
            name: name.map(str::to_string),
            value,
        };
    match req.name.as_str() {
        OID_STARTTLS if s.tls => (
            reply(
                result(
                    LdapResultCode::OperationsError,
                    "00000000: LdapErr: DSID-0C09120D, comment: TLS is already active on this connection, data 0, v4563",
                ),
                Some(OID_STARTTLS),
                None,
            ),
            false,
        ),
        OID_STARTTLS => (
            reply(result(LdapResultCode::Success, ""), Some(OID_STARTTLS), None),
            true,
        ),
        ldap3_proto::proto::OID_WHOAMI => {
            let view = shared.view();
            let who = s
                .bound
                .as_deref()
                .and_then(|dn| view.get(dn))
                .and_then(|e| e.text("sAMAccountName"))
                .map(|sam| format!("u:CONTOSO\\{sam}"))
                .unwrap_or_default();
            (
                reply(result(LdapResultCode::Success, ""), None, Some(who.into_bytes())),
                false,
            )
        }
        _ => (
            reply(
                result(
                    LdapResultCode::ProtocolError,
                    "0000203D: LdapErr: DSID-0C0C0D04, comment: Unknown extended request OID, data 0, v4563",
                ),
                None,
                None,
            ),
            false,
        ),
    }
}

/// The answer to a change: the directory is read-only. None: not a request.
fn refusal(op: LdapOp) -> Option<LdapOp> {
    let no = || {
        result(
            LdapResultCode::UnwillingToPerform,
            "00002035: SvcErr: DSID-03190F80, problem 5003 (WILL_NOT_PERFORM): the demo directory is read-only",
        )
    };
    Some(match op {
        LdapOp::ModifyRequest(_) => LdapOp::ModifyResponse(no()),
        LdapOp::AddRequest(_) => LdapOp::AddResponse(no()),
        LdapOp::DelRequest(_) => LdapOp::DelResponse(no()),
        LdapOp::ModifyDNRequest(_) => LdapOp::ModifyDNResponse(no()),
        LdapOp::CompareRequest(_) => LdapOp::CompareResult(no()),
        _ => return None,
    })
}
