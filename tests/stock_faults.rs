//! docs/client-behaviour.md §10: one test per known fault of the stock clients, showing that ours
//! does not have it.

mod sim;

use mobileimsdk_wasm::core::{Client, Config, ConnectionState, Event, Output, SeededRandom};
use mobileimsdk_wasm::protocol::{error_code, ProtocalType, SenseMode};
use sim::{frame_type, login_info, Item, Verdict, World, URL};

#[test]
fn fault_01_a_send_on_a_closed_socket_is_never_ok_and_dropped() {
    let mut w = World::new(1);
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.login_and_wait(alice);
    w.login_and_wait(bob);
    w.set_network(alice, false);
    // Plain data: refused with 201, not "OK".
    let err = w.send_text(alice, "bob", "plain", false).unwrap_err();
    assert_eq!(err.code(), error_code::BREOKEN_CONNECT_TO_SERVER);
    // QoS data: accepted, and really delivered once the link is back.
    let fp = w.send_qos(alice, "bob", "kept");
    w.run_for(5_000);
    w.set_network(alice, true);
    w.run_for(1_000);
    let got: Vec<_> = w.data(bob).into_iter().map(|p| p.data_content).collect();
    assert_eq!(got, [Some("kept".to_owned())]);
    assert_eq!(w.received(alice), [fp]);
}

#[test]
fn fault_02_sending_while_disconnected_opens_no_socket() {
    let mut w = World::new(2);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.set_network(alice, false);
    for i in 0..200 {
        w.run_for(137);
        let opened = w.sockets_opened(alice);
        let _ = w.send_text(alice, "bob", &format!("{i}"), i % 2 == 0);
        assert_eq!(w.sockets_opened(alice), opened, "send #{i} opened a socket");
    }
    assert_eq!(w.clients[alice].max_live_sockets, 1);
    // Only the backoff timer opened sockets: far fewer than the sends.
    assert!(w.sockets_opened(alice) < 10, "{}", w.sockets_opened(alice));
}

#[test]
fn fault_03_a_token_rejected_on_reconnect_ends_in_auth_failed_with_one_report() {
    let mut w = World::new(3);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.set_verdict("alice", Verdict::Reject(1025));
    w.cut(alice);
    w.run_for(5 * 60 * 1000);
    let failures = w.count(alice, |e| matches!(e, Event::LoginFailed { .. }));
    assert_eq!(failures, 1, "one report, not one every 3 s");
    assert_eq!(
        w.count(alice, |e| *e
            == Event::LoginFailed {
                is_reconnect: true,
                code: 1025
            }),
        1
    );
    assert_eq!(w.sockets_opened(alice), 2, "no retry loop");
    assert_eq!(w.state(alice), ConnectionState::AuthFailed);
}

#[test]
fn fault_04_a_failed_first_connect_is_reported_and_a_silent_one_times_out() {
    // Refused socket: reported with 202.
    let mut w = World::new(4);
    w.server_accepting = false;
    let alice = w.add_client("alice");
    w.login(alice);
    w.run_for(1_000);
    assert_eq!(
        w.events(alice)
            .into_iter()
            .filter(|e| matches!(e, Event::LoginFailed { .. }))
            .collect::<Vec<_>>(),
        [Event::LoginFailed {
            is_reconnect: false,
            code: error_code::BAD_CONNECT_TO_SERVER
        }]
    );
    // Open socket, no reply: reported with 207 after the 10 s login timeout.
    let mut w = World::new(4);
    w.set_verdict("alice", Verdict::Ignore);
    let alice = w.add_client("alice");
    w.login(alice);
    w.run_for(60_000);
    let failed_at = w.times_of(alice, |e| matches!(e, Event::LoginFailed { .. }));
    assert_eq!(failed_at, [10_000]);
    assert_eq!(
        w.count(alice, |e| *e
            == Event::LoginFailed {
                is_reconnect: false,
                code: error_code::LOGIN_TIMEOUT
            }),
        1
    );
}

#[test]
fn fault_05_duplicate_or_unknown_acks_never_report_delivered_again() {
    let mut w = World::new(5);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let ack = |fp: &str| {
        format!(
            r#"{{"bridge":false,"type":4,"dataContent":"{fp}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}}"#
        )
    };
    let delivered = w.send_qos(alice, "0", "a");
    let lost = w.send_qos(alice, "nobody", "b");
    w.run_for(20_000);
    assert_eq!(w.received(alice), std::slice::from_ref(&delivered));
    assert_eq!(w.lost(alice).len(), 1);
    for fp in [&delivered, &delivered, &lost, &"unknown".to_owned()] {
        w.write_raw("alice", &ack(fp));
    }
    w.run_for(1_000);
    assert_eq!(w.received(alice), [delivered], "no second 'delivered'");
    assert_eq!(w.lost(alice).len(), 1);
}

