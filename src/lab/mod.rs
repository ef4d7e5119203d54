//! The demo's Contoso environment: real servers on loopback (127.0.0.1, ephemeral ports),
//! one file or folder per server, each with a module doc.
//!
//! ```text
//!   directory/  contoso.local over LDAP (StartTLS) and LDAPS, with live faults
//!   dns.rs      the contoso.local and contoso.com zones, SRV and A records, UDP and TCP
//! ```
pub mod directory;
pub mod dns;
