//! From `Environment::start` to every demo server answering (target: at most 100 ms): the demo
//! CA and its certificates made, the directory, DNS, SQL Server, SMTP and web servers started
//! on 127.0.0.1, then each one answering: the directory's anonymous bind (LDAP), DNS's SRV
//! answer (UDP), SMTP's 220 greeting read, a plain HTTP request answered (the SharePoint
//! stand-in), TDS's PRELOGIN answered, and the HTTPS listener accepting. Beside it, in the
//! same run, the Samba lab's directory start (`tests/lab/samba.sh start` of the provisioned
//! lab, to its LDAP answering), for the ratio; it needs root and the lab installed (`sudo
//! tests/lab/lab.sh start` once), and says so where it cannot run.
//!
//! And the demo's pre-flight of the Service and Portal scenario: every area's checks at once
//! against each area's alone (target: all at once at most 1.3 times the slowest area).
use criterion::{criterion_group, criterion_main, Criterion};
use mim_setup::check::{run_blocking, Area, Settings};
use mim_setup::lab::env::{Environment, Scenario};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(5);

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, LIMIT).expect("the server accepts");
    s.set_read_timeout(Some(LIMIT)).expect("timeout");
    s
}

/// Reads until `want` bytes came (or the stream ends); how many came.
fn read_some(s: &mut TcpStream, want: usize) -> usize {
    let mut buf = vec![0u8; want.max(1)];
    let mut got = 0;
    while got < want {
        match s.read(&mut buf[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    got
}

/// A PRELOGIN packet (TDS 7.x): VERSION and ENCRYPTION (off), as MS-TDS 2.2.6.5 lays it out.
fn prelogin() -> Vec<u8> {
    let options = [
        0x00, 0x00, 0x0B, 0x00, 0x06, 0x01, 0x00, 0x11, 0x00, 0x01, 0xFF,
    ];
    let data = [0x0F, 0x00, 0x07, 0xD0, 0x00, 0x00, 0x00];
    let mut payload = options.to_vec();
    payload.extend(data);
    let mut p = vec![0x12, 0x01];
    p.extend(((payload.len() + 8) as u16).to_be_bytes());
    p.extend([0, 0, 1, 0]);
    p.extend(payload);
    p
}

/// An anonymous simple bind (RFC 4511 4.2), message 1.
const ANONYMOUS_BIND: [u8; 14] = [
    0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00,
];

/// A DNS query (RFC 1035 4.1) for the SRV record `_ldap._tcp.contoso.local`.
fn srv_query() -> Vec<u8> {
    let mut q = vec![0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in ["_ldap", "_tcp", "contoso", "local"] {
        q.push(label.len() as u8);
        q.extend(label.as_bytes());
    }
    q.extend([0, 0, 33, 0, 1]);
    q
}

fn start_and_answer() {
    let env = Environment::start(Scenario::Sync, &[]).expect("the demo starts");
    let servers = env.servers();
    let addr = |what: &str| {
        servers
            .iter()
            .find(|(w, _)| *w == what)
            .map(|(_, a)| *a)
            .expect("a server")
    };
    let mut smtp = connect(addr("SMTP"));
    assert!(read_some(&mut smtp, 4) == 4, "SMTP greets");
    let mut http = connect(addr("HTTP"));
    http.write_all(b"GET / HTTP/1.1\r\nHost: mim.contoso.com\r\nConnection: close\r\n\r\n")
        .expect("request");
    assert!(read_some(&mut http, 12) == 12, "HTTP answers");
    let mut sql = connect(addr("SQL Server (TDS)"));
    sql.write_all(&prelogin()).expect("PRELOGIN");
    assert!(read_some(&mut sql, 8) == 8, "TDS answers PRELOGIN");
    connect(addr("HTTPS"));
    let mut ldap = connect(addr("LDAP (StartTLS)"));
    ldap.write_all(&ANONYMOUS_BIND).expect("bind");
    assert!(
        read_some(&mut ldap, 2) == 2,
        "the directory answers the bind"
    );
    let udp = UdpSocket::bind("127.0.0.1:0").expect("a UDP socket");
    udp.set_read_timeout(Some(LIMIT)).expect("timeout");
    udp.send_to(&srv_query(), addr("DNS (UDP and TCP)"))
        .expect("query");
    let mut answer = [0u8; 512];
    let (n, _) = udp.recv_from(&mut answer).expect("DNS answers");
    assert!(
        n > 12 && answer[..2] == [0x12, 0x34],
        "DNS answers the query"
    );
}

/// The checks of `only` (all areas when empty) of the running environment's profile.
fn preflight(env: &Environment, only: &[Area]) {
    let only: BTreeSet<Area> = only.iter().copied().collect();
    let settings = Settings {
        only: only.clone(),
        ..env.settings()
    };
    let report = run_blocking(env.profile(), settings, env.secrets(&only)).expect("checks run");
    assert!(!report.outcomes.is_empty(), "checks ran");
}

/// The median of `n` timings of `f`.
fn median(n: usize, mut f: impl FnMut()) -> Duration {
    let mut v: Vec<Duration> = (0..n)
        .map(|_| {
            let t = std::time::Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    v[n / 2]
}

/// The Samba lab's directory start, stopped first: None (with why) where it cannot run here.
fn samba_start() -> Result<Duration, String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("tests/lab/samba.sh");
    let root_user = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|v| v.split_whitespace().next().map(|u| u == "0"))
        })
        .unwrap_or(false);
    if !root_user {
        return Err("not root".into());
    }
    if !std::path::Path::new("/usr/sbin/samba").exists() {
        return Err("Samba is not installed (sudo tests/lab/lab.sh start installs it)".into());
    }
    let run = |what: &str| {
        std::process::Command::new(&script)
            .arg(what)
            .output()
            .map_err(|e| format!("samba.sh {what}: {e}"))
            .and_then(|o| {
                if o.status.success() {
                    Ok(())
                } else {
                    Err(format!(
                        "samba.sh {what}: {}",
                        String::from_utf8_lossy(&o.stderr).trim()
                    ))
                }
            })
    };
    run("stop")?;
    let t = std::time::Instant::now();
    run("start")?;
    Ok(t.elapsed())
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("demo");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("start to every server answering", |b| {
        b.iter(start_and_answer)
    });
    g.finish();
    let demo = median(21, start_and_answer);
    match samba_start() {
        Ok(samba) => println!(
            "demo start to every server answering: {:.1} ms (median of 21); the Samba lab's directory start to LDAP answering: {:.2} s; the demo starts {:.0} times faster",
            demo.as_secs_f64() * 1e3,
            samba.as_secs_f64(),
            samba.as_secs_f64() / demo.as_secs_f64()
        ),
        Err(why) => println!(
            "demo start to every server answering: {:.1} ms (median of 21); the Samba lab's start not measured: {why}",
            demo.as_secs_f64() * 1e3
        ),
    }
    let env = Environment::start(Scenario::ServicePortal, &[]).expect("the demo starts");
    let mut g = c.benchmark_group("demo pre-flight, service-portal");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("every area", |b| b.iter(|| preflight(&env, &[])));
    for area in [Area::Sql, Area::Ad, Area::Mail, Area::Net] {
        g.bench_function(area.as_str(), |b| b.iter(|| preflight(&env, &[area])));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
