//! The address book: where a host and port are reached, for every connection the checks make
//! (SQL, LDAP, SMTP, HTTPS, the certificate and no-answer probes). An entry sends
//! `host:port` to a socket address; a host and port without an entry are resolved through
//! DNS as always. An empty book is a normal run.
//!
//! The format (`--address-book`, `MIM_SETUP_ADDRESS_BOOK`): entries `HOST:PORT=IP:PORT`,
//! separated by commas, spaces or new lines; in a file, `#` starts a comment. Host names
//! match without regard to case or a trailing dot; an IPv6 address is written in brackets
//! (`[::1]:40001`).
//!
//! ```text
//! corpsql:1433=127.0.0.1:40001,corpsql.contoso.local:1433=127.0.0.1:40001
//! corpdc.contoso.local:636=127.0.0.1:40002
//! ```
//!
//! An HTTPS URL with no port is looked up with the scheme's port (443); one with an explicit
//! port is looked up with that port, and reqwest then connects to the entry's address on the
//! URL's own port.
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;

/// Host and port to socket address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressBook {
    entries: BTreeMap<(String, u16), SocketAddr>,
}

fn key(host: &str) -> String {
    host.trim()
        .trim_end_matches('.')
        .trim_matches(['[', ']'])
        .to_ascii_lowercase()
}

impl AddressBook {
    pub fn new() -> AddressBook {
        AddressBook::default()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds (or replaces) one entry.
    pub fn insert(&mut self, host: &str, port: u16, addr: SocketAddr) {
        self.entries.insert((key(host), port), addr);
    }

    /// Where `host:port` is reached, if the book says.
    pub fn lookup(&self, host: &str, port: u16) -> Option<SocketAddr> {
        if self.entries.is_empty() {
            return None;
        }
        self.entries.get(&(key(host), port)).copied()
    }

    /// The first of `ports` the book has an entry for, with its address.
    pub fn lookup_any(&self, host: &str, ports: &[u16]) -> Option<(u16, SocketAddr)> {
        ports
            .iter()
            .find_map(|p| self.lookup(host, *p).map(|a| (*p, a)))
    }

    /// The entries, in order: `(host, port, address)`.
    pub fn entries(&self) -> impl Iterator<Item = (&str, u16, SocketAddr)> {
        self.entries.iter().map(|((h, p), a)| (h.as_str(), *p, *a))
    }

    /// The book in its own format, one entry per line.
    pub fn to_spec(&self, separator: &str) -> String {
        self.entries()
            .map(|(h, p, a)| format!("{h}:{p}={a}"))
            .collect::<Vec<_>>()
            .join(separator)
    }

    /// Parses entries (see the module doc); `origin` names where they came from in errors.
    pub fn parse(text: &str, origin: &str) -> Result<AddressBook, String> {
        let mut book = AddressBook::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("");
            for entry in line
                .split([',', ' ', '\t'])
                .map(str::trim)
                .filter(|e| !e.is_empty())
            {
                let (host, port, addr) = parse_entry(entry).map_err(|why| {
                    format!("{origin}, line {}: `{entry}`: {why}. Write entries as HOST:PORT=IP:PORT, e.g. corpsql:1433=127.0.0.1:40001.", n + 1)
                })?;
                book.insert(host, port, addr);
            }
        }
        Ok(book)
    }

    /// `--address-book`'s value: a file when no `=` is in it, else the entries themselves.
    pub fn from_arg(value: &str, origin: &str) -> Result<AddressBook, String> {
        if value.contains('=') {
            return AddressBook::parse(value, origin);
        }
        let path = Path::new(value);
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!("{origin}: cannot read the address book file {}: {e}. Give a readable file, or the entries themselves (HOST:PORT=IP:PORT,...).", path.display())
        })?;
        AddressBook::parse(&text, &format!("{origin} {}", path.display()))
    }
}

