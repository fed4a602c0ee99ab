//! docs/client-behaviour.md §4: QoS — sending.

mod sim;

use mobileimsdk_wasm::core::{Config, Event};
use mobileimsdk_wasm::protocol::{Protocal, ProtocalType};
use sim::check::{check_all_settled, check_at_most_one_outcome};
use sim::{frame_type, LinkFaults, World};

/// Times at which `id` wrote the data frame with `fp`.
fn writes_of(w: &World, id: usize, fp: &str) -> Vec<u64> {
    w.frames_out(id)
        .into_iter()
        .filter(|(_, p)| p.kind == ProtocalType::COMMON_DATA && p.fp.as_deref() == Some(fp))
        .map(|(t, _)| t)
        .collect()
}

fn lost_times(w: &World, id: usize) -> Vec<u64> {
    w.times_of(id, |e| matches!(e, Event::MessagesLost(_)))
}

#[test]
fn qos_message_is_tracked_by_its_fingerprint_from_acceptance() {
    let mut w = World::new(1);
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.login_and_wait(alice);
    w.login_and_wait(bob);
    let receipt = w.send_text(alice, "bob", "hello bob", true).unwrap();
    let fp = receipt
        .fp
        .as_deref()
        .map(str::to_owned)
        .expect("QoS message has an fp");
    assert_eq!(w.client(alice).pending_messages(), 1);
    let written = w.frames_out(alice).pop().unwrap().1;
    assert_eq!(written.fp.as_deref(), Some(fp.as_str()));
    assert!(written.qos);
    w.run_for(100);
    assert_eq!(w.received(alice), std::slice::from_ref(&fp));
    assert_eq!(w.client(alice).pending_messages(), 0);
    assert_eq!(w.data(bob)[0].fp.as_deref(), Some(fp.as_str()));
}

#[test]
fn an_app_supplied_fingerprint_is_kept() {
    let mut w = World::new(2);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let mut message = sim::message("0", "with my id", true);
    message.fp = Some("app-chosen-id-1".into());
    let receipt = w.send(alice, message).unwrap();
    assert_eq!(receipt.fp.as_deref(), Some("app-chosen-id-1"));
    w.run_for(100);
    assert_eq!(w.received(alice), ["app-chosen-id-1"]);
}

#[test]
fn unacknowledged_message_is_resent_twice_five_seconds_apart_then_lost() {
    let mut w = World::new(3);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    // The stock server drops messages to offline users without an ack.
    let sent_at = w.now;
    let fp = w.send_qos(alice, "nobody", "into the void");
    w.run_for(30_000);
    assert_eq!(
        writes_of(&w, alice, &fp),
        [sent_at, sent_at + 5_000, sent_at + 10_000]
    );
    assert_eq!(lost_times(&w, alice), [sent_at + 15_000]);
    let lost = w.lost(alice);
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].message().fp.as_deref(), Some(fp.as_str()));
    assert_eq!(w.server.log.c2c_dropped.len(), 3);
}

#[test]
fn an_old_unacknowledged_message_outlives_later_acknowledged_and_plain_ones() {
    let mut w = World::new(15);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let stuck = w.send_text(alice, "nobody", "stuck", true).unwrap();
    let mut acked = Vec::new();
    for i in 0..50 {
        w.send_text(alice, "0", &format!("plain {i}"), false)
            .unwrap();
        acked.push(
            w.send_text(alice, "0", &format!("qos {i}"), true)
                .unwrap()
                .fp
                .unwrap()
                .to_string(),
        );
    }
    w.run_for(1_000);
    assert_eq!(w.received(alice), acked);
    assert_eq!(w.client(alice).pending_messages(), 1);
    w.run_for(20_000);
    let lost = w.lost(alice);
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].send_id, stuck.send_id);
    assert_eq!(lost[0].message().data_content.as_deref(), Some("stuck"));
    assert_eq!(w.client(alice).pending_messages(), 0);
    let after = w.send_qos(alice, "0", "after");
    w.run_for(1_000);
    assert_eq!(w.received(alice).last(), Some(&after));
    assert_eq!(w.client(alice).pending_messages(), 0);
}

