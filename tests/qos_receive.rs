//! docs/client-behaviour.md §5: QoS — receiving.

mod sim;

use mobileimsdk_wasm::core::{
    Client, Config, ConnectionState, Event, FrameHandled, HostReply, Level, Outbound, Output,
};
use mobileimsdk_wasm::protocol::{Protocal, ProtocalRef, ProtocalType};
use sim::{frame_type, logged_in_client, LinkFaults, World};

fn acks_sent(w: &World, id: usize) -> Vec<Protocal> {
    w.frames_out(id)
        .into_iter()
        .filter(|(_, p)| p.kind == ProtocalType::RECEIVED)
        .map(|(_, p)| p)
        .collect()
}

fn data_frame(fp: &str, from: &str, to: &str, content: &str) -> String {
    format!(
        r#"{{"bridge":false,"type":2,"dataContent":"{content}","from":"{from}","to":"{to}","fp":"{fp}","QoS":true,"typeu":0,"sm":0}}"#
    )
}

#[test]
fn every_qos_frame_is_acked_with_its_fp_to_its_sender_duplicates_too() {
    let mut w = World::new(1);
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.login_and_wait(alice);
    w.login_and_wait(bob);
    w.set_faults(
        bob,
        LinkFaults {
            duplicate_per_mille: 1000,
            ..LinkFaults::CLEAN
        },
    );
    let c2c = w.send_qos(alice, "bob", "from alice");
    let push = w
        .push("bob", "from the server", true)
        .unwrap()
        .fp
        .unwrap()
        .to_string();
    w.run_for(1_000);
    let acks = acks_sent(&w, bob);
    let for_c2c: Vec<_> = acks
        .iter()
        .filter(|a| a.data_content.as_deref() == Some(c2c.as_str()))
        .collect();
    let for_push: Vec<_> = acks
        .iter()
        .filter(|a| a.data_content.as_deref() == Some(push.as_str()))
        .collect();
    assert_eq!(
        (for_c2c.len(), for_push.len()),
        (2, 2),
        "duplicates are acked too"
    );
    for ack in &for_c2c {
        assert_eq!((ack.from.as_str(), ack.to.as_str()), ("bob", "alice"));
        assert!(!ack.qos && ack.fp.is_none());
    }
    for ack in &for_push {
        assert_eq!((ack.from.as_str(), ack.to.as_str()), ("bob", "0"));
    }
    assert_eq!(w.data(bob).len(), 2, "each delivered once");
    assert_eq!(w.server.s2c_pending(), 0, "the server got bob's acks");
}

#[test]
fn non_qos_frames_are_not_acked() {
    let mut w = World::new(2);
    let bob = w.add_client("bob");
    w.login_and_wait(bob);
    w.push("bob", "fire and forget", false);
    w.run_for(100);
    assert!(acks_sent(&w, bob).is_empty());
    assert_eq!(w.data(bob).len(), 1);
}

#[test]
fn a_server_resend_after_a_lost_ack_is_acked_again_but_delivered_once() {
    let mut w = World::new(3);
    let bob = w.add_client("bob");
    w.login_and_wait(bob);
    // Bob's first ack is lost, so the server resends the push once.
    let mut dropped = false;
    w.drop_to_server(bob, move |t| {
        let first_ack = !dropped && frame_type(t) == Some(ProtocalType::RECEIVED);
        dropped |= first_ack;
        first_ack
    });
    let fp = w.push("bob", "once", true).unwrap().fp.unwrap().to_string();
    w.run_for(20_000);
    let acks: Vec<_> = acks_sent(&w, bob)
        .into_iter()
        .filter(|a| a.data_content.as_deref() == Some(fp.as_str()))
        .collect();
    assert_eq!(acks.len(), 2, "the resend was acked");
    assert_eq!(w.data(bob).len(), 1);
    assert!(w.server.log.s2c_lost.is_empty());
}

#[test]
fn sender_retries_forwarded_again_by_the_server_reach_the_app_once() {
    // C2C has no server-side dedupe: alice's resends (her ack was lost) reach bob again.
    let mut w = World::new(4);
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.login_and_wait(alice);
    w.login_and_wait(bob);
    w.drop_to_client(alice, |t| frame_type(t) == Some(ProtocalType::RECEIVED));
    w.send_text(alice, "bob", "retried", true).unwrap();
    w.run_for(20_000);
    assert_eq!(w.server.log.c2c_forwarded.len(), 3);
    assert_eq!(w.data(bob).len(), 1);
}

