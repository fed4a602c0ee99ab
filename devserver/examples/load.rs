//! Load tool for `imsdk-devserver` (loopback only, bounded in connections and time).
//!
//! Opens `--connections` WebSocket clients, logs each in as `load-<i>`, sends a keep-alive from
//! each every 5 s (staggered), and runs a stream of QoS C2C messages from every client to the
//! next one; receivers acknowledge what they get, as the SDK does. It measures, per message,
//! the time from sending it to receiving the server's acknowledgement (the pseudo-ack written
//! once the message was queued to the receiver): an upper bound on the server's
//! arrival-to-ack time that includes two loopback hops.
//!
//! ```text
//! cargo run --release -p imsdk-devserver --example load -- \
//!     --addr 127.0.0.1:3000 --connections 1000 --rate 2000 --duration 20 --server-pid <PID>
//! ```
//!
//! `--rate 0` saturates instead: each client keeps `--window` messages in flight.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use tokio::time::{interval_at, sleep, timeout, Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async_with_config, MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// Load generator options.
#[derive(Debug, Parser)]
struct Options {
    /// Server address; must be a loopback address.
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Number of logged-in connections (at most 5000).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(2..=5000))]
    connections: u32,
    /// Messages per second over all connections; 0 saturates with `--window` in flight each.
    #[arg(long, default_value_t = 2000)]
    rate: u32,
    /// Messages in flight per connection when `--rate 0`.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    window: u32,
    /// Seconds of message stream (at most 120).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=120))]
    duration: u64,
    /// The server's process id, to report its resident memory and CPU time.
    #[arg(long)]
    server_pid: Option<u32>,
}

/// What one client saw.
#[derive(Debug, Default)]
struct Tally {
    sent: u64,
    latencies_us: Vec<u32>,
    received: u64,
    keep_alive_replies: u64,
}

fn frame(kind: u8, content: &str, from: &str, to: &str, fp: Option<&str>, qos: bool) -> String {
    let content = serde_json::to_string(content).expect("a string");
    let fp = fp.map_or("null".to_owned(), |fp| format!("\"{fp}\""));
    format!(
        r#"{{"bridge":false,"type":{kind},"dataContent":{content},"from":"{from}","to":"{to}","fp":{fp},"QoS":{qos},"typeu":-1}}"#
    )
}

