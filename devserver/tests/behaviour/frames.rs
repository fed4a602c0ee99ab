//! Byte-for-byte comparisons with the frames captured from the stock server (docs/protocol.md §7).

use crate::common::*;

const FP: &str = "e9adad0e-5d1c-4c57-9d0a-3f6a2c1b7e11";

#[tokio::test]
async fn login_reply_and_keep_alive_reply() {
    let server = start(config()).await;
    let mut alice = Client::connect(&server).await;
    let before = unix_ms();
    alice.send(login("alice", 0)).await;
    let reply = alice.recv().await;
    let first_login_time = login_ok_time(&reply, "alice");
    assert!((before..=unix_ms()).contains(&first_login_time));

    alice.send(keep_alive("alice")).await;
    assert_eq!(
        alice.recv().await,
        r#"{"bridge":false,"type":51,"dataContent":"{}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#
    );
    server.shutdown().await;
}

#[tokio::test]
async fn c2c_message_is_forwarded_with_sm_0_and_acknowledged_from_the_receiver() {
    let server = start(config()).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let (mut bob, _) = Client::logged_in(&server, "bob").await;
    let sent = format!(
        r#"{{"bridge":false,"type":2,"dataContent":"hello bob (QoS)","from":"alice","to":"bob","fp":"{FP}","QoS":true,"typeu":0}}"#
    );
    alice.send(sent.as_str()).await;
    assert_eq!(
        bob.recv().await,
        format!(
            r#"{{"bridge":false,"type":2,"dataContent":"hello bob (QoS)","from":"alice","to":"bob","fp":"{FP}","QoS":true,"typeu":0,"sm":0}}"#
        )
    );
    assert_eq!(
        alice.recv().await,
        format!(
            r#"{{"bridge":false,"type":4,"dataContent":"{FP}","from":"bob","to":"alice","QoS":false,"typeu":-1,"sm":-1}}"#
        )
    );
    server.shutdown().await;
}

#[tokio::test]
async fn c2s_message_is_acknowledged_from_the_server() {
    let server = start(config()).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    alice.send(c2s("alice", "to the server", FP)).await;
    assert_eq!(
        alice.recv().await,
        format!(
            r#"{{"bridge":false,"type":4,"dataContent":"{FP}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}}"#
        )
    );
    server.shutdown().await;
}

#[tokio::test]
async fn kick_out_frame_then_bye() {
    let server = start(config()).await;
    let (mut old, _) = Client::logged_in(&server, "bob").await;
    let (_new, _) = Client::logged_in(&server, "bob").await;
    assert_eq!(
        old.recv().await,
        r#"{"bridge":false,"type":54,"dataContent":"{\"code\":1}","from":"0","to":"bob","QoS":false,"typeu":-1,"sm":-1}"#
    );
    old.expect_bye().await;
    server.shutdown().await;
}

#[tokio::test]
async fn error_301_carries_the_rejected_frame_as_the_server_wrote_it() {
    let server = start(config()).await;
    let mut client = Client::connect(&server).await;
    client.send(keep_alive("alice")).await;
    assert_eq!(
        client.recv().await,
        r#"{"bridge":false,"type":52,"dataContent":"{\"errorCode\":301,\"errorMsg\":\"{\\\"bridge\\\":false,\\\"type\\\":1,\\\"dataContent\\\":\\\"{}\\\",\\\"from\\\":\\\"alice\\\",\\\"to\\\":\\\"0\\\",\\\"QoS\\\":false,\\\"typeu\\\":-1,\\\"sm\\\":0}\"}","from":"0","to":"-1","QoS":false,"typeu":-1,"sm":-1}"#
    );
    client.expect_bye().await;
    server.shutdown().await;
}

#[tokio::test]
async fn echo_changes_only_the_type() {
    let server = start(config()).await;
    let mut client = Client::connect(&server).await;
    client
        .send(r#"{"bridge":false,"type":5,"dataContent":"ping","from":"x","to":"0","fp":"f-1","QoS":false,"typeu":7,"sm":42}"#)
        .await;
    assert_eq!(
        client.recv().await,
        r#"{"bridge":false,"type":53,"dataContent":"ping","from":"x","to":"0","fp":"f-1","QoS":false,"typeu":7,"sm":42}"#
    );
    server.shutdown().await;
}

#[tokio::test]
async fn forwarded_frames_are_written_like_gson() {
    let server = start(config()).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let (mut bob, _) = Client::logged_in(&server, "bob").await;
    // HTML-sensitive characters escaped; absent typeu/sm become Java's 0; null fp left out.
    alice
        .send(r#"{"type":2,"dataContent":"<a href='x'>&=</a>","from":"alice","to":"bob","fp":null,"QoS":false}"#)
        .await;
    assert_eq!(
        bob.recv().await,
        r#"{"bridge":false,"type":2,"dataContent":"\u003ca href\u003d\u0027x\u0027\u003e\u0026\u003d\u003c/a\u003e","from":"alice","to":"bob","QoS":false,"typeu":0,"sm":0}"#
    );
    alice.expect_nothing_pending().await;
    server.shutdown().await;
}
