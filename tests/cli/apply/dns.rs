//! A DNS server for the drift tests, on 127.0.0.1: every A question is answered with the
//! address it is set to (changeable while it runs); other questions get no answer. It stops
//! when dropped (its loop wakes every 100 ms).
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct Dns {
    pub addr: SocketAddr,
    answer: Arc<Mutex<Ipv4Addr>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Dns {
    pub fn start(answer: Ipv4Addr) -> Dns {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a UDP port on 127.0.0.1");
        socket
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("timeout");
        let addr = socket.local_addr().expect("addr");
        let answer = Arc::new(Mutex::new(answer));
        let stop = Arc::new(AtomicBool::new(false));
        let (a, s) = (answer.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 512];
            while !s.load(Ordering::Relaxed) {
                let Ok((n, from)) = socket.recv_from(&mut buf) else {
                    continue;
                };
                let ip = *a.lock().expect("answer");
                if let Some(reply) = reply(&buf[..n], ip) {
                    let _ = socket.send_to(&reply, from);
                }
            }
        });
        Dns {
            addr,
            answer,
            stop,
            thread: Some(thread),
        }
    }

    pub fn set(&self, ip: Ipv4Addr) {
        *self.answer.lock().expect("answer") = ip;
    }
}

impl Drop for Dns {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The answer to one query: its question, and an A record when it asks for A.
fn reply(q: &[u8], ip: Ipv4Addr) -> Option<Vec<u8>> {
    if q.len() < 12 {
        return None;
    }
    let mut i = 12;
    while *q.get(i)? != 0 {
        i += 1 + *q.get(i)? as usize;
    }
    let end = i + 5;
    let question = q.get(12..end)?;
    let qtype = u16::from_be_bytes([q[i + 1], q[i + 2]]);
    let answers: u16 = if qtype == 1 { 1 } else { 0 };
    let mut r = Vec::new();
    r.extend_from_slice(&q[0..2]);
    r.extend_from_slice(&[0x81, 0x80, 0, 1]);
    r.extend_from_slice(&answers.to_be_bytes());
    r.extend_from_slice(&[0, 0, 0, 0]);
    r.extend_from_slice(question);
    if answers == 1 {
        r.extend_from_slice(&[0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
        r.extend_from_slice(&ip.octets());
    }
    Some(r)
}
