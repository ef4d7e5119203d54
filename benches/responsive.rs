//! The wizard's responsiveness while live checks run: keystroke to drawn frame, typing into
//! the SQL server field while 20 probes wait on a server that accepts and never answers
//! (bound on 127.0.0.1). Each keystroke goes the runtime's way: `update`, the check results
//! taken from the background executor as `Action::Checked`, one frame drawn at 120x40.
//! Target: p99 ≤ 16 ms (one frame at 60 Hz). Prints p50 and p99.
use mim_setup::check::live::Runner;
use mim_setup::check::{Area, Probe, ProbeOutput, Secrets, Settings};
use mim_setup::profile::load_str;
use mim_setup::screens::Screens;
use mim_setup::tui::theme::Theme;
use mim_setup::tui::view;
use mim_setup::wizard::live::{CheckDone, Mode, Run, Slot};
use mim_setup::wizard::{update, Action, Focus, Model};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::net::{SocketAddr, TcpListener};
use std::time::{Duration, Instant};

const PROFILE: &str = include_str!("../profiles/contoso-sync.toml");
const PROBES: u64 = 20;
const KEYS: usize = 2000;

/// A server that accepts every connection and never says a word.
fn black_hole() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = l.local_addr().expect("address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in l.incoming().flatten() {
            held.push(s);
        }
    });
    addr
}

/// A probe that connects and waits for the server's first byte, within the time limit.
fn waiting_probe(key: String, addr: SocketAddr) -> Probe {
    Probe::new(key, Area::Sql, "sql", "SQL Server", move |ctx| async move {
        use tokio::io::AsyncReadExt;
        let _ = ctx
            .within(async {
                let mut s = tokio::net::TcpStream::connect(addr).await?;
                let mut b = [0u8; 1];
                s.read(&mut b).await
            })
            .await;
        ProbeOutput::default()
    })
}

fn main() {
    let screens = Screens::embedded().expect("embedded screens");
    let addr = black_hole();
    let settings = Settings {
        timeout: Duration::from_secs(600),
        ..Settings::default()
    };
    let mut runner = Runner::new(settings).expect("runner");
    let loaded = load_str("contoso-sync.toml", PROFILE, screens, false).expect("profile");
    let mut m = Model::new(screens, Some(&loaded.profile), "bench");
    while m.current != "sql" {
        update(&mut m, Action::Next);
    }
    let field = m.screen().fields.iter().position(|f| f.id == "server");
    update(
        &mut m,
        Action::Focus(Focus::Field(field.expect("server field"))),
    );
    m.live.mode = Mode::On;
    let now = Instant::now();
    for g in 1..=PROBES {
        let key = format!("wait.{g}");
        runner.start(g, waiting_probe(key.clone(), addr), Secrets::default());
        m.live.slots.insert(
            key,
            Slot {
                area: Area::Sql,
                screen: "sql".into(),
                title: format!("Waiting check {g}"),
                waiting: None,
                run: Some(Run {
                    generation: g,
                    inputs: String::new(),
                    started: now,
                    output: None,
                }),
            },
        );
    }
    let theme = Theme {
        ascii: false,
        color: true,
    };
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut times = Vec::with_capacity(KEYS);
    for i in 0..KEYS {
        let key = if i % 20 == 19 {
            Action::Backspace
        } else {
            Action::Input(char::from(b'a' + (i % 26) as u8))
        };
        let t = Instant::now();
        update(&mut m, key);
        for d in runner.poll() {
            let done = CheckDone {
                key: d.key,
                generation: d.generation,
                output: d.output,
            };
            update(&mut m, Action::Checked(Box::new(done)));
        }
        let _ = term.draw(|f| view(&m, &theme, f));
        times.push(t.elapsed());
    }
    assert!(m.live.pending(), "the 20 checks were still waiting");
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let (p50, p99) = (at(0.50), at(0.99));
    println!(
        "keystroke_to_frame_120x40_with_{PROBES}_waiting_checks: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms over {KEYS} keys (target p99 <= 16 ms){}",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        if p99 <= Duration::from_millis(16) { "" } else { ": OVER TARGET" }
    );
}