#[test]
fn each_message_is_resent_on_its_own_deadline() {
    let mut w = World::new(31);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let first_at = w.now;
    let first = w.send_qos(alice, "nobody", "1");
    w.run_for(1_300);
    let second_at = w.now;
    let second = w.send_qos(alice, "nobody", "2");
    w.run_for(20_000);
    let offsets = |fp: &str, at: u64| -> Vec<u64> {
        writes_of(&w, alice, fp).iter().map(|t| t - at).collect()
    };
    assert_eq!(offsets(&first, first_at), [0, 5_000, 10_000]);
    assert_eq!(offsets(&second, second_at), [0, 5_000, 10_000]);
    assert_eq!(
        lost_times(&w, alice),
        [first_at + 15_000, second_at + 15_000]
    );
}

#[test]
fn a_message_younger_than_three_seconds_is_never_resent() {
    let mut w = World::new(4);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    // A slow link: the ack takes 2.8 s to come back.
    w.set_faults(alice, LinkFaults::delayed(1_400));
    let fp = w.send_qos(alice, "0", "slow");
    w.run_for(10_000);
    assert_eq!(writes_of(&w, alice, &fp).len(), 1);
    assert_eq!(w.received(alice), [fp]);
}

#[test]
fn acknowledged_message_is_not_resent_and_not_lost() {
    let mut w = World::new(5);
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.login_and_wait(alice);
    w.login_and_wait(bob);
    let fp = w.send_qos(alice, "bob", "hi");
    w.run_for(60_000);
    assert_eq!(writes_of(&w, alice, &fp).len(), 1);
    assert!(w.lost(alice).is_empty());
}

#[test]
fn qos_messages_sent_offline_wait_and_are_written_in_order_right_after_reconnect() {
    let mut w = World::new(6);
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.login_and_wait(alice);
    w.login_and_wait(bob);
    w.set_network(alice, false);
    let fps: Vec<String> = (0..5)
        .map(|i| {
            w.run_for(1_000);
            w.send_text(alice, "bob", &format!("m{i}"), true)
                .unwrap()
                .fp
                .unwrap()
                .to_string()
        })
        .collect();
    w.run_for(10_000);
    assert_eq!(w.sent_times(alice, ProtocalType::COMMON_DATA).len(), 0);
    w.set_network(alice, true);
    w.run_for(1_000);
    let reconnected = w.times_of(alice, |e| *e == Event::Reconnected)[0];
    let written: Vec<(u64, String)> = w
        .frames_out(alice)
        .into_iter()
        .filter(|(_, p)| p.kind == ProtocalType::COMMON_DATA)
        .map(|(t, p)| (t, p.fp.unwrap()))
        .collect();
    assert_eq!(
        written,
        fps.iter()
            .map(|fp| (reconnected, fp.clone()))
            .collect::<Vec<_>>()
    );
    let got: Vec<String> = w
        .data(bob)
        .into_iter()
        .map(|p| p.data_content.unwrap())
        .collect();
    assert_eq!(got, ["m0", "m1", "m2", "m3", "m4"]);
    assert_eq!(w.received(alice), fps);
}

#[test]
fn offline_wait_does_not_use_up_resends() {
    let mut w = World::new(7);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    // A message to an offline user while alice herself is offline for 25 s: it must still get
    // its full online budget of one write and two resends after the reconnect.
    w.set_network(alice, false);
    let fp = w.send_qos(alice, "nobody", "x");
    w.run_for(25_000);
    w.set_network(alice, true);
    w.run_for(30_000);
    let back = w.times_of(alice, |e| *e == Event::Reconnected)[0];
    assert_eq!(
        writes_of(&w, alice, &fp),
        [back, back + 5_000, back + 10_000]
    );
    assert_eq!(lost_times(&w, alice), [back + 15_000]);
}

