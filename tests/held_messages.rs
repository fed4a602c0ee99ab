//! docs/client-behaviour.md §11: messages the host keeps and writes itself (`Client::send_held`,
//! the mini-program build's only send) follow the same rules as the ones the core encodes: the
//! same size limit, retransmits and losses by send id, no text kept in the core.

use mobileimsdk_wasm::core::{
    Client, Config, Event, HostReply, Outbound, Output, SeededRandom, SendError,
};
use mobileimsdk_wasm::protocol::json::client_string_len;
use mobileimsdk_wasm::protocol::{LoginInfo, Protocal, ProtocalRef, ProtocalType};

/// A client logged in as `alice` on socket generation 1 at time 2.
fn online() -> Client {
    let mut client = Client::new(Config::default(), Box::new(SeededRandom::new(7)));
    let info = LoginInfo {
        login_user_id: "alice".into(),
        login_token: Some("t".into()),
        extra: None,
        first_login_time: 0,
    };
    client.login(0, info, "ws://127.0.0.1/".into()).unwrap();
    drain(&mut client);
    client.handle_socket_opened(1, 1);
    drain(&mut client);
    let reply = Protocal::new(ProtocalType::RESPONSE_LOGIN, None, "0", "alice");
    client.handle_read_frame(
        2,
        1,
        ProtocalRef::from(&reply),
        HostReply::Read {
            code: 0,
            first_login_time: 1,
        },
    );
    drain(&mut client);
    client
}

/// Every output until the next deadline.
fn drain(client: &mut Client) -> Vec<Output> {
    let mut outputs = Vec::new();
    loop {
        match client.poll_output() {
            Output::Timeout(_) => return outputs,
            output => outputs.push(output),
        }
    }
}

/// The writes of app messages among `outputs`: (send id, first write, has text).
fn message_writes(outputs: &[Output]) -> Vec<(u64, bool, bool)> {
    outputs
        .iter()
        .filter_map(|output| match output {
            Output::Write {
                frame:
                    Outbound::Message {
                        send_id,
                        first_write,
                        text,
                    },
                ..
            } => Some((*send_id, *first_write, text.is_some())),
            _ => None,
        })
        .collect()
}

/// A QoS message to `bob` without content, fp or `from`, as the glue passes a held one.
fn held_message() -> ProtocalRef<'static> {
    ProtocalRef {
        bridge: false,
        kind: ProtocalType::COMMON_DATA,
        data_content: None,
        from: "",
        to: "bob",
        fp: None,
        qos: true,
        typeu: -1,
        sm: None,
    }
}

#[test]
fn a_held_message_is_written_retransmitted_and_acknowledged_by_its_send_id_without_text() {
    let mut client = online();
    let receipt = client.send_held(10, held_message(), 4).unwrap();
    assert!(receipt.from_user, "an unset from is the logged-in user's");
    let fp = receipt.fp.expect("a QoS message gets a generated fp");
    let first = drain(&mut client);
    assert_eq!(message_writes(&first), [(receipt.send_id, true, false)]);
    client.handle_written(receipt.send_id, true);
    drain(&mut client);

    let resend_at = 10 + Config::default().qos_resend_interval_ms;
    client.handle_timeout(resend_at);
    let again = drain(&mut client);
    assert_eq!(message_writes(&again), [(receipt.send_id, false, false)]);

    let ack = Protocal::new(ProtocalType::RECEIVED, Some(fp.to_string()), "bob", "alice");
    client.handle_read_frame(
        resend_at + 1,
        1,
        ProtocalRef::from(&ack),
        HostReply::Unreadable,
    );
    let acked = drain(&mut client);
    assert!(acked.iter().any(|output| matches!(
        output,
        Output::Event(Event::MessageReceived { send_id, .. }) if *send_id == receipt.send_id
    )));
}