async fn connect(addr: SocketAddr, uid: &str) -> Ws {
    let (mut ws, _) = connect_async_with_config(format!("ws://{addr}/websocket"), None, true)
        .await
        .expect("connects");
    let login = serde_json::json!({
        "loginUserId": uid, "loginToken": "load", "extra": null, "firstLoginTime": 0
    })
    .to_string();
    ws.send(Message::text(frame(0, &login, uid, "0", None, false)))
        .await
        .expect("sends login");
    let reply = timeout(Duration::from_secs(10), ws.next())
        .await
        .expect("a login reply in time");
    match reply {
        Some(Ok(Message::Text(text))) if text.contains(r#"\"code\":0"#) => ws,
        other => panic!("login of {uid} failed: {other:?}"),
    }
}

/// One client's message stream to its peer.
struct Outgoing {
    uid: String,
    peer: String,
    next_fp: u64,
    in_flight: HashMap<String, Instant>,
}

impl Outgoing {
    /// The next QoS message, remembered as sent now.
    fn next(&mut self) -> Message {
        let fp = format!("{}-{}", self.uid, self.next_fp);
        self.next_fp += 1;
        let text = frame(
            2,
            "load test message",
            &self.uid,
            &self.peer,
            Some(&fp),
            true,
        );
        self.in_flight.insert(fp, Instant::now());
        Message::text(text)
    }
}

/// Drives one client: keep-alives, its share of the message stream, acks for what it gets.
async fn run_client(
    mut ws: Ws,
    index: u32,
    options: &Options,
    start: Instant,
    stop_sending: Instant,
) -> Tally {
    let uid = format!("load-{index}");
    let peer = format!("load-{}", (index + 1) % options.connections);
    let mut tally = Tally::default();
    let stagger = Duration::from_millis(u64::from(index) * 5000 / u64::from(options.connections));
    let mut keep_alive = interval_at(start + stagger, Duration::from_secs(5));
    keep_alive.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let period = (options.rate > 0)
        .then(|| Duration::from_secs_f64(f64::from(options.connections) / f64::from(options.rate)));
    let mut send_tick = interval_at(
        start
            + period.map_or(Duration::ZERO, |p| {
                p.mul_f64(f64::from(index) / f64::from(options.connections))
            }),
        period.unwrap_or(Duration::from_secs(3600)),
    );
    send_tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut stream = Outgoing {
        uid: uid.clone(),
        peer,
        next_fp: 0,
        in_flight: HashMap::new(),
    };
    let finish = stop_sending + Duration::from_secs(2);

    if period.is_none() {
        for _ in 0..options.window {
            ws.feed(stream.next()).await.expect("send");
            tally.sent += 1;
        }
        ws.flush().await.expect("flush");
    }
    loop {
        tokio::select! {
            () = sleep(finish.saturating_duration_since(Instant::now())) => break,
            _ = keep_alive.tick() => {
                ws.send(Message::text(frame(1, "{}", &uid, "0", None, false))).await.expect("keep-alive");
            }
            _ = send_tick.tick(), if period.is_some() && Instant::now() < stop_sending => {
                ws.send(stream.next()).await.expect("send");
                tally.sent += 1;
            }
            message = ws.next() => {
                let Some(Ok(Message::Text(text))) = message else { break };
                let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                match value["type"].as_i64() {
                    Some(4) => {
                        let fp = value["dataContent"].as_str().unwrap_or_default();
                        if let Some(sent) = stream.in_flight.remove(fp) {
                            tally.latencies_us.push(sent.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                            if period.is_none() && Instant::now() < stop_sending {
                                ws.send(stream.next()).await.expect("send");
                                tally.sent += 1;
                            }
                        }
                    }
                    Some(2) => {
                        tally.received += 1;
                        let fp = value["fp"].as_str().unwrap_or_default();
                        let from = value["from"].as_str().unwrap_or_default();
                        ws.send(Message::text(frame(4, fp, &uid, from, None, false))).await.expect("ack");
                    }
                    Some(51) => tally.keep_alive_replies += 1,
                    _ => {}
                }
            }
        }
    }
    let _ = ws.close(None).await;
    tally
}

/// Resident memory (kB) and CPU time (s) of a process, from /proc.
fn process_usage(pid: u32) -> Option<(u64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some((rss_kb, ticks / 100.0))
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    f64::from(sorted[rank]) / 1000.0
}

#[tokio::main]
async fn main() {
    let options: &'static Options = Box::leak(Box::new(Options::parse()));
    assert!(
        options.addr.ip().is_loopback(),
        "the load tool only targets loopback addresses"
    );
    let report = |label: &str| {
        if let Some((rss, cpu)) = options.server_pid.and_then(process_usage) {
            println!(
                "server {label}: RSS {:.1} MiB, CPU time {cpu:.2} s",
                rss as f64 / 1024.0
            );
        }
    };
    report("idle");

    let connect_start = Instant::now();
    let mut clients = Vec::with_capacity(options.connections as usize);
    for index in 0..options.connections {
        clients.push(connect(options.addr, &format!("load-{index}")).await);
    }
    println!(
        "{} connections logged in in {:.2} s",
        options.connections,
        connect_start.elapsed().as_secs_f64()
    );
    report("with connections, before the stream");

    let start = Instant::now();
    let stop_sending = start + Duration::from_secs(options.duration);
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(index, ws)| tokio::spawn(run_client(ws, index as u32, options, start, stop_sending)))
        .collect();
    let sampler = tokio::spawn(async move {
        let mut peak = 0;
        while Instant::now() < stop_sending {
            sleep(Duration::from_millis(500)).await;
            if let Some((rss, _)) = options.server_pid.and_then(process_usage) {
                peak = peak.max(rss);
            }
        }
        peak
    });
    let mut total = Tally::default();
    for task in tasks {
        let tally = task.await.expect("client task");
        total.sent += tally.sent;
        total.received += tally.received;
        total.keep_alive_replies += tally.keep_alive_replies;
        total.latencies_us.extend(tally.latencies_us);
    }
    let peak_rss = sampler.await.unwrap_or(0);
    report("after the run");
    if peak_rss > 0 {
        println!(
            "server peak RSS during the stream: {:.1} MiB",
            peak_rss as f64 / 1024.0
        );
    }

    let seconds = options.duration as f64;
    total.latencies_us.sort_unstable();
    let acked = total.latencies_us.len() as u64;
    println!(
        "messages: {} sent, {} acknowledged, {} delivered, {} keep-alive replies",
        total.sent, acked, total.received, total.keep_alive_replies
    );
    println!(
        "throughput: {:.0} messages/s acknowledged ({} s stream, mode {})",
        acked as f64 / seconds,
        options.duration,
        if options.rate == 0 {
            format!("saturating, window {}", options.window)
        } else {
            format!("paced at {} msg/s", options.rate)
        }
    );
    println!(
        "send-to-ack latency ms: p50 {:.3}, p90 {:.3}, p99 {:.3}, max {:.3}",
        percentile(&total.latencies_us, 50.0),
        percentile(&total.latencies_us, 90.0),
        percentile(&total.latencies_us, 99.0),
        percentile(&total.latencies_us, 100.0)
    );
}
