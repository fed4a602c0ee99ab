//! docs/client-behaviour.md §2: keep-alive and link loss.

mod sim;

use mobileimsdk_wasm::core::{Config, ConnectionState, Event, Level, LogTopic};
use mobileimsdk_wasm::protocol::{ProtocalType, SenseMode};
use sim::{frame_type, CloseReason, World};

fn online_at(w: &World, id: usize) -> u64 {
    w.times_of(id, |e| *e == Event::StateChanged(ConnectionState::Online))[0]
}

#[test]
fn sense_modes_follow_the_stock_table_and_default_to_5s() {
    let table = [
        (1, 3_000, 5_000),
        (2, 5_000, 8_000),
        (3, 10_000, 15_000),
        (4, 15_000, 20_000),
        (5, 30_000, 35_000),
        (6, 60_000, 65_000),
        (7, 120_000, 125_000),
    ];
    for (code, ping, dead) in table {
        let mode = SenseMode::from_code(code).unwrap();
        assert_eq!(mode as i32, code);
        assert_eq!(
            (mode.ping_interval_ms(), mode.dead_after_ms()),
            (ping, dead)
        );
    }
    assert_eq!(SenseMode::from_code(0), None);
    assert_eq!(SenseMode::from_code(8), None);
    assert_eq!(Config::default().sense_mode, SenseMode::Mode5s);
}

#[test]
fn default_keep_alive_keeps_a_stock_server_from_closing_an_idle_session() {
    let mut w = World::new(1);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.run_for(10 * 60 * 1000);
    assert!(w.server.log.closes.is_empty(), "{:?}", w.server.log.closes);
    assert_eq!(w.sockets_opened(alice), 1);
    assert_eq!(w.count(alice, |e| *e == Event::Disconnected), 0);
}

#[test]
fn a_sense_mode_slower_than_the_server_idle_close_loses_the_link_and_recovers() {
    // The server closes after 11 s of silence; 15 s pings cannot keep it open.
    let mut w = World::new(2);
    let config = Config {
        sense_mode: SenseMode::Mode15s,
        ..Config::default()
    };
    let alice = w.add_client_with("alice", config);
    w.login_and_wait(alice);
    w.run_for(12_000);
    assert!(w.server.log.closes.iter().any(|c| c.2 == CloseReason::Idle));
    assert_eq!(w.count(alice, |e| *e == Event::Disconnected), 1);
    assert!(w.run_until_cond(2_000, |w| w.client(alice).is_online()));
}

#[test]
fn first_ping_is_one_interval_after_login_then_every_interval() {
    let mut w = World::new(3);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let online = online_at(&w, alice);
    w.run_for(30_000);
    let pings = w.sent_times(alice, ProtocalType::KEEP_ALIVE);
    let expected: Vec<u64> = (1..=6).map(|k| online + k * 5_000).collect();
    assert_eq!(pings[..6], expected[..]);
}

#[test]
fn ping_follows_the_chosen_sense_mode() {
    let mut w = World::new(4);
    let config = Config {
        sense_mode: SenseMode::Mode3s,
        ..Config::default()
    };
    let alice = w.add_client_with("alice", config);
    w.login_and_wait(alice);
    let online = online_at(&w, alice);
    w.run_for(10_000);
    let pings = w.sent_times(alice, ProtocalType::KEEP_ALIVE);
    assert_eq!(pings[..3], [online + 3_000, online + 6_000, online + 9_000]);
}

#[test]
fn inbound_data_counts_as_liveness_when_pongs_are_lost() {
    let mut w = World::new(5);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.drop_to_client(alice, |text| {
        frame_type(text) == Some(ProtocalType::RESPONSE_KEEP_ALIVE)
    });
    for i in 0..30 {
        w.push("alice", &format!("news {i}"), false);
        w.run_for(4_000);
    }
    assert_eq!(
        w.count(alice, |e| *e == Event::Pong),
        0,
        "every pong was dropped"
    );
    assert!(
        w.sent_times(alice, ProtocalType::KEEP_ALIVE).len() >= 20,
        "pings went on"
    );
    assert_eq!(w.count(alice, |e| *e == Event::Disconnected), 0);
    assert_eq!(w.sockets_opened(alice), 1);
    assert_eq!(w.data(alice).len(), 30);
}

