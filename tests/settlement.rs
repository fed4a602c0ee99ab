//! docs/client-behaviour.md §8, `sendData`'s callbacks: when a sent message counts as written.
//! The host reports the result of each first write; the client settles every accepted send's
//! write once (`Event::MessageWritten`: returned for a write's result, queued when an ack or a
//! loss settles it first), before the message's acknowledgement or loss.

mod sim;

use mobileimsdk_wasm::core::{Client, Event, Outbound, Output};
use mobileimsdk_wasm::protocol::{Protocal, ProtocalType};
use sim::{logged_in_client, message};

/// What the client produced since the last call: the send ids of first writes, and the events
/// but log lines.
fn drain(client: &mut Client) -> (Vec<u64>, Vec<Event>) {
    let (mut first_writes, mut events) = (Vec::new(), Vec::new());
    loop {
        match client.poll_output() {
            Output::Timeout(_) => return (first_writes, events),
            Output::Write {
                frame:
                    Outbound::Message {
                        send_id,
                        first_write: true,
                        ..
                    },
                ..
            } => first_writes.push(send_id),
            Output::Event(Event::Log { .. }) => {}
            Output::Event(event) => events.push(event),
            _ => {}
        }
    }
}

fn written(send_id: u64, code: i32, last: bool) -> Event {
    Event::MessageWritten {
        send_id,
        code,
        last,
    }
}

/// The server's ack (type 4) of `fp`, on socket 1.
fn ack(client: &mut Client, now: u64, fp: &str) {
    let frame = Protocal::new(ProtocalType::RECEIVED, Some(fp.into()), "0", "alice");
    client.handle_socket_text(now, 1, &frame.encode());
}

#[test]
fn a_plain_message_is_settled_by_its_write_result_once_and_that_is_its_last_outcome() {
    let mut client = logged_in_client(1, "alice", 0);
    let sent = client.send(100, &message("bob", "a", false)).unwrap();
    let failed = client.send(100, &message("bob", "b", false)).unwrap();
    assert_eq!(drain(&mut client).0, [sent.send_id, failed.send_id]);
    let settled = [
        client.handle_written(sent.send_id, true),
        client.handle_written(failed.send_id, false),
        client.handle_written(sent.send_id, false),
        client.handle_written(999, true),
    ];
    assert_eq!(
        settled,
        [
            Some(written(sent.send_id, 0, true)),
            Some(written(failed.send_id, 3, true)),
            None,
            None,
        ]
    );
    assert!(drain(&mut client).1.is_empty(), "nothing else follows");
}

#[test]
fn a_qos_message_is_settled_by_its_write_result_and_ends_with_its_ack() {
    let mut client = logged_in_client(2, "alice", 0);
    let sent = client.send(100, &message("bob", "a", true)).unwrap();
    let fp = sent.fp.clone().unwrap();
    drain(&mut client);
    assert_eq!(
        client.handle_written(sent.send_id, false),
        Some(written(sent.send_id, 3, false))
    );
    ack(&mut client, 200, &fp);
    assert_eq!(client.handle_written(sent.send_id, true), None);
    assert_eq!(
        drain(&mut client).1,
        [Event::MessageReceived {
            fp,
            send_id: sent.send_id
        }]
    );
}

#[test]
fn an_ack_before_the_write_result_settles_the_write_first() {
    let mut client = logged_in_client(3, "alice", 0);
    let sent = client.send(100, &message("bob", "a", true)).unwrap();
    let fp = sent.fp.clone().unwrap();
    drain(&mut client);
    ack(&mut client, 200, &fp);
    assert_eq!(
        client.handle_written(sent.send_id, false),
        None,
        "settled already"
    );
    assert_eq!(
        drain(&mut client).1,
        [
            written(sent.send_id, 0, false),
            Event::MessageReceived {
                fp,
                send_id: sent.send_id
            },
        ]
    );
}

#[test]
fn a_lost_message_is_settled_first_201_if_it_never_reached_a_socket() {
    let mut client = logged_in_client(4, "alice", 0);
    let in_flight = client.send(100, &message("bob", "a", true)).unwrap();
    drain(&mut client);
    // The link drops: the next message waits offline, never handed to a socket.
    client.handle_socket_closed(200, 1);
    let offline = client.send(300, &message("bob", "b", true)).unwrap();
    assert!(drain(&mut client).0.is_empty());
    client.logout(400);
    assert_eq!(
        client.handle_written(in_flight.send_id, true),
        None,
        "settled by the loss"
    );
    let events = drain(&mut client).1;
    let settled: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::MessageWritten { .. }))
        .collect();
    assert_eq!(
        settled,
        [
            &written(in_flight.send_id, 0, false),
            &written(offline.send_id, 201, false),
        ]
    );
    let lost_at = events
        .iter()
        .position(|e| matches!(e, Event::MessagesLost(lost) if lost.len() == 2))
        .expect("both reported lost");
    assert!(matches!(
        events[lost_at - 2..lost_at],
        [Event::MessageWritten { .. }, Event::MessageWritten { .. }]
    ));
}
