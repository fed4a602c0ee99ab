//! QoS at scale: the cost of one ack and of one deadline with 10 000 and with 100 000 messages
//! in flight, measured side by side in one run. Flat costs (100k/10k ratio near 1) show there is
//! no scan of the in-flight table. Each size is measured in several rounds, alternating with the
//! other size on a fresh client, and the best round counts, as in `npm run bench`: a single
//! 10 000-operation measurement lasts milliseconds, so one interruption skews it. Run with
//! `cargo bench --bench qos_scale`.

use std::time::Instant;

use mobileimsdk_wasm::core::{Client, Config, Outbound, Output, SeededRandom};
use mobileimsdk_wasm::protocol::{LoginInfo, Protocal, ProtocalType};

/// Acks or deadlines timed per measurement.
const OPERATIONS: usize = 10_000;

/// Measurements of each size; the best one counts.
const ROUNDS: usize = 5;

/// Takes every output, as a host does: the socket takes every frame, and the result of a
/// message's first write is reported at once (a host that never reports one leaves it in the
/// client's table of writes awaiting a result, which each ack then searches).
fn drain(client: &mut Client) {
    loop {
        match client.poll_output() {
            Output::Timeout(_) => return,
            Output::Write {
                frame:
                    Outbound::Message {
                        send_id,
                        first_write: true,
                        ..
                    },
                ..
            } => {
                client.handle_written(send_id, true);
            }
            _ => {}
        }
    }
}

/// An online client with `in_flight` QoS messages sent 1 ms apart from t=0; returns their fps.
fn loaded_client(in_flight: usize) -> (Client, Vec<std::rc::Rc<str>>) {
    let config = Config {
        max_pending_messages: in_flight + OPERATIONS,
        ..Config::default()
    };
    let mut client = Client::new(config, Box::new(SeededRandom::new(7)));
    let info = LoginInfo {
        login_user_id: "alice".into(),
        login_token: None,
        extra: None,
        first_login_time: 0,
    };
    client
        .login(0, info, "ws://127.0.0.1/websocket".into())
        .expect("login");
    drain(&mut client);
    client.handle_socket_opened(0, 1);
    let reply =
        r#"{"type":50,"dataContent":"{\"code\":0,\"firstLoginTime\":1}","from":"0","to":"alice"}"#;
    client.handle_socket_text(0, 1, reply);
    drain(&mut client);
    let mut fps = Vec::with_capacity(in_flight);
    for n in 0..in_flight {
        let mut message = Protocal::new(ProtocalType::COMMON_DATA, Some("hi".into()), "", "bob");
        message.qos = true;
        let receipt = client.send(n as u64, &message).expect("accepted");
        fps.push(receipt.fp.expect("QoS fp"));
        drain(&mut client);
    }
    (client, fps)
}

/// Nanoseconds per ack of `OPERATIONS` messages spread over the table.
fn per_ack(in_flight: usize) -> f64 {
    let (mut client, fps) = loaded_client(in_flight);
    let step = in_flight / OPERATIONS;
    let acks: Vec<String> = (0..OPERATIONS)
        .map(|i| {
            format!(
                r#"{{"type":4,"dataContent":"{}","from":"bob","to":"alice"}}"#,
                fps[i * step]
            )
        })
        .collect();
    let now = in_flight as u64;
    let start = Instant::now();
    for ack in &acks {
        client.handle_socket_text(now, 1, ack);
        drain(&mut client);
    }
    start.elapsed().as_nanos() as f64 / OPERATIONS as f64
}

/// Nanoseconds per resend deadline, over the first `OPERATIONS` deadlines to fire.
fn per_deadline(in_flight: usize) -> f64 {
    let (mut client, _) = loaded_client(in_flight);
    let resend_at = Config::default().qos_resend_interval_ms;
    let pong = r#"{"type":51,"from":"0","to":"alice"}"#;
    let start = Instant::now();
    for n in 0..OPERATIONS as u64 {
        if n % 1_000 == 0 {
            // The server answers keep-alives, so the link never dies during the run.
            client.handle_socket_text(resend_at + n, 1, pong);
        }
        client.handle_timeout(resend_at + n);
        drain(&mut client);
    }
    start.elapsed().as_nanos() as f64 / OPERATIONS as f64
}

fn main() {
    for (name, measure) in [
        ("qos-ack", per_ack as fn(usize) -> f64),
        ("qos-deadline", per_deadline),
    ] {
        let (mut small, mut large) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..ROUNDS {
            small = small.min(measure(10_000));
            large = large.min(measure(100_000));
        }
        println!("bench: {name}-10k value={small:.0} unit=ns/op");
        println!(
            "bench: {name}-100k value={large:.0} unit=ns/op ratio={:.2}",
            large / small
        );
    }
}