#[test]
fn a_fingerprint_is_remembered_for_ten_minutes() {
    let mut w = World::new(5);
    let bob = w.add_client("bob");
    w.login_and_wait(bob);
    let frame = data_frame("fp-1", "alice", "bob", "hello");
    w.write_raw("bob", &frame);
    w.run_for(9 * 60 * 1000);
    w.write_raw("bob", &frame);
    w.run_for(100);
    assert_eq!(w.data(bob).len(), 1, "still a duplicate after 9 minutes");
    w.run_for(61 * 1000);
    w.write_raw("bob", &frame);
    w.run_for(100);
    assert_eq!(w.data(bob).len(), 2, "forgotten after 10 minutes");
    assert_eq!(Config::default().dedupe_ttl_ms, 10 * 60 * 1000);
}

#[test]
fn the_dedupe_cache_is_bounded_and_evicts_the_oldest_first() {
    let mut w = World::new(6);
    let config = Config {
        dedupe_capacity: 3,
        ..Config::default()
    };
    let bob = w.add_client_with("bob", config);
    w.login_and_wait(bob);
    for fp in ["a", "b", "c", "d"] {
        w.write_raw("bob", &data_frame(fp, "alice", "bob", fp));
        w.run_for(10);
        assert!(w.client(bob).remembered_fingerprints() <= 3);
    }
    // "a" was evicted, "d" is remembered.
    w.write_raw("bob", &data_frame("d", "alice", "bob", "d"));
    w.write_raw("bob", &data_frame("a", "alice", "bob", "a"));
    w.run_for(100);
    let got: Vec<String> = w.data(bob).into_iter().map(|p| p.fp.unwrap()).collect();
    assert_eq!(got, ["a", "b", "c", "d", "a"]);
    assert_eq!(Config::default().dedupe_capacity, 10_000);
}

#[test]
fn a_flood_of_distinct_fingerprints_keeps_memory_bounded() {
    let mut w = World::new(7);
    let config = Config {
        dedupe_capacity: 100,
        ..Config::default()
    };
    let bob = w.add_client_with("bob", config);
    w.login_and_wait(bob);
    let huge = "x".repeat(10_000);
    for i in 0..500 {
        w.write_raw(
            "bob",
            &data_frame(&format!("{huge}{i}"), "mallory", "bob", "spam"),
        );
    }
    w.run_for(1_000);
    assert_eq!(w.client(bob).remembered_fingerprints(), 100);
    assert!(w.client(bob).is_online());
}

#[test]
fn app_messages_become_data_events_with_the_frame_as_sent() {
    let mut w = World::new(8);
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.login_and_wait(alice);
    w.login_and_wait(bob);
    let mut message = sim::message("bob", "<b>hi</b> & 'you'", true);
    message.typeu = 42;
    let fp = w.send(alice, message).unwrap().fp.unwrap().to_string();
    w.run_for(100);
    let got = w.data(bob);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].data_content.as_deref(), Some("<b>hi</b> & 'you'"));
    assert_eq!(
        (got[0].from.as_str(), got[0].to.as_str(), got[0].typeu),
        ("alice", "bob", 42)
    );
    assert_eq!(got[0].fp.as_deref(), Some(fp.as_str()));
    assert_eq!(got[0].sm, Some(0));
}

#[test]
fn echo_reply_becomes_an_echo_event_and_nothing_else() {
    let mut w = World::new(9);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let mut echo = Protocal::new(ProtocalType::ECHO, Some("ping?".into()), "", "0");
    echo.typeu = 5;
    w.send(alice, echo).unwrap();
    w.run_for(100);
    let echoes: Vec<Protocal> = w
        .events(alice)
        .into_iter()
        .filter_map(|e| match e {
            Event::Echo(p) => Some(*p),
            _ => None,
        })
        .collect();
    assert_eq!(echoes.len(), 1);
    assert_eq!(echoes[0].kind, ProtocalType::RESPONSE_ECHO);
    assert_eq!(echoes[0].data_content.as_deref(), Some("ping?"));
    assert!(w.data(alice).is_empty());
    assert!(w.client(alice).is_online());
}

#[test]
fn unknown_type_is_logged_as_a_warning_and_the_connection_kept() {
    let mut w = World::new(10);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let mark = w.mark(alice);
    w.write_raw(
        "alice",
        r#"{"bridge":false,"type":99,"dataContent":"future","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#,
    );
    w.run_for(100);
    let warned = w.clients[alice].events[mark..].iter().any(
        |(_, e)| matches!(e, Event::Log { level: Level::Warn, message, .. } if message.contains("99")),
    );
    assert!(warned);
    assert!(
        w.events_since(alice, mark).is_empty(),
        "no app-visible event"
    );
    w.run_for(30_000);
    assert_eq!(w.state(alice), ConnectionState::Online);
    assert_eq!(w.sockets_opened(alice), 1);
}