#[test]
fn link_death_is_declared_dead_after_ms_after_the_last_inbound_frame() {
    let mut w = World::new(6);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    // Let one ping/pong pass, then the link goes silent between two pings.
    w.run_for(6_000);
    let last_pong = *w.times_of(alice, |e| *e == Event::Pong).last().unwrap();
    w.blackhole(alice, true);
    w.run_for(20_000);
    let lost = w.times_of(alice, |e| *e == Event::Disconnected);
    assert_eq!(lost, [last_pong + 8_000]);
}

#[test]
fn ping_event_for_each_ping_written_and_pong_event_for_each_reply() {
    let mut w = World::new(7);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.run_for(60_000);
    // An unsolicited type 51 is a pong too.
    w.write_raw(
        "alice",
        r#"{"bridge":false,"type":51,"dataContent":"{}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#,
    );
    w.run_for(100);
    let pings = w.sent_times(alice, ProtocalType::KEEP_ALIVE);
    assert_eq!(w.count(alice, |e| *e == Event::Ping), pings.len());
    assert_eq!(pings.len(), 12);
    let replies = w
        .server
        .log
        .inbound
        .iter()
        .filter(|(_, _, t)| frame_type(t) == Some(ProtocalType::KEEP_ALIVE))
        .count();
    assert_eq!(w.count(alice, |e| *e == Event::Pong), replies + 1);
}

#[test]
fn link_loss_closes_the_socket_reports_disconnected_once_and_reconnects() {
    let mut w = World::new(8);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let dead = w.current_generation(alice).unwrap();
    let mark = w.mark(alice);
    w.blackhole(alice, true);
    assert!(
        w.run_until_cond(20_000, |w| w.count(alice, |e| *e == Event::Reconnected)
            == 1)
    );
    assert!(
        w.clients[alice].closes.iter().any(|(_, g)| *g == dead),
        "the dead socket was closed"
    );
    let events = w.events_since(alice, mark);
    assert_eq!(
        events.iter().filter(|e| **e == Event::Disconnected).count(),
        1
    );
    let states: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::StateChanged(s) => Some(*s),
            _ => None,
        })
        .collect();
    assert_eq!(
        states,
        [
            ConnectionState::Reconnecting,
            ConnectionState::Connecting,
            ConnectionState::LoggingIn,
            ConnectionState::Online
        ]
    );
    // Disconnected comes before the reconnect begins.
    let disconnected = events.iter().position(|e| *e == Event::Disconnected);
    let reconnecting = events
        .iter()
        .position(|e| *e == Event::StateChanged(ConnectionState::Reconnecting));
    assert!(disconnected < reconnecting);
}

#[test]
fn socket_closed_by_the_server_while_online_is_a_link_loss() {
    let mut w = World::new(9);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.cut(alice);
    assert!(w.run_until_cond(1_000, |w| w.count(alice, |e| *e == Event::Reconnected) == 1));
    assert_eq!(w.count(alice, |e| *e == Event::Disconnected), 1);
}

#[test]
fn network_down_while_online_is_a_link_loss() {
    let mut w = World::new(10);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let at = w.now;
    w.set_network(alice, false);
    assert_eq!(w.times_of(alice, |e| *e == Event::Disconnected), [at]);
    assert_ne!(w.state(alice), ConnectionState::Online);
    w.run_for(30_000);
    assert_eq!(
        w.count(alice, |e| *e == Event::Disconnected),
        1,
        "once per outage"
    );
    w.set_network(alice, true);
    assert!(w.run_until_cond(1_000, |w| w.client(alice).is_online()));
}

#[test]
fn app_shown_while_online_probes_the_link_with_a_ping() {
    let mut w = World::new(11);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.run_for(1_000);
    let before = w.sent_times(alice, ProtocalType::KEEP_ALIVE).len();
    w.handle_app_hidden(alice);
    w.handle_app_shown(alice);
    assert_eq!(
        w.sent_times(alice, ProtocalType::KEEP_ALIVE).len(),
        before + 1
    );
    assert!(w.client(alice).is_online());
}