#[test]
fn qos_message_waiting_offline_longer_than_hold_is_reported_lost() {
    let mut w = World::new(8);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.set_network(alice, false);
    let sent_at = w.now;
    let fp = w.send_qos(alice, "0", "late");
    w.run_for(29_999);
    assert!(w.lost(alice).is_empty());
    w.run_for(1);
    assert_eq!(lost_times(&w, alice), [sent_at + 30_000]);
    let lost = w.lost(alice);
    assert_eq!(lost[0].message().fp.as_deref(), Some(fp.as_str()));
    assert!(!lost[0].written);
    w.set_network(alice, true);
    w.run_for(10_000);
    assert!(
        writes_of(&w, alice, &fp).is_empty(),
        "a lost message is not sent later"
    );
}

#[test]
fn offline_hold_counts_every_outage_of_a_message() {
    let mut w = World::new(9);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let fp = w.send_qos(alice, "nobody", "x");
    // Two outages of 16 s each: 32 s offline in total exceeds the 30 s hold.
    for _ in 0..2 {
        w.set_network(alice, false);
        w.run_for(16_000);
        w.set_network(alice, true);
        w.run_for(2_000);
    }
    assert_eq!(w.lost(alice).len(), 1);
    assert_eq!(w.lost(alice)[0].message().fp.as_deref(), Some(fp.as_str()));
}

#[test]
fn message_received_fires_once_even_when_the_ack_is_duplicated() {
    let mut w = World::new(10);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.set_faults(
        alice,
        LinkFaults {
            duplicate_per_mille: 1000,
            ..LinkFaults::CLEAN
        },
    );
    let fp = w.send_qos(alice, "0", "x");
    w.run_for(20_000);
    assert_eq!(w.received(alice), [fp]);
}

#[test]
fn an_ack_for_an_fp_that_is_not_in_flight_is_ignored() {
    let mut w = World::new(11);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let ack = |fp: &str| {
        format!(
            r#"{{"bridge":false,"type":4,"dataContent":"{fp}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}}"#
        )
    };
    w.write_raw("alice", &ack("never-sent"));
    w.run_for(100);
    let fp = w.send_qos(alice, "0", "x");
    w.run_for(100);
    w.write_raw("alice", &ack(&fp));
    w.run_for(100);
    assert_eq!(w.received(alice), [fp]);
    assert!(w.client(alice).is_online());
}

#[test]
fn lost_report_carries_the_full_original_message() {
    let mut w = World::new(12);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let mut message = sim::message("nobody", "{\"text\":\"hi\"}", true);
    message.typeu = 17;
    let receipt = w.send(alice, message.clone()).unwrap();
    w.run_for(20_000);
    let lost = w.lost(alice);
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].send_id, receipt.send_id);
    assert!(lost[0].written);
    let mut expected = message;
    expected.from = "alice".into();
    expected.fp = receipt.fp.as_deref().map(str::to_owned);
    assert_eq!(lost[0].message(), expected);
}

#[test]
fn every_message_ends_received_or_lost_on_a_lossy_duplicating_link() {
    for seed in 0..8 {
        let mut w = World::new(100 + seed);
        let alice = w.add_client("alice");
        let bob = w.add_client("bob");
        w.login_and_wait(alice);
        w.login_and_wait(bob);
        let lossy = LinkFaults {
            delay_ms: 30,
            jitter_ms: 200,
            drop_per_mille: 250,
            duplicate_per_mille: 200,
            reorder: true,
        };
        w.set_faults(alice, lossy);
        w.set_faults(bob, lossy);
        for i in 0..40 {
            let to = ["bob", "0", "nobody"][i % 3];
            w.send_text(alice, to, &format!("m{i}"), true).unwrap();
            w.run_for(700);
            check_at_most_one_outcome(&w, alice).unwrap();
        }
        w.heal(alice);
        w.heal(bob);
        w.run_for(120_000);
        check_all_settled(&w, alice).unwrap();
        let received = w.received(alice).len();
        assert!(
            received > 0 && !w.lost(alice).is_empty(),
            "both outcomes seen"
        );
    }
}

