//! docs/client-behaviour.md §1: one connection state machine — one socket at a time, generations,
//! what "online" means, the first-login timeout and auth failure.

mod sim;

use mobileimsdk_wasm::core::{ConnectionState, Event, SendError};
use mobileimsdk_wasm::protocol::error_code;
use sim::{LinkFaults, Verdict, World};

fn login_failures(w: &World, id: usize) -> Vec<(bool, i32)> {
    w.events(id)
        .into_iter()
        .filter_map(|e| match e {
            Event::LoginFailed { is_reconnect, code } => Some((is_reconnect, code)),
            _ => None,
        })
        .collect()
}

#[test]
fn login_walks_connecting_logging_in_online() {
    let mut w = World::new(1);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    assert_eq!(
        w.states(alice),
        [
            ConnectionState::Connecting,
            ConnectionState::LoggingIn,
            ConnectionState::Online
        ]
    );
    assert_eq!(w.count(alice, |e| *e == Event::LoginSucceeded), 1);
    assert!(w.client(alice).is_logged_in());
    assert!(w.server.is_online("alice"));
}

#[test]
fn only_one_socket_exists_through_repeated_link_losses_and_hints() {
    let mut w = World::new(2);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    for round in 0..20 {
        match round % 4 {
            0 => {
                w.cut(alice);
            }
            1 => {
                w.blackhole(alice, true);
            }
            2 => {
                w.set_network(alice, false);
                w.run_for(1_000);
                w.set_network(alice, true);
            }
            _ => {
                w.handle_app_shown(alice);
                w.cut(alice);
                w.handle_app_shown(alice);
            }
        }
        w.run_for(15_000);
        w.send_text(alice, "0", "still here", true).unwrap();
        w.handle_app_shown(alice);
    }
    assert!(w.run_until_cond(60_000, |w| w.client(alice).is_online()));
    assert_eq!(w.clients[alice].max_live_sockets, 1);
    assert!(w.sockets_opened(alice) > 10, "the scenario did reconnect");
    let generations: Vec<u64> = w.clients[alice].opens.iter().map(|(_, g)| *g).collect();
    assert!(
        generations.windows(2).all(|g| g[1] > g[0]),
        "each socket has a new generation: {generations:?}"
    );
    // The server, too, holds at most the current socket once the old ones timed out.
    w.run_for(12_000);
    assert_eq!(w.server.open_channels(), 1);
}

#[test]
fn sockets_are_opened_only_by_login_reconnect_and_hints_never_by_sending() {
    let mut w = World::new(3);
    let alice = w.add_client("alice");
    // Before login, sending opens nothing.
    assert_eq!(
        w.send_text(alice, "bob", "hi", true),
        Err(SendError::NotConnected)
    );
    assert_eq!(w.sockets_opened(alice), 0);
    w.login_and_wait(alice);
    assert_eq!(w.sockets_opened(alice), 1);
    // Make reconnects fail so the client sits in its backoff.
    w.server_accepting = false;
    w.cut(alice);
    w.run_for(5_000);
    let opened = w.sockets_opened(alice);
    assert_eq!(w.state(alice), ConnectionState::Reconnecting);
    for i in 0..20 {
        w.send_text(alice, "bob", &format!("queued {i}"), true)
            .unwrap();
        w.run_for(10);
    }
    assert_eq!(w.sockets_opened(alice), opened, "sending opened a socket");
    // A hint does open one, at once.
    w.server_accepting = true;
    let before = w.now;
    w.handle_app_shown(alice);
    assert_eq!(w.sockets_opened(alice), opened + 1);
    assert_eq!(w.clients[alice].opens.last().unwrap().0, before);
}