#[test]
fn the_size_limit_counts_the_hosts_content_text_as_the_core_counts_its_own() {
    let limit = Config::default().max_outbound_bytes;
    // Contents whose frames end just below, at and just above the limit, in both ways of sending.
    let frame_of = |content: &str| {
        let mut message = Protocal::new(
            ProtocalType::COMMON_DATA,
            Some(content.into()),
            "alice",
            "bob",
        );
        message.fp = Some("f".repeat(36));
        message.qos = true;
        message
    };
    let overhead = frame_of("").encode().len() - 2;
    for content_len in [limit - overhead - 1, limit - overhead, limit - overhead + 1] {
        let content = "\"".repeat(content_len / 2) + &"a".repeat(content_len % 2);
        let frame = frame_of(&content);
        let encoded = frame.encode().len();
        let mut core_encodes = online();
        let mut host_writes = online();
        let by_core = core_encodes.send(10, ProtocalRef::from(&frame));
        let held = ProtocalRef {
            data_content: None,
            ..ProtocalRef::from(&frame)
        };
        let by_host = host_writes.send_held(10, held, client_string_len(&content));
        assert_eq!(
            by_core.is_ok(),
            encoded <= limit,
            "{encoded} bytes, encoded by the core"
        );
        assert_eq!(
            by_host.is_ok(),
            by_core.is_ok(),
            "{encoded} bytes, written by the host"
        );
        if let Err(SendError::TooLarge { len, .. }) = by_host {
            assert_eq!(len, encoded, "the length the host's frame will have");
        }
    }
}

#[test]
fn a_held_message_given_up_is_reported_lost_by_its_send_id() {
    let mut client = online();
    let receipt = client.send_held(10, held_message(), 4).unwrap();
    drain(&mut client);
    client.handle_written(receipt.send_id, true);
    // No ack comes: after its resends (or the offline hold, if the silent link is given up
    // first) the message is lost.
    let mut lost = None;
    let mut now = 10;
    while lost.is_none() && now < 600_000 {
        now += 1_000;
        client.handle_timeout(now);
        for output in drain(&mut client) {
            if let Output::Event(Event::MessagesLost(messages)) = output {
                lost = Some(messages);
            }
        }
    }
    let lost = lost.expect("the message is given up after its resends");
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].send_id, receipt.send_id);
    assert!(lost[0].text.is_none(), "the core kept no text of it");
}

/// A type-4 ack from `bob` of `fp`, as the server writes it.
fn ack_of(fp: &str) -> Protocal {
    Protocal::new(ProtocalType::RECEIVED, Some(fp.into()), "bob", "alice")
}

/// The ack of `fp` as a host reads it that passes its `dataContent` alone (the wasm's
/// `ImClient.ack`): every other field absent.
fn fp_only_ack(fp: &str) -> ProtocalRef<'_> {
    ProtocalRef {
        data_content: Some(fp),
        ..ProtocalRef::bare(ProtocalType::RECEIVED)
    }
}

/// `client` reads the ack of `fp` passed as its `dataContent` alone.
fn read_ack(client: &mut Client, now: u64, generation: u64, fp: &str) {
    client.handle_read_frame(now, generation, fp_only_ack(fp), HostReply::Unreadable);
}

#[test]
fn an_ack_read_by_the_host_settles_as_the_same_frame_read_whole_does() {
    let (mut by_fp, mut whole) = (online(), online());
    let mut receipts = Vec::new();
    for client in [&mut by_fp, &mut whole] {
        let receipt = client.send_held(3, held_message(), 4).unwrap();
        drain(client);
        receipts.push(receipt);
    }
    let fp = receipts[0].fp.clone().unwrap();
    assert_eq!(
        receipts[1].fp.as_deref(),
        Some(&*fp),
        "the same seed draws the same fp"
    );
    // Unknown, stale and current: each leads to the same outputs both ways.
    for (generation, acked) in [(1, "not-in-flight"), (9, &*fp), (1, &*fp), (1, &*fp)] {
        read_ack(&mut by_fp, 4, generation, acked);
        let frame = ack_of(acked);
        let reply = HostReply::Unreadable;
        whole.handle_read_frame(4, generation, ProtocalRef::from(&frame), reply);
        assert_eq!(
            drain(&mut by_fp),
            drain(&mut whole),
            "ack of {acked} on {generation}"
        );
    }
    assert_eq!(by_fp.pending_messages(), 0);
}

#[test]
fn an_ack_read_by_the_host_acknowledges_its_message_once() {
    let mut client = online();
    let receipt = client.send_held(3, held_message(), 4).unwrap();
    drain(&mut client);
    let fp = receipt.fp.unwrap();
    read_ack(&mut client, 4, 9, &fp);
    assert!(
        drain(&mut client).is_empty(),
        "an ack on a stale socket is ignored"
    );
    read_ack(&mut client, 4, 1, &fp);
    let received = Event::MessageReceived {
        fp: fp.clone(),
        send_id: receipt.send_id,
    };
    assert!(drain(&mut client).contains(&Output::Event(received)));
    read_ack(&mut client, 5, 1, &fp);
    assert!(
        drain(&mut client).is_empty(),
        "a second ack changes nothing"
    );
}