#[test]
fn c2c_ack_from_the_server_counts_as_received() {
    // The server acks a C2C message on its write to the receiver, before the receiver acks.
    let mut w = World::new(13);
    let alice = w.add_client("alice");
    let bob = w.add_client("bob");
    w.login_and_wait(alice);
    w.login_and_wait(bob);
    w.drop_to_server(bob, |t| frame_type(t) == Some(ProtocalType::RECEIVED));
    let fp = w.send_qos(alice, "bob", "x");
    w.run_for(30_000);
    assert_eq!(w.received(alice), [fp]);
    assert_eq!(w.data(bob).len(), 1, "the server's resend is deduplicated");
}

#[test]
fn too_many_pending_messages_are_refused_with_208() {
    let mut w = World::new(14);
    let config = Config {
        max_pending_messages: 3,
        ..Config::default()
    };
    let alice = w.add_client_with("alice", config);
    w.login_and_wait(alice);
    w.set_network(alice, false);
    for i in 0..3 {
        w.send_text(alice, "bob", &format!("{i}"), true).unwrap();
    }
    let err = w.send_text(alice, "bob", "one too many", true).unwrap_err();
    assert_eq!(err.code(), 208);
    assert_eq!(w.client(alice).pending_messages(), 3);
}

/// A QoS echo (type 5) to the server, which writes it back as type 53; its fp.
fn send_qos_echo(w: &mut World, id: usize) -> String {
    let mut echo = Protocal::new(ProtocalType::ECHO, Some("are you there?".into()), "", "0");
    echo.qos = true;
    w.send(id, echo).unwrap().fp.unwrap().to_string()
}

#[test]
fn a_qos_echo_is_acknowledged_by_its_reply_not_reported_lost() {
    let mut w = World::new(40);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let mark = w.mark(alice);
    let fp = send_qos_echo(&mut w, alice);
    w.run_for(30_000);
    let outcome: Vec<Event> = w
        .events_since(alice, mark)
        .into_iter()
        .filter(|e| {
            matches!(
                e,
                Event::Echo(_) | Event::MessageReceived { .. } | Event::MessagesLost(_)
            )
        })
        .collect();
    assert!(
        matches!(&outcome[..], [Event::Echo(reply), Event::MessageReceived { fp: acked, .. }]
            if reply.fp.as_deref() == Some(fp.as_str()) && **acked == *fp),
        "{outcome:?}"
    );
    assert_eq!(w.client(alice).pending_messages(), 0);
    let echoes_written = w.sent_times(alice, ProtocalType::ECHO);
    assert_eq!(echoes_written.len(), 1, "not resent");
}

#[test]
fn a_qos_echo_whose_reply_was_lost_is_resent_and_acknowledged_by_the_next_reply() {
    let mut w = World::new(41);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let mut replies_dropped = 0;
    w.drop_to_client(alice, move |text| {
        let drop = frame_type(text) == Some(ProtocalType::RESPONSE_ECHO) && replies_dropped == 0;
        replies_dropped += usize::from(drop);
        drop
    });
    let sent_at = w.now;
    let fp = send_qos_echo(&mut w, alice);
    w.run_for(30_000);
    assert_eq!(
        w.sent_times(alice, ProtocalType::ECHO),
        [sent_at, sent_at + 5_000]
    );
    assert_eq!(w.received(alice), [fp]);
    assert!(w.lost(alice).is_empty());
}

#[test]
fn an_echo_reply_does_not_acknowledge_a_data_message_with_the_same_fp() {
    let mut w = World::new(42);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let mut message = sim::message("nobody", "into the void", true);
    message.fp = Some("shared-fp".into());
    w.send(alice, message).unwrap();
    w.write_raw(
        "alice",
        r#"{"bridge":false,"type":53,"dataContent":"x","from":"alice","to":"0","fp":"shared-fp","QoS":false,"typeu":-1}"#,
    );
    w.run_for(30_000);
    assert!(w.received(alice).is_empty());
    assert_eq!(w.lost(alice).len(), 1);
}
