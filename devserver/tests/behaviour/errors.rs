//! What closes a connection: data before login (error 301), malformed frames, binary frames.

use tokio_tungstenite::tungstenite::Message;

use crate::common::*;

fn error_301(rejected_as_server_wrote_it: &str) -> String {
    let error_msg = serde_json::to_string(rejected_as_server_wrote_it).unwrap();
    let content = format!(r#"{{"errorCode":301,"errorMsg":{error_msg}}}"#);
    format!(
        r#"{{"bridge":false,"type":52,"dataContent":{},"from":"0","to":"-1","QoS":false,"typeu":-1,"sm":-1}}"#,
        serde_json::to_string(&content).unwrap()
    )
}

#[tokio::test]
async fn data_keep_alive_and_ack_before_login_get_301_then_bye() {
    let server = start(config()).await;
    let cases = [
        (
            c2c("alice", "bob", "early", "f1"),
            forwarded(&c2c("alice", "bob", "early", "f1")),
        ),
        (keep_alive("alice"), r#"{"bridge":false,"type":1,"dataContent":"{}","from":"alice","to":"0","QoS":false,"typeu":-1,"sm":0}"#.to_owned()),
        (
            client_ack("alice", "0", "f0"),
            r#"{"bridge":false,"type":4,"dataContent":"f0","from":"alice","to":"0","QoS":false,"typeu":-1,"sm":0}"#.to_owned(),
        ),
    ];
    for (sent, as_server_wrote_it) in cases {
        let mut client = Client::connect(&server).await;
        client.send(sent).await;
        assert_eq!(client.recv().await, error_301(&as_server_wrote_it));
        client.expect_bye().await;
    }
    server.shutdown().await;
}

#[tokio::test]
async fn logout_before_login_closes_without_301() {
    let server = start(config()).await;
    let mut client = Client::connect(&server).await;
    client
        .send(r#"{"bridge":false,"type":3,"dataContent":null,"from":"x","to":"0","fp":null,"QoS":false,"typeu":-1}"#)
        .await;
    client.expect_bye().await;
    server.shutdown().await;
}

#[tokio::test]
async fn malformed_frames_close_silently() {
    let server = start(config()).await;
    let (_alice, _) = Client::logged_in(&server, "alice").await;
    for text in [
        "not json",
        "null",
        "[1,2]",
        "[null,2,null,null,null,null,null,null,null]",
        r#"{"type":2,"dataContent":{"an":"object"},"from":"alice","to":"bob"}"#,
        r#"{"type":"two"}"#,
        r#"{"type":1} trailing"#,
    ] {
        let (mut client, _) = Client::logged_in(&server, "mallory").await;
        client.send(text).await;
        client.expect_bye().await;
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_binary_frame_closes_the_connection() {
    let server = start(config()).await;
    let (mut client, _) = Client::logged_in(&server, "alice").await;
    client
        .send_message(Message::binary(b"{\"type\":1}".to_vec()))
        .await;
    client.expect_bye().await;
    server.shutdown().await;
}