#[test]
fn fault_06_in_flight_messages_are_reported_lost_on_logout_and_on_kick_out() {
    let mut w = World::new(6);
    let leaving = w.add_client("alice");
    let kicked = w.add_client("bob");
    let other_device = w.add_client("bob");
    w.login_and_wait(leaving);
    w.login_and_wait(kicked);
    for id in [leaving, kicked] {
        w.send_text(id, "nobody", "in flight", true).unwrap();
        w.set_network(id, false);
        w.send_text(id, "nobody", "queued", true).unwrap();
        w.set_network(id, true);
        w.run_for(10);
    }
    w.logout(leaving);
    w.login_and_wait(other_device);
    w.run_for(100);
    assert_eq!(w.state(kicked), ConnectionState::Kicked);
    for id in [leaving, kicked] {
        let lost: Vec<String> = w
            .lost(id)
            .into_iter()
            .map(|l| l.message().data_content.unwrap())
            .collect();
        assert_eq!(lost, ["in flight", "queued"]);
        assert_eq!(w.client(id).pending_messages(), 0);
        sim::check::check_all_settled(&w, id).unwrap();
    }
}

#[test]
fn fault_07_a_13_s_outage_does_not_mark_messages_lost() {
    let mut w = World::new(7);
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.login_and_wait(alice);
    w.login_and_wait(bob);
    // The link dies silently with the message on it; the network is gone for 13 s.
    w.blackhole(alice, true);
    let fp = w.send_qos(alice, "bob", "patience");
    w.run_for(100);
    w.set_network(alice, false);
    w.run_for(12_900);
    w.set_network(alice, true);
    w.run_for(30_000);
    assert!(w.lost(alice).is_empty(), "{:?}", w.lost(alice));
    assert_eq!(w.received(alice), [fp]);
    assert_eq!(w.data(bob).len(), 1);
}

#[test]
fn fault_08_link_death_is_declared_at_its_deadline_not_at_the_next_ping_tick() {
    let mut w = World::new(8);
    let config = Config {
        sense_mode: SenseMode::Mode30s,
        ..Config::default()
    };
    let alice = w.add_client_with("alice", config);
    w.login_and_wait(alice);
    let online = w.now;
    w.blackhole(alice, true);
    w.run_for(40_000);
    // Ping ticks are at +30 s, +60 s …; the dead line is 35 s after the last frame.
    assert_eq!(
        w.times_of(alice, |e| *e == Event::Disconnected),
        [online + 35_000]
    );
}

#[test]
fn fault_08_frames_other_than_pong_count_as_liveness() {
    let mut w = World::new(8);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.drop_to_client(alice, |t| {
        frame_type(t) == Some(ProtocalType::RESPONSE_KEEP_ALIVE)
    });
    for _ in 0..20 {
        w.run_for(7_000);
        w.push("alice", "tick", true);
    }
    assert_eq!(w.count(alice, |e| *e == Event::Pong), 0);
    assert_eq!(w.count(alice, |e| *e == Event::Disconnected), 0);
    assert_eq!(w.sockets_opened(alice), 1);
}

#[test]
fn fault_09_echo_replies_unknown_types_and_bad_json_do_not_break_the_dispatcher() {
    let mut w = World::new(9);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let junk = [
        r#"{"bridge":false,"type":53,"dataContent":"echo","from":"alice","to":"0","QoS":false,"typeu":-1,"sm":0}"#,
        r#"{"bridge":false,"type":99,"dataContent":"?","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#,
        r#"{"bridge":false,"type":-7,"QoS":true,"fp":"odd-1"}"#,
        "{\"type\":2,",
        "<html>502 Bad Gateway</html>",
    ];
    for text in junk {
        w.inject_to_client(alice, Item::Text(text.into()));
    }
    w.push("alice", "after the junk", true);
    w.run_for(1_000);
    assert_eq!(w.count(alice, |e| matches!(e, Event::Echo(_))), 1);
    let got: Vec<_> = w.data(alice).into_iter().map(|p| p.data_content).collect();
    assert_eq!(got, [Some("after the junk".to_owned())]);
    w.run_for(30_000);
    assert_eq!(w.sockets_opened(alice), 1);
    assert!(w.client(alice).is_online());
}

