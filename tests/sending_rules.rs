//! docs/client-behaviour.md §7: sending rules and limits.

mod sim;

use mobileimsdk_wasm::core::{Config, ConnectionState, Event, Level, SendError};
use mobileimsdk_wasm::protocol::{error_code, Protocal, ProtocalType};
use sim::{ClientId, Item, Verdict, World};

const EVERY_FIELD: [&str; 8] = [
    "bridge",
    "type",
    "dataContent",
    "from",
    "to",
    "fp",
    "QoS",
    "typeu",
];

fn error_logs_since(w: &World, id: usize, mark: usize) -> usize {
    w.clients[id].events[mark..]
        .iter()
        .filter(|(_, e)| {
            matches!(
                e,
                Event::Log {
                    level: Level::Error,
                    ..
                }
            )
        })
        .count()
}

#[test]
fn every_outgoing_frame_carries_every_field_the_server_reads() {
    let mut w = World::new(1);
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.login_and_wait(alice);
    w.login_and_wait(bob);
    w.send_text(alice, "bob", "c2c", true).unwrap();
    w.send_text(alice, "bob", "c2c plain", false).unwrap();
    w.send_text(alice, "0", "c2s", true).unwrap();
    w.send(
        alice,
        Protocal::new(ProtocalType::ECHO, Some("e".into()), "", "0"),
    )
    .unwrap();
    w.push("alice", "push", true);
    w.run_for(12_000);
    w.logout(alice);
    w.run_for(100);
    let mut kinds = std::collections::BTreeSet::new();
    for (_, _, text) in &w.clients[alice].frames_out {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let object = value.as_object().expect("a JSON object");
        for field in EVERY_FIELD {
            assert!(object.contains_key(field), "{field} missing in {text}");
        }
        assert!(object["from"].as_str() == Some("alice"), "{text}");
        kinds.insert(object["type"].as_i64().unwrap());
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [0, 1, 2, 3, 4, 5],
        "every kind of frame the client sends was checked"
    );
}

#[test]
fn an_empty_or_unset_from_is_filled_with_the_logged_in_uid() {
    let mut w = World::new(2);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    for from in ["", "-1"] {
        let mut message = sim::message("0", "x", false);
        message.from = from.into();
        w.send(alice, message).unwrap();
    }
    let froms: Vec<String> = w
        .frames_out(alice)
        .into_iter()
        .filter(|(_, p)| p.kind == ProtocalType::COMMON_DATA)
        .map(|(_, p)| p.from)
        .collect();
    assert_eq!(froms, ["alice", "alice"]);
}

#[test]
fn accepted_sends_return_ok_online_and_for_qos_offline() {
    let mut w = World::new(3);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    assert!(w.send_text(alice, "0", "online plain", false).is_ok());
    assert!(w.send_text(alice, "0", "online qos", true).is_ok());
    w.set_network(alice, false);
    assert!(w.send_text(alice, "0", "offline qos", true).is_ok());
    assert_eq!(w.client(alice).pending_messages(), 2);
}

#[test]
fn invalid_messages_are_refused_with_code_4() {
    let mut w = World::new(4);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let before = w.clients[alice].frames_out.len();
    for kind in [
        ProtocalType::LOGIN,
        ProtocalType::KEEP_ALIVE,
        ProtocalType::LOGOUT,
        ProtocalType::RECEIVED,
        ProtocalType::KICKOUT,
    ] {
        let err = w
            .send(alice, Protocal::new(kind, Some("x".into()), "alice", "0"))
            .unwrap_err();
        assert_eq!(
            err.code(),
            error_code::COMMON_INVALID_PROTOCAL,
            "type {kind}"
        );
    }
    let err = w.send_text(alice, "", "no receiver", true).unwrap_err();
    assert_eq!(err.code(), error_code::COMMON_INVALID_PROTOCAL);
    assert_eq!(w.clients[alice].frames_out.len(), before, "nothing written");
    assert_eq!(w.client(alice).pending_messages(), 0);
}

#[test]
fn a_non_qos_send_while_not_online_is_refused_with_201_and_not_written() {
    let mut w = World::new(5);
    let alice = w.add_client("alice");
    let err = w.send_text(alice, "0", "before login", false).unwrap_err();
    assert_eq!(err.code(), error_code::BREOKEN_CONNECT_TO_SERVER);
    w.login_and_wait(alice);
    w.set_network(alice, false);
    let err = w.send_text(alice, "0", "offline", false).unwrap_err();
    assert_eq!(err, SendError::NotConnected);
    assert_eq!(err.code(), 201);
    w.set_network(alice, true);
    w.run_for(5_000);
    assert!(
        w.server.log.c2s_processed.is_empty(),
        "nothing was sent later"
    );
}