/// The warning lines of client `id` about sense modes.
fn sense_mode_warnings(w: &World, id: usize) -> Vec<String> {
    w.clients[id]
        .events
        .iter()
        .map(|(_, e)| e.clone())
        .filter_map(|e| match e {
            Event::Log {
                level: Level::Warn,
                message,
                ..
            } if message.contains("sense mode") => Some(message),
            _ => None,
        })
        .collect()
}

#[test]
fn set_sense_mode_takes_the_stock_numbers_and_refuses_anything_else_with_a_warning() {
    let mut w = World::new(3);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    for number in (1..=7).rev() {
        assert!(w.drive(alice, |c, now| c
            .set_sense_mode_number(now, f64::from(number))));
        assert_eq!(w.client(alice).config().sense_mode as i32, number);
    }
    for refused in [0.0, 8.0, -1.0, 2.5, f64::NAN] {
        assert!(!w.drive(alice, |c, now| c.set_sense_mode_number(now, refused)));
        assert_eq!(w.client(alice).config().sense_mode, SenseMode::Mode3s);
    }
    assert_eq!(
        sense_mode_warnings(&w, alice),
        ["unknown sense mode ignored"; 5]
    );
    // The cadence still is the last mode taken: a ping every 3 s.
    let before = w.sent_times(alice, ProtocalType::KEEP_ALIVE).len();
    w.run_for(10_000);
    let pings = w.sent_times(alice, ProtocalType::KEEP_ALIVE);
    assert_eq!(pings.len(), before + 3);
    assert!(
        pings.windows(2).skip(before).all(|p| p[1] - p[0] == 3_000),
        "{pings:?}"
    );
}

#[test]
fn info_and_debug_lines_come_only_with_debug_logs_on() {
    let levels = |debug_logs: bool| {
        let mut w = World::new(4);
        let config = Config {
            debug_logs,
            ..Config::default()
        };
        let alice = w.add_client_with("alice", config);
        w.login_and_wait(alice);
        w.cut(alice);
        w.run_for(20_000);
        let mut levels: Vec<Level> = w.clients[alice]
            .events
            .iter()
            .map(|(_, e)| e.clone())
            .filter_map(|e| match e {
                Event::Log { level, .. } => Some(level),
                _ => None,
            })
            .collect();
        levels.sort();
        levels.dedup();
        levels
    };
    assert!(levels(true).contains(&Level::Info));
    let quiet = levels(false);
    assert!(quiet.contains(&Level::Warn), "{quiet:?}");
    assert!(quiet.iter().all(|level| *level >= Level::Warn), "{quiet:?}");
}

#[test]
fn sdk_lines_follow_the_sdk_switch_and_heartbeat_lines_need_both_switches() {
    // (topic, message) of every debug line of a session that logs in, pings and loses its link.
    let lines = |sdk_logs: bool, heartbeat_logs: bool| {
        let mut w = World::new(4);
        let config = Config {
            sdk_logs,
            heartbeat_logs,
            ..Config::default()
        };
        let alice = w.add_client_with("alice", config);
        w.login_and_wait(alice);
        w.run_for(6_000);
        w.cut(alice);
        w.run_for(1_000);
        w.clients[alice]
            .events
            .iter()
            .filter_map(|(_, e)| match e {
                Event::Log {
                    level: Level::Debug,
                    topic,
                    message,
                } => Some((*topic, message.clone())),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let has = |lines: &[(LogTopic, String)], topic: LogTopic, text: &str| {
        lines.iter().any(|(t, m)| *t == topic && m == text)
    };

    assert_eq!(lines(false, false), []);
    assert_eq!(
        lines(false, true),
        [],
        "the PingPong switch alone shows nothing"
    );

    let sdk = lines(true, false);
    for text in [
        "socket #1 connecting",
        "state: connecting",
        "state: online",
        "socket #1 closed",
    ] {
        assert!(has(&sdk, LogTopic::Sdk, text), "{text}: {sdk:?}");
    }
    assert!(
        sdk.iter().all(|(topic, _)| *topic == LogTopic::Sdk),
        "{sdk:?}"
    );

    let both = lines(true, true);
    assert!(has(&both, LogTopic::Heartbeat, "ping sent"), "{both:?}");
    assert!(has(&both, LogTopic::Heartbeat, "pong received"), "{both:?}");
}