#[test]
fn a_frame_the_host_decoded_is_handled_like_the_same_frame_as_text() {
    let drain = |client: &mut Client| {
        let mut outputs = Vec::new();
        loop {
            match client.poll_output() {
                Output::Timeout(at) => break (outputs, at),
                output => outputs.push(output),
            }
        }
    };
    let (mut as_text, mut as_frame) =
        (logged_in_client(5, "bob", 1), logged_in_client(5, "bob", 1));
    let frames = [
        data_frame("fp-1", "alice", "bob", "hello"),
        data_frame("fp-1", "alice", "bob", "hello"),
        r#"{"bridge":false,"type":51,"dataContent":"{}","from":"0","to":"bob","QoS":false,"typeu":-1,"sm":-1}"#.to_owned(),
        r#"{"type":99,"from":"0","to":"bob"}"#.to_owned(),
    ];
    for (at, text) in (100..).zip(&frames) {
        as_text.handle_socket_text(at, 1, text);
        as_frame.handle_socket_frame(at, 1, Protocal::decode(text, usize::MAX).unwrap());
        assert_eq!(drain(&mut as_text), drain(&mut as_frame), "{text}");
    }
    as_frame.handle_socket_frame(200, 7, Protocal::decode(&frames[0], usize::MAX).unwrap());
    assert_eq!(
        drain(&mut as_frame).0,
        vec![],
        "a frame of another socket is ignored"
    );
}

#[test]
fn each_inbound_frame_says_whether_it_delivered_an_app_message_before_any_drain() {
    let mut client = logged_in_client(5, "bob", 1);
    let delivered_by_frame: Vec<bool> = [
        data_frame("fp-1", "alice", "bob", "hello"),
        data_frame("fp-1", "alice", "bob", "hello"),
        data_frame("fp-2", "alice", "bob", "again"),
        r#"{"bridge":false,"type":51,"dataContent":"{}","from":"0","to":"bob","QoS":false,"typeu":-1,"sm":-1}"#.to_owned(),
    ]
    .iter()
    .zip(100..)
    .map(|(text, at)| client.handle_socket_text(at, 1, text))
    .collect();
    assert_eq!(
        delivered_by_frame,
        [true, false, true, false],
        "a duplicate and a pong are not app messages"
    );
    let delivered = std::iter::from_fn(|| match client.poll_output() {
        Output::Timeout(_) => None,
        output => Some(output),
    })
    .filter(|output| matches!(output, Output::Event(Event::Data(_))))
    .count();
    assert_eq!(delivered, 2);
}

#[test]
fn a_frame_the_host_parsed_is_acked_and_deduped_and_its_message_left_with_the_host() {
    let mut client = logged_in_client(5, "bob", 1);
    let frame = ProtocalRef {
        bridge: false,
        kind: ProtocalType::COMMON_DATA,
        data_content: None,
        from: "alice",
        to: "bob",
        fp: Some("fp-held"),
        qos: true,
        typeu: 1,
        sm: None,
    };
    let outputs = |client: &mut Client| -> Vec<Output> {
        std::iter::from_fn(|| match client.poll_output() {
            Output::Timeout(_) => None,
            output => Some(output),
        })
        .collect()
    };
    let handled = client.handle_read_frame(100, 1, frame, HostReply::Unreadable);
    assert_eq!(
        handled,
        FrameHandled {
            app_message: true,
            acked: true
        }
    );
    let first = outputs(&mut client);
    let writes: Vec<&Outbound> = first
        .iter()
        .filter_map(|output| match output {
            Output::Write { frame, .. } => Some(frame),
            _ => None,
        })
        .collect();
    assert_eq!(
        writes,
        [&Outbound::HeldAck],
        "the host writes the ack of the frame it holds: no text"
    );
    assert!(
        first
            .iter()
            .any(|output| matches!(output, Output::Event(Event::HeldData))),
        "the host is told to hand the app its parsed message"
    );
    assert!(
        !first
            .iter()
            .any(|output| matches!(output, Output::Event(Event::Data(_)))),
        "no copy of the message"
    );
    assert_eq!(
        client.handle_read_frame(200, 1, frame, HostReply::Unreadable),
        FrameHandled {
            app_message: false,
            acked: true
        },
        "a duplicate is acked, and no app message"
    );
    let second = outputs(&mut client);
    assert!(second.iter().any(|output| matches!(
        output,
        Output::Write {
            frame: Outbound::HeldAck,
            ..
        }
    )));
    assert!(!second
        .iter()
        .any(|output| matches!(output, Output::Event(Event::HeldData))));
}