#[test]
fn fault_10_no_event_needs_a_handler() {
    // The JS glue null-checks every callback; the core's part is that every event is a plain
    // value the host may ignore. A host that discards all of them still has a working session.
    let mut client = Client::new(Config::default(), Box::new(SeededRandom::new(10)));
    let mut written = Vec::new();
    let drain = |client: &mut Client, written: &mut Vec<String>| loop {
        match client.poll_output() {
            Output::Timeout(deadline) => return deadline,
            Output::Write { frame, .. } => {
                written.push(frame.text().expect("native frames have text").into_owned())
            }
            _ => {} // events dropped on the floor
        }
    };
    client.login(0, login_info("alice"), URL.into()).unwrap();
    drain(&mut client, &mut written);
    client.handle_socket_opened(10, 1);
    drain(&mut client, &mut written);
    client.handle_socket_text(
        20,
        1,
        r#"{"bridge":false,"type":50,"dataContent":"{\"code\":0,\"firstLoginTime\":1}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#,
    );
    drain(&mut client, &mut written);
    assert!(client.is_online());
    let fp = client
        .send(30, &sim::message("0", "x", true))
        .unwrap()
        .fp
        .unwrap()
        .to_string();
    drain(&mut client, &mut written);
    client.handle_socket_text(
        40,
        1,
        &format!(r#"{{"type":4,"dataContent":"{fp}","from":"0","to":"alice"}}"#),
    );
    drain(&mut client, &mut written);
    assert_eq!(client.pending_messages(), 0);
    let deadline = drain(&mut client, &mut written).unwrap();
    client.handle_timeout(deadline);
    drain(&mut client, &mut written);
    assert_eq!(
        frame_type(written.last().unwrap()),
        Some(ProtocalType::KEEP_ALIVE)
    );
}

#[test]
fn fault_11_events_from_an_old_socket_cannot_tear_down_the_new_connection() {
    let mut w = World::new(11);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let old = w.current_generation(alice).unwrap();
    // The old socket goes half-open; the client declares it dead and reconnects. The host then
    // reports the old socket's close late, and late frames from it trickle in.
    w.blackhole(alice, true);
    assert!(
        w.run_until_cond(20_000, |w| w.count(alice, |e| *e == Event::Reconnected)
            == 1)
    );
    let mark = w.mark(alice);
    let kick = r#"{"bridge":false,"type":54,"dataContent":"{\"code\":1}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#;
    let error = r#"{"bridge":false,"type":52,"dataContent":"{\"errorCode\":301,\"errorMsg\":\"x\"}","from":"0","to":"-1","QoS":false,"typeu":-1,"sm":-1}"#;
    w.drive(alice, |c, now| {
        c.handle_socket_text(now, old, error);
        c.handle_socket_text(now, old, kick);
        c.handle_socket_closed(now, old);
        c.handle_socket_opened(now, old);
    });
    w.run_for(30_000);
    assert!(w
        .events_since(alice, mark)
        .iter()
        .all(|e| matches!(e, Event::Ping | Event::Pong)));
    assert!(w.client(alice).is_online());
    assert_eq!(w.sockets_opened(alice), 2);
}

#[test]
fn fault_12_the_login_info_is_kept_not_mutated_or_cleared_while_the_session_needs_it() {
    let mut w = World::new(12);
    let alice = w.add_client("alice");
    w.clients[alice].info.extra = Some("{\"v\":1}".into());
    let given = w.clients[alice].info.clone();
    w.login_and_wait(alice);
    let server_time = w.server.log.logins[0].answered_first_login_time;
    let expected = mobileimsdk_wasm::protocol::LoginInfo {
        first_login_time: server_time,
        ..given.clone()
    };
    assert_eq!(w.client(alice).login_info(), Some(&expected));
    for _ in 0..3 {
        w.cut(alice);
        // Long enough for the relogin to hold, so the next loss reconnects at once again.
        w.run_for(4_000);
        assert_eq!(w.client(alice).login_info(), Some(&expected));
    }
    w.kick("alice", 1);
    w.run_for(100);
    assert_eq!(w.state(alice), ConnectionState::Kicked);
    assert_eq!(
        w.client(alice).login_info(),
        Some(&expected),
        "not cleared by a kick"
    );
    // The first login went out as the app gave it; every relogin with the server's time.
    let sent: Vec<i64> = w
        .server
        .log
        .logins
        .iter()
        .map(|login| login.sent_first_login_time)
        .collect();
    assert_eq!(sent.len(), 4, "a first login and three relogins");
    assert_eq!(sent[0], given.first_login_time);
    assert!(
        sent[1..].iter().all(|&time| time == server_time),
        "{sent:?}"
    );
}