#[test]
fn events_of_an_older_socket_are_ignored() {
    let mut w = World::new(4);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let old = w.current_generation(alice).unwrap();
    w.cut(alice);
    assert!(
        w.run_until_cond(5_000, |w| w.current_generation(alice) != Some(old)
            && w.client(alice).is_online())
    );
    let mark = w.mark(alice);
    let kick = r#"{"bridge":false,"type":54,"dataContent":"{\"code\":1}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#;
    let data = r#"{"bridge":false,"type":2,"dataContent":"stale","from":"bob","to":"alice","fp":"f-1","QoS":true,"typeu":0,"sm":0}"#;
    let sent_before = w.clients[alice].frames_out.len();
    w.drive(alice, |c, now| {
        c.handle_socket_text(now, old, kick);
        c.handle_socket_text(now, old, data);
        c.handle_socket_bytes(now, old, data.as_bytes());
        c.handle_socket_opened(now, old);
        c.handle_socket_closed(now, old);
    });
    assert!(w.events_since(alice, mark).is_empty());
    assert_eq!(
        w.clients[alice].frames_out.len(),
        sent_before,
        "no ack on a stale socket"
    );
    assert_eq!(w.state(alice), ConnectionState::Online);
}

#[test]
fn socket_open_alone_is_not_online() {
    let mut w = World::new(5);
    w.set_verdict("alice", Verdict::Ignore);
    let alice = w.add_client("alice");
    w.login(alice);
    w.run_for(2_000);
    assert_eq!(w.state(alice), ConnectionState::LoggingIn);
    assert!(!w.client(alice).is_online());
    assert!(!w.client(alice).is_logged_in());
    assert_eq!(
        w.send_text(alice, "bob", "not yet", false),
        Err(SendError::NotConnected)
    );
    // A QoS message waits instead of being written on the unauthenticated socket.
    w.send_text(alice, "bob", "later", true).unwrap();
    w.run_for(1_000);
    assert_eq!(w.sent_times(alice, 2).len(), 0);
    assert_eq!(w.count(alice, |e| *e == Event::LoginSucceeded), 0);
}

#[test]
fn a_login_reply_on_an_older_socket_does_not_make_the_client_online() {
    let mut w = World::new(6);
    w.set_verdict("alice", Verdict::Ignore);
    let alice = w.add_client("alice");
    w.login(alice);
    w.run_for(1_000);
    let first = w.current_generation(alice).unwrap();
    // The app logs in again: a new socket replaces the first.
    w.login(alice);
    w.run_for(1_000);
    let reply = r#"{"bridge":false,"type":50,"dataContent":"{\"code\":0,\"firstLoginTime\":1795676203175}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#;
    w.drive(alice, |c, now| c.handle_socket_text(now, first, reply));
    assert_eq!(w.state(alice), ConnectionState::LoggingIn);
    let second = w.current_generation(alice).unwrap();
    w.drive(alice, |c, now| c.handle_socket_text(now, second, reply));
    assert_eq!(w.state(alice), ConnectionState::Online);
}

#[test]
fn first_login_without_reply_fails_once_after_the_login_timeout_and_keeps_retrying() {
    let mut w = World::new(7);
    w.set_verdict("alice", Verdict::Ignore);
    let alice = w.add_client("alice");
    w.login(alice);
    w.run_for(9_999);
    assert!(
        login_failures(&w, alice).is_empty(),
        "failed before the timeout"
    );
    w.run_for(1);
    assert_eq!(
        login_failures(&w, alice),
        [(false, error_code::LOGIN_TIMEOUT)]
    );
    w.run_for(90_000);
    assert_eq!(login_failures(&w, alice).len(), 1, "reported once only");
    let attempts = w.sockets_opened(alice);
    assert!(attempts >= 4, "kept retrying: {attempts} attempts");
    // Once the server answers, the session gets online as a first login.
    w.set_verdict("alice", Verdict::Accept);
    assert!(w.run_until_cond(60_000, |w| w.client(alice).is_online()));
    assert_eq!(w.count(alice, |e| *e == Event::LoginSucceeded), 1);
    assert_eq!(w.count(alice, |e| *e == Event::Reconnected), 0);
}

#[test]
fn first_login_retries_back_off_like_reconnects() {
    let mut w = World::new(8);
    w.set_verdict("alice", Verdict::Ignore);
    let alice = w.add_client("alice");
    w.login(alice);
    w.run_for(200_000);
    let opens: Vec<u64> = w.clients[alice].opens.iter().map(|(t, _)| *t).collect();
    // Each attempt lasts the 10 s login timeout; then the next one comes immediately, then
    // after 3 s, 6 s, 12 s … capped at 30 s, each ±20 %.
    let pauses: Vec<u64> = opens.windows(2).map(|p| p[1] - p[0] - 10_000).collect();
    let nominal = [0, 3_000, 6_000, 12_000, 24_000, 30_000, 30_000];
    assert!(pauses.len() >= nominal.len(), "{pauses:?}");
    for (pause, nominal) in pauses.iter().zip(nominal) {
        assert!(
            (nominal * 8 / 10..=nominal * 12 / 10).contains(pause),
            "pause {pause} is not {nominal} ± 20 %: {pauses:?}"
        );
    }
}

