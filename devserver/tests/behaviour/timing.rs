//! Timings on tokio's paused clock: idle close, the S2C QoS resend, the C2S de-duplication
//! window. The server runs in the test's runtime, so its timers share the paused clock.

use std::time::Duration;

use tokio::time::{sleep, Instant};
use tokio_tungstenite::tungstenite::Message;

use crate::common::*;

fn secs(n: f64) -> Duration {
    Duration::from_secs_f64(n)
}

/// Waits for the server's close and returns how long after `since` the close frame came.
async fn bye_after(client: &mut Client, since: Instant) -> Duration {
    assert_eq!(client.next_event().await, Event::Close(1000, "Bye".into()));
    let elapsed = since.elapsed();
    assert_eq!(client.next_event().await, Event::Ended);
    elapsed
}

#[tokio::test(start_paused = true)]
async fn idle_connections_close_11_s_after_the_last_inbound_frame() {
    let server = start(config()).await;

    // Not logged in, no frame at all: 11 s from the connection.
    let opened = Instant::now();
    let mut silent = Client::connect(&server).await;
    assert_eq!(bye_after(&mut silent, opened).await, secs(11.0));

    // Logged in, keep-alives postpone it; WebSocket pings do not.
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    sleep(secs(10.0)).await;
    alice.send(keep_alive("alice")).await;
    assert_eq!(alice.recv().await, keep_alive_reply("alice"));
    let last_frame = Instant::now();
    sleep(secs(5.0)).await;
    alice.send_message(Message::Ping(vec![1].into())).await;
    assert_eq!(bye_after(&mut alice, last_frame).await, secs(11.0));
    assert_eq!(server.stats().online, 0);
    server.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn the_idle_timeout_is_configurable() {
    let mut config = config();
    config.idle_timeout = Duration::from_millis(300);
    let server = start(config).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let logged_in = Instant::now();
    assert_eq!(bye_after(&mut alice, logged_in).await, secs(0.3));
    server.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn an_unacknowledged_message_is_resent_once_about_5_s_later() {
    let mut config = config();
    config.idle_timeout = Duration::from_secs(3600);
    let server = start(config).await;
    let booted = Instant::now();
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let (mut bob, _) = Client::logged_in(&server, "bob").await;
    sleep(secs(0.5)).await;
    let message = c2c("alice", "bob", "are you there", "f1");
    alice.send(message.as_str()).await;
    assert_eq!(bob.recv().await, forwarded(&message));
    let written = Instant::now();
    assert_eq!(alice.recv().await, server_ack("bob", "alice", "f1"));

    // The daemon checks every 5 s from boot and skips frames younger than 2 s.
    assert_eq!(bob.recv().await, forwarded(&message));
    assert_eq!(booted + secs(5.0), Instant::now());
    assert!(written.elapsed() > secs(2.0) && written.elapsed() <= secs(7.0));

    // One resend only: at the next check it is reported lost.
    sleep(secs(30.0)).await;
    bob.expect_nothing_pending().await;
    alice.expect_nothing_pending().await;
    assert_eq!(server.stats().s2c_lost, 1);
    assert_eq!(server.stats().s2c_pending, 0);
    server.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_message_written_just_before_a_check_waits_for_the_next_one() {
    let mut config = config();
    config.idle_timeout = Duration::from_secs(3600);
    let server = start(config).await;
    let booted = Instant::now();
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let (mut bob, _) = Client::logged_in(&server, "bob").await;
    sleep(secs(4.0)).await;
    let message = c2c("alice", "bob", "late", "f1");
    alice.send(message.as_str()).await;
    assert_eq!(bob.recv().await, forwarded(&message));
    assert_eq!(bob.recv().await, forwarded(&message));
    assert_eq!(booted + secs(10.0), Instant::now());
    server.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn an_acknowledged_message_is_not_resent() {
    let mut config = config();
    config.idle_timeout = Duration::from_secs(3600);
    let server = start(config).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let (mut bob, _) = Client::logged_in(&server, "bob").await;
    alice.send(c2c("alice", "bob", "hello", "f1")).await;
    bob.recv().await;
    alice.recv().await;
    bob.send(client_ack("bob", "alice", "f1")).await;
    sleep(secs(20.0)).await;
    bob.expect_nothing_pending().await;
    alice.expect_nothing_pending().await;
    assert_eq!(server.stats().s2c_lost, 0);
    server.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn the_resend_reaches_the_session_online_now() {
    let mut config = config();
    config.idle_timeout = Duration::from_secs(3600);
    let server = start(config).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let (mut bob, reply) = Client::logged_in(&server, "bob").await;
    let first_login_time = login_ok_time(&reply, "bob");
    let message = c2c("alice", "bob", "follow me", "f1");
    alice.send(message.as_str()).await;
    assert_eq!(bob.recv().await, forwarded(&message));
    assert_eq!(alice.recv().await, server_ack("bob", "alice", "f1"));
    drop(bob);

    let mut bob = Client::connect(&server).await;
    bob.send(login("bob", first_login_time)).await;
    login_ok_time(&bob.recv().await, "bob");
    assert_eq!(bob.recv().await, forwarded(&message));
    bob.send(client_ack("bob", "alice", "f1")).await;
    sleep(secs(20.0)).await;
    assert_eq!(server.stats().s2c_lost, 0);
    alice.expect_nothing_pending().await;
    server.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn c2s_fingerprints_are_remembered_for_10_minutes() {
    let mut config = config();
    config.idle_timeout = Duration::from_secs(3600);
    let server = start(config).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    send_c2s_once(&mut alice).await;
    sleep(Duration::from_secs(9 * 60)).await;
    send_c2s_once(&mut alice).await;
    assert_eq!(server.stats().c2s_processed, 1);
    // Last seen at 9 min: swept at the first 5-minute sweep more than 10 min later (at 20 min).
    sleep(Duration::from_secs(11 * 60 + 1)).await;
    send_c2s_once(&mut alice).await;
    assert_eq!(server.stats().c2s_processed, 2);
    server.shutdown().await;
}

/// Sends the C2S message with fingerprint `f1` and expects its acknowledgement.
async fn send_c2s_once(alice: &mut Client) {
    alice.send(c2s("alice", "once", "f1")).await;
    assert_eq!(alice.recv().await, server_ack("0", "alice", "f1"));
}