fn parse_entry(entry: &str) -> Result<(&str, u16, SocketAddr), String> {
    let (from, to) = entry
        .split_once('=')
        .ok_or("no `=` between the host and the address")?;
    let (host, port) = from
        .rsplit_once(':')
        .ok_or("the host has no port (HOST:PORT)")?;
    let host = host.trim();
    if host.is_empty() {
        return Err("the host is empty".into());
    }
    let port: u16 = port
        .trim()
        .parse()
        .map_err(|_| format!("`{port}` is not a port number (1-65535)"))?;
    if port == 0 {
        return Err("port 0 is not a port to connect to".into());
    }
    let addr: SocketAddr = to
        .trim()
        .parse()
        .map_err(|_| format!("`{to}` is not an IP address with a port (127.0.0.1:40001)"))?;
    if addr.port() == 0 {
        return Err(format!("`{to}` has port 0, which nothing listens on"));
    }
    Ok((host, port, addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        let b = AddressBook::parse(
            "corpsql:1433=127.0.0.1:40001, CorpDC.contoso.local.:636=127.0.0.1:40002 # dc\n\
             # a comment line\n[::1]:25=[::1]:40003",
            "test",
        )
        .expect("parses");
        assert_eq!(
            b.lookup("CORPSQL", 1433),
            Some("127.0.0.1:40001".parse().expect("addr"))
        );
        assert_eq!(
            b.lookup("corpdc.contoso.local", 636),
            Some("127.0.0.1:40002".parse().expect("addr"))
        );
        assert_eq!(
            b.lookup("::1", 25),
            Some("[::1]:40003".parse().expect("addr"))
        );
        assert_eq!(b.lookup("corpsql", 1434), None);
        assert_eq!(
            b.lookup_any("corpdc.contoso.local", &[389, 636])
                .map(|x| x.0),
            Some(636)
        );
        let again = AddressBook::parse(&b.to_spec(","), "again").expect("round trip");
        assert_eq!(again, b);
    }

    #[test]
    fn bad_entries_say_what_and_where() {
        for (text, part) in [
            ("corpsql=127.0.0.1:1", "has no port"),
            ("corpsql:1433", "no `=`"),
            ("corpsql:x=127.0.0.1:1", "not a port number"),
            ("corpsql:1433=corpsql:1", "not an IP address"),
            ("corpsql:1433=127.0.0.1:0", "port 0"),
            (":1433=127.0.0.1:5", "host is empty"),
        ] {
            let e = AddressBook::parse(&format!("# first\n{text}"), "MIM_SETUP_ADDRESS_BOOK")
                .expect_err(text);
            assert!(e.contains(part), "{e}");
            assert!(e.contains("MIM_SETUP_ADDRESS_BOOK, line 2"), "{e}");
            assert!(e.contains("HOST:PORT=IP:PORT"), "{e}");
        }
    }

    /// Every file of the checks that connects or resolves asks the book first: a new
    /// connection that bypasses it fails here.
    #[test]
    fn no_connection_of_the_checks_bypasses_the_book() {
        const CONNECTS: [&str; 6] = [
            "TcpStream::connect",
            "LdapConnAsync::",
            "UdpSocket::bind",
            "Client::builder()",
            "lookup_ip(",
            "srv_lookup(",
        ];
        // Files that connect without asking the book themselves, and why that is right.
        const GIVEN: [(&str, &str); 2] = [
            (
                "mail/tls/presented.rs",
                "connects to the address its callers took from the book",
            ),
            (
                "network.rs",
                "the DNS name check asks DNS: that is what it checks",
            ),
        ];
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).expect("the checks' folder") {
                let p = e.expect("entry").path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check");
        let mut files = Vec::new();
        walk(&root, &mut files);
        let mut connecting = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("source");
            let rel = f
                .strip_prefix(&root)
                .expect("under src/check")
                .to_string_lossy()
                .replace('\\', "/");
            if rel.ends_with("tests.rs") || rel == "address_book.rs" {
                continue;
            }
            if !CONNECTS.iter().any(|c| text.contains(c)) {
                continue;
            }
            connecting.push(rel.clone());
            let books = text.contains("booked(")
                || text.contains("addresses(")
                || text.contains("lookup_any(");
            assert!(
                books || GIVEN.iter().any(|(g, _)| *g == rel),
                "src/check/{rel} connects or resolves without asking the address book first"
            );
        }
        for must in [
            "sql/connect.rs",
            "ad/bind.rs",
            "ad/dc.rs",
            "mail/smtp.rs",
            "mail/ews.rs",
            "http.rs",
        ] {
            assert!(
                connecting.iter().any(|c| c == must),
                "the scan finds {must}: {connecting:?}"
            );
        }
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let e =
            AddressBook::from_arg("/nonexistent/book.txt", "--address-book").expect_err("no file");
        assert!(e.contains("/nonexistent/book.txt"), "{e}");
    }
}
