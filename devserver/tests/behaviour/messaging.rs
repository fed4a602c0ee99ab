//! C2C forwarding, C2S handling, acknowledgements, echo, logout (docs/protocol.md §2, §6.3, §7).

use crate::common::*;

#[tokio::test]
async fn the_receivers_ack_is_consumed_not_forwarded() {
    let server = start(config()).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let (mut bob, _) = Client::logged_in(&server, "bob").await;
    alice.send(c2c("alice", "bob", "hello", "f1")).await;
    bob.recv().await;
    assert_eq!(alice.recv().await, server_ack("bob", "alice", "f1"));
    assert_eq!(server.stats().s2c_pending, 1);
    bob.send(client_ack("bob", "alice", "f1")).await;
    bob.expect_nothing_pending().await;
    alice.expect_nothing_pending().await;
    assert_eq!(server.stats().s2c_pending, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn a_message_to_an_offline_user_is_dropped_silently() {
    let server = start(config()).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    alice.send(c2c("alice", "nobody", "hello?", "f1")).await;
    alice.expect_nothing_pending().await;
    assert_eq!(server.stats().c2c_forwarded, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn offline_ack_acknowledges_like_a_server_with_offline_storage() {
    let mut config = config();
    config.offline_ack = true;
    let server = start(config).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    alice.send(c2c("alice", "nobody", "later", "f1")).await;
    assert_eq!(alice.recv().await, server_ack("nobody", "alice", "f1"));
    server.shutdown().await;
}

#[tokio::test]
async fn c2c_retries_are_forwarded_again() {
    let server = start(config()).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let (mut bob, _) = Client::logged_in(&server, "bob").await;
    for _ in 0..2 {
        alice.send(c2c("alice", "bob", "again", "f1")).await;
        assert_eq!(
            bob.recv().await,
            forwarded(&c2c("alice", "bob", "again", "f1"))
        );
        assert_eq!(alice.recv().await, server_ack("bob", "alice", "f1"));
    }
    assert_eq!(server.stats().c2c_forwarded, 2);
    server.shutdown().await;
}

#[tokio::test]
async fn c2c_without_qos_is_forwarded_without_ack() {
    let server = start(config()).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let (mut bob, _) = Client::logged_in(&server, "bob").await;
    alice
        .send(r#"{"bridge":false,"type":2,"dataContent":"fire and forget","from":"alice","to":"bob","fp":null,"QoS":false,"typeu":3}"#)
        .await;
    assert_eq!(
        bob.recv().await,
        r#"{"bridge":false,"type":2,"dataContent":"fire and forget","from":"alice","to":"bob","QoS":false,"typeu":3,"sm":0}"#
    );
    alice.expect_nothing_pending().await;
    assert_eq!(server.stats().s2c_pending, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn a_repeated_c2s_fingerprint_is_acknowledged_but_not_processed_again() {
    let server = start(config()).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    for _ in 0..2 {
        alice.send(c2s("alice", "once", "f1")).await;
        assert_eq!(alice.recv().await, server_ack("0", "alice", "f1"));
    }
    alice.send(c2s("alice", "other", "f2")).await;
    assert_eq!(alice.recv().await, server_ack("0", "alice", "f2"));
    assert_eq!(server.stats().c2s_processed, 2);
    server.shutdown().await;
}

#[tokio::test]
async fn echo_needs_no_login_and_a_qos_echo_awaits_an_ack() {
    let server = start(config()).await;
    let mut client = Client::connect(&server).await;
    client.send(echo("hi")).await;
    assert_eq!(client.recv().await, echo_reply("hi"));
    client
        .send(r#"{"bridge":false,"type":5,"dataContent":"q","from":"t","to":"0","fp":"f9","QoS":true,"typeu":-1}"#)
        .await;
    assert_eq!(
        client.recv().await,
        r#"{"bridge":false,"type":53,"dataContent":"q","from":"t","to":"0","fp":"f9","QoS":true,"typeu":-1,"sm":0}"#
    );
    assert_eq!(server.stats().s2c_pending, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn unknown_types_are_ignored() {
    let server = start(config()).await;
    let mut anonymous = Client::connect(&server).await;
    anonymous
        .send(r#"{"bridge":false,"type":99,"dataContent":"?","from":"x","to":"0","fp":null,"QoS":false,"typeu":-1}"#)
        .await;
    anonymous.expect_nothing_pending().await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    alice
        .send(r#"{"bridge":false,"type":50,"dataContent":"{}","from":"alice","to":"0","fp":null,"QoS":false,"typeu":-1}"#)
        .await;
    alice.send(keep_alive("alice")).await;
    assert_eq!(alice.recv().await, keep_alive_reply("alice"));
    server.shutdown().await;
}

#[tokio::test]
async fn logout_closes_without_a_reply() {
    let server = start(config()).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    alice
        .send(r#"{"bridge":false,"type":3,"dataContent":null,"from":"alice","to":"0","fp":null,"QoS":false,"typeu":-1}"#)
        .await;
    alice.expect_bye().await;
    server.shutdown().await;
}
