//! From `Environment::start` to every demo server answering (target: at most 100 ms): the demo
//! CA and its certificates made, the SQL Server, SMTP and web servers started on 127.0.0.1,
//! then each one answering: SMTP's 220 greeting read, a plain HTTP request answered (the
//! SharePoint stand-in), TDS's PRELOGIN answered, and the HTTPS listener accepting. The
//! Samba lab's start (root, packages) is not measured here.
use criterion::{criterion_group, criterion_main, Criterion};
use mim_setup::lab::env::{Environment, Scenario};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
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
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("demo");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("start to every server answering", |b| {
        b.iter(start_and_answer)
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