#[test]
fn first_login_to_an_unreachable_server_fails_once_with_202() {
    let mut w = World::new(9);
    w.server_accepting = false;
    let alice = w.add_client("alice");
    w.login(alice);
    w.run_for(60_000);
    assert_eq!(
        login_failures(&w, alice),
        [(false, error_code::BAD_CONNECT_TO_SERVER)]
    );
    assert!(w.sockets_opened(alice) >= 3);
}

#[test]
fn first_login_retries_stop_when_the_app_logs_out() {
    let mut w = World::new(10);
    w.set_verdict("alice", Verdict::Ignore);
    let alice = w.add_client("alice");
    w.login(alice);
    w.run_for(25_000);
    w.logout(alice);
    let attempts = w.sockets_opened(alice);
    w.run_for(120_000);
    assert_eq!(w.sockets_opened(alice), attempts);
    assert_eq!(w.state(alice), ConnectionState::LoggedOut);
}

#[test]
fn rejected_first_login_ends_in_auth_failed_without_retrying() {
    let mut w = World::new(11);
    w.set_verdict("alice", Verdict::Reject(1025));
    let alice = w.add_client("alice");
    w.login(alice);
    w.run_for(120_000);
    assert_eq!(login_failures(&w, alice), [(false, 1025)]);
    assert_eq!(w.state(alice), ConnectionState::AuthFailed);
    assert_eq!(w.sockets_opened(alice), 1, "no retry loop");
    assert_eq!(w.count(alice, |e| *e == Event::Disconnected), 0);
    // The app logs in again with new credentials.
    w.set_verdict("alice", Verdict::Accept);
    w.clients[alice].info.login_token = Some("fresh-token".into());
    w.login_and_wait(alice);
    assert_eq!(w.count(alice, |e| *e == Event::LoginSucceeded), 1);
}

#[test]
fn login_survives_a_slow_link_within_the_timeout() {
    let mut w = World::new(12);
    let alice = w.add_client("alice");
    w.set_faults(alice, LinkFaults::delayed(2_000));
    w.login(alice);
    assert!(w.run_until_cond(9_000, |w| w.client(alice).is_online()));
    assert!(login_failures(&w, alice).is_empty());
}

#[test]
fn a_login_without_user_id_is_refused_with_4_and_one_without_url_with_205_changing_nothing() {
    use mobileimsdk_wasm::core::{Client, Config, Output, SeededRandom};
    use mobileimsdk_wasm::protocol::LoginInfo;

    /// The code of a refused login; it produced nothing.
    fn refused(client: &mut Client, user_id: &str, url: &str) -> i32 {
        let info = LoginInfo {
            login_user_id: user_id.into(),
            login_token: None,
            extra: None,
            first_login_time: 0,
        };
        let code = client.login(5, info, url.into()).unwrap_err().code();
        let output = client.poll_output();
        assert!(matches!(output, Output::Timeout(_)), "{output:?}");
        code
    }
    let mut idle = Client::new(Config::default(), Box::new(SeededRandom::new(1)));
    assert_eq!(refused(&mut idle, "", "ws://127.0.0.1/"), 4);
    assert_eq!(refused(&mut idle, "u1", ""), 205);
    assert_eq!(
        refused(&mut idle, "", ""),
        4,
        "the user id is checked first"
    );
    assert_eq!(idle.state(), ConnectionState::Idle);
    assert!(idle.login_info().is_none());

    // A session under way is kept.
    let mut online = sim::logged_in_client(2, "alice", 0);
    assert_eq!(refused(&mut online, "", "ws://127.0.0.1/"), 4);
    assert_eq!(refused(&mut online, "bob", ""), 205);
    assert_eq!(online.state(), ConnectionState::Online);
    assert_eq!(online.login_info().unwrap().login_user_id, "alice");
}