#[test]
fn a_frame_over_65536_bytes_is_refused_with_206() {
    let mut w = World::new(6);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let probe = sim::message("0", "", false);
    let mut with_from = probe.clone();
    with_from.from = "alice".into();
    let overhead = with_from.encode().len();
    let fits = "a".repeat(65_536 - overhead);
    assert!(
        w.send_text(alice, "0", &fits, false).is_ok(),
        "exactly 65 536 bytes"
    );
    let too_big = "a".repeat(65_536 - overhead + 1);
    let err = w.send_text(alice, "0", &too_big, false).unwrap_err();
    assert_eq!(err.code(), error_code::DATA_TOO_LARGE);
    let err = w.send_text(alice, "0", &too_big, true).unwrap_err();
    assert_eq!(err.code(), error_code::DATA_TOO_LARGE);
    assert_eq!(w.client(alice).pending_messages(), 0);
    w.run_for(1_000);
    assert_eq!(w.server.log.c2s_processed.len(), 1);
    assert!(
        w.server.log.closes.is_empty(),
        "the server never saw an oversized frame"
    );
}

#[test]
fn malformed_inbound_frames_are_dropped_with_an_error_log_and_the_session_kept() {
    let mut w = World::new(7);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let deep = format!(
        r#"{{"type":2,"dataContent":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let deep_top = format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let over_limit = format!(
        r#"{{"type":2,"dataContent":"{}","from":"bob","to":"alice"}}"#,
        "x".repeat(1 << 20)
    );
    let bad: Vec<Item> = vec![
        Item::Text(over_limit),
        Item::Bytes(vec![0x7b, 0xff, 0xfe, 0x7d]),
        Item::Text("not json at all".into()),
        Item::Text("null".into()),
        Item::Text("[1,2,3]".into()),
        // A kick-out written as an array (serde would read it by position): not a frame.
        Item::Text(r#"[false,54,"{\"code\":1}","0","alice"]"#.into()),
        Item::Text(
            r#"{"type":2,"dataContent":{"text":"object"},"from":"bob","to":"alice"}"#.into(),
        ),
        Item::Text(r#"{"type":"2","dataContent":"x"}"#.into()),
        Item::Text(deep),
        Item::Text(deep_top),
        Item::Text(r#"{"type":50,"dataContent":"not json inside"}"#.into()),
        Item::Text(String::new()),
    ];
    let count = bad.len();
    let mark = w.mark(alice);
    for item in bad {
        w.inject_to_client(alice, item);
    }
    w.run_for(1_000);
    // Every frame but the login reply outside a login (ignored at debug level) is an error.
    assert_eq!(error_logs_since(&w, alice, mark), count - 1);
    assert!(w.data(alice).is_empty());
    w.run_for(30_000);
    assert_eq!(w.count(alice, |e| *e == Event::Disconnected), 0);
    assert_eq!(w.sockets_opened(alice), 1);
    assert_eq!(w.state(alice), ConnectionState::Online);
}

#[test]
fn inbound_frames_up_to_the_limit_are_accepted_as_text_or_bytes() {
    let mut w = World::new(8);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let frame = |content: &str| {
        format!(r#"{{"type":2,"dataContent":"{content}","from":"bob","to":"alice","QoS":false}}"#)
    };
    let overhead = frame("").len();
    let limit = Config::default().max_inbound_bytes;
    w.inject_to_client(alice, Item::Text(frame(&"y".repeat(limit - overhead))));
    w.inject_to_client(alice, Item::Bytes(frame("as bytes").into_bytes()));
    // Deep nesting in a field the client ignores is valid JSON and costs no stack.
    let deep = format!(
        r#"{{"type":2,"dataContent":"deep","from":"bob","to":"alice","future":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    w.inject_to_client(alice, Item::Text(deep));
    w.run_for(100);
    assert_eq!(w.data(alice).len(), 3);
}

#[test]
fn fingerprints_are_unique_uuid_v4_by_default() {
    let mut w = World::new(9);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let mut fps = std::collections::HashSet::new();
    for i in 0..200 {
        let fp = w
            .send_text(alice, "0", &format!("{i}"), true)
            .unwrap()
            .fp
            .unwrap()
            .to_string();
        let bytes = fp.as_bytes();
        assert_eq!(fp.len(), 36, "{fp}");
        for (index, byte) in bytes.iter().enumerate() {
            match index {
                8 | 13 | 18 | 23 => assert_eq!(*byte, b'-', "{fp}"),
                14 => assert_eq!(*byte, b'4', "{fp}"),
                19 => assert!(b"89ab".contains(byte), "{fp}"),
                _ => assert!(
                    byte.is_ascii_hexdigit() && !byte.is_ascii_uppercase(),
                    "{fp}"
                ),
            }
        }
        assert!(fps.insert(fp));
    }
}

/// A world (from `seed`) with alice online, sending with `length`-character alphanumeric ids.
fn alice_with_id_length(seed: u64, length: usize) -> (World, ClientId) {
    let mut w = World::new(seed);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.drive(alice, |c, _| c.set_fingerprint_length(Some(length)));
    (w, alice)
}

#[test]
fn a_message_id_length_switches_to_alphanumeric_ids_of_that_length() {
    let (mut w, alice) = alice_with_id_length(10, 12);
    let mut fps = std::collections::HashSet::new();
    for i in 0..100 {
        let fp = w
            .send_text(alice, "0", &format!("{i}"), true)
            .unwrap()
            .fp
            .unwrap()
            .to_string();
        assert_eq!(fp.len(), 12);
        assert!(fp.bytes().all(|b| b.is_ascii_alphanumeric()), "{fp}");
        assert!(fps.insert(fp));
    }
    w.run_for(1_000);
    assert_eq!(w.received(alice).len(), 100);
    w.drive(alice, |c, _| c.set_fingerprint_length(None));
    let fp = w.send_text(alice, "0", "uuid", true).unwrap().fp.unwrap();
    assert_eq!(fp.len(), 36);
}

#[test]
fn short_message_ids_are_never_those_of_pending_messages() {
    let (mut w, alice) = alice_with_id_length(12, 1);
    // Sent without running the world: no ack arrives, every message stays pending.
    let mut fps = std::collections::HashSet::new();
    let refused = loop {
        match w.send_text(alice, "0", "x", true) {
            Ok(receipt) => assert!(fps.insert(receipt.fp.unwrap()), "a pending id reused"),
            Err(err) => break err,
        }
    };
    // 62 one-character ids: a send is refused once its draws keep hitting pending ones.
    assert!((40..=62).contains(&fps.len()), "{} accepted", fps.len());
    assert!(matches!(refused, SendError::Invalid(_)), "{refused:?}");
    w.run_for(1_000);
    assert_eq!(w.client(alice).pending_messages(), 0);
    assert!(w.send_text(alice, "0", "after the acks", true).is_ok());
}

#[test]
fn the_login_token_never_appears_in_a_log_line() {
    const SECRET: &str = "s3cr3t-T0KEN-do-not-log";
    let mut w = World::new(11);
    let config = Config {
        debug_logs: true,
        ..Config::default()
    };
    let alice = w.add_client_with("alice", config);
    w.clients[alice].info.login_token = Some(SECRET.into());
    w.clients[alice].info.extra = Some("extra-info".into());
    // Every login path: first login timeout, success, reconnect, rejection, kick, logout.
    w.set_verdict("alice", Verdict::Ignore);
    w.login(alice);
    w.run_for(12_000);
    w.set_verdict("alice", Verdict::Accept);
    assert!(w.run_until_cond(30_000, |w| w.client(alice).is_online()));
    w.send_text(alice, "nobody", "x", true).unwrap();
    w.cut(alice);
    w.run_for(20_000);
    w.set_verdict("alice", Verdict::Reject(1025));
    w.cut(alice);
    w.run_for(1_000);
    assert_eq!(w.state(alice), ConnectionState::AuthFailed);
    w.set_verdict("alice", Verdict::Accept);
    w.login_and_wait(alice);
    w.kick("alice", 1);
    w.run_for(100);
    w.login_and_wait(alice);
    w.logout(alice);
    let logs: Vec<&String> = w.clients[alice]
        .events
        .iter()
        .filter_map(|(_, e)| match e {
            Event::Log { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert!(
        w.clients[alice].events.iter().any(|(_, e)| matches!(
            e,
            Event::Log {
                level: Level::Debug,
                ..
            }
        )),
        "debug logging was on"
    );
    for line in logs {
        assert!(!line.contains(SECRET), "token in log line: {line}");
    }
    let info = w.client(alice).login_info().cloned();
    assert!(!format!("{info:?}").contains(SECRET), "Debug of LoginInfo");
    // The token did go to the server, of course.
    assert!(w.clients[alice]
        .frames_out
        .iter()
        .any(|(_, _, t)| t.contains(SECRET)));
}

#[test]
fn set_msg_id_length_takes_whole_numbers_above_zero_and_anything_else_means_uuid() {
    let mut w = World::new(13);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let fp_length = |w: &mut World, n: f64| {
        w.drive(alice, |c, _| c.set_msg_id_length(n));
        let receipt = w.send_text(alice, "0", "x", true).unwrap();
        receipt.fp.unwrap().len()
    };
    assert_eq!(fp_length(&mut w, 12.0), 12);
    assert_eq!(fp_length(&mut w, 128.0), 128);
    // Above the cap (§7), zero, negative, fractional and non-numbers: UUID v4.
    for n in [129.0, 1e9, 0.0, -3.0, 2.5, f64::NAN, f64::INFINITY] {
        assert_eq!(fp_length(&mut w, 12.0), 12);
        assert_eq!(fp_length(&mut w, n), 36, "setMsgIdLength({n})");
    }
}
