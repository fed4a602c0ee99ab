//! Login, verification, `firstLoginTime` and duplicate-login kick-out (docs/protocol.md §2, §6.2, §7).

use crate::common::*;

#[tokio::test]
async fn every_login_is_accepted_and_a_relogin_time_is_echoed() {
    let server = start(config()).await;
    let mut client = Client::connect(&server).await;
    client.send(login("carol", 1_700_000_000_123)).await;
    assert_eq!(
        login_ok_time(&client.recv().await, "carol"),
        1_700_000_000_123
    );
    assert_eq!(server.stats().online, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn rejected_token_gets_its_code_then_bye() {
    let mut config = config();
    config.rejected_tokens.insert("wrong".into(), 1025);
    let server = start(config).await;
    let mut client = Client::connect(&server).await;
    client.send(login_with_token("dave", "wrong", 0)).await;
    assert_eq!(
        client.recv().await,
        r#"{"bridge":false,"type":50,"dataContent":"{\"code\":1025,\"firstLoginTime\":-1}","from":"0","to":"-1","QoS":false,"typeu":-1,"sm":-1}"#
    );
    client.expect_bye().await;
    assert_eq!(server.stats().online, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn login_again_on_a_logged_in_connection_skips_verification() {
    let mut config = config();
    config.rejected_tokens.insert("wrong".into(), 1025);
    let server = start(config).await;
    let (mut client, _) = Client::logged_in(&server, "dave").await;
    client.send(login_with_token("dave", "wrong", 0)).await;
    login_ok_time(&client.recv().await, "dave");
    client.expect_nothing_pending().await;
    server.shutdown().await;
}

#[tokio::test]
async fn first_login_elsewhere_kicks_the_older_session() {
    let server = start(config()).await;
    let (mut old, _) = Client::logged_in(&server, "bob").await;
    let (mut new, _) = Client::logged_in(&server, "bob").await;
    assert_eq!(old.recv().await, kickout("bob"));
    old.expect_bye().await;
    // Messages now go to the new session.
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    alice.send(c2c("alice", "bob", "hi", "f1")).await;
    assert_eq!(
        new.recv().await,
        forwarded(&c2c("alice", "bob", "hi", "f1"))
    );
    assert_eq!(alice.recv().await, server_ack("bob", "alice", "f1"));
    server.shutdown().await;
}

#[tokio::test]
async fn relogin_with_the_returned_time_replaces_the_older_session_without_a_kick() {
    let server = start(config()).await;
    let (mut old, reply) = Client::logged_in(&server, "bob").await;
    let first_login_time = login_ok_time(&reply, "bob");
    let mut new = Client::connect(&server).await;
    new.send(login("bob", first_login_time)).await;
    assert_eq!(login_ok_time(&new.recv().await, "bob"), first_login_time);
    old.expect_nothing_pending().await;
    // The old connection is still logged in, but its keep-alive reply goes to the session
    // registered for the user id: the new one.
    old.send(keep_alive("bob")).await;
    assert_eq!(new.recv().await, keep_alive_reply("bob"));
    old.expect_nothing_pending().await;
    // Closing the replaced connection does not take bob offline.
    drop(old);
    new.send(keep_alive("bob")).await;
    assert_eq!(new.recv().await, keep_alive_reply("bob"));
    assert_eq!(server.stats().online, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn relogin_with_a_later_time_kicks_the_older_session() {
    let server = start(config()).await;
    let (mut old, reply) = Client::logged_in(&server, "bob").await;
    let later = login_ok_time(&reply, "bob") + 1;
    let mut new = Client::connect(&server).await;
    new.send(login("bob", later)).await;
    assert_eq!(login_ok_time(&new.recv().await, "bob"), later);
    assert_eq!(old.recv().await, kickout("bob"));
    old.expect_bye().await;
    server.shutdown().await;
}

#[tokio::test]
async fn relogin_with_an_earlier_time_is_kicked_and_the_online_session_stays() {
    let server = start(config()).await;
    let (mut online, reply) = Client::logged_in(&server, "bob").await;
    let earlier = login_ok_time(&reply, "bob") - 1;
    let mut stale = Client::connect(&server).await;
    stale.send(login("bob", earlier)).await;
    assert_eq!(login_ok_time(&stale.recv().await, "bob"), earlier);
    assert_eq!(stale.recv().await, kickout("bob"));
    stale.expect_bye().await;
    online.send(keep_alive("bob")).await;
    assert_eq!(online.recv().await, keep_alive_reply("bob"));
    server.shutdown().await;
}

#[tokio::test]
async fn login_without_a_user_id_closes_silently() {
    let server = start(config()).await;
    for text in [
        r#"{"bridge":false,"type":0,"dataContent":"{\"loginToken\":\"t\"}","from":"x","to":"0","fp":null,"QoS":false,"typeu":-1}"#,
        r#"{"bridge":false,"type":0,"dataContent":null,"from":"x","to":"0","fp":null,"QoS":false,"typeu":-1}"#,
        "{}",
    ] {
        let mut client = Client::connect(&server).await;
        client.send(text).await;
        client.expect_bye().await;
    }
    assert_eq!(server.stats().online, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn a_closed_session_goes_offline() {
    let server = start(config()).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let (mut bob, _) = Client::logged_in(&server, "bob").await;
    bob.send(r#"{"bridge":false,"type":3,"dataContent":null,"from":"bob","to":"0","fp":null,"QoS":false,"typeu":-1}"#)
        .await;
    bob.expect_bye().await;
    alice.send(c2c("alice", "bob", "anyone?", "f2")).await;
    alice.expect_nothing_pending().await;
    assert_eq!(server.stats().online, 1);
    server.shutdown().await;
}
