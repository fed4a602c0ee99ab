//! The WebSocket layer: path, subprotocol, frame size limit, shutdown.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Error as WsError;

use crate::common::*;

#[tokio::test]
async fn upgrades_only_on_the_websocket_path_by_prefix() {
    let server = start(config()).await;
    let addr = server.local_addr();
    for path in ["/websocket", "/websocket?x=y", "/websocket/sub"] {
        let mut client = Client::connect_path(addr, path).await.expect(path);
        client.expect_nothing_pending().await;
    }
    for path in ["/", "/ws", "/websocketx"] {
        match Client::connect_path(addr, path).await {
            Err(WsError::Http(response)) => assert_eq!(response.status(), 404, "{path}"),
            Err(other) => panic!("{path}: unexpected {other}"),
            Ok(_) => panic!("{path} was upgraded"),
        }
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_requested_subprotocol_is_not_selected() {
    let server = start(config()).await;
    let mut tcp = TcpStream::connect(server.local_addr()).await.unwrap();
    let request = format!(
        "GET /websocket HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Protocol: chat, superchat\r\n\r\n",
        server.local_addr()
    );
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    while !response.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8; 1];
        tcp.read_exact(&mut byte).await.unwrap();
        response.push(byte[0]);
    }
    let response = String::from_utf8(response).unwrap().to_ascii_lowercase();
    assert!(response.starts_with("http/1.1 101"), "{response}");
    assert!(response.contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="));
    assert!(!response.contains("sec-websocket-protocol"), "{response}");
    server.shutdown().await;
}

/// Content that makes an echo request exactly `len` bytes long.
fn padding(len: usize) -> String {
    "x".repeat(len - echo("").len())
}

fn echo_of_len(len: usize) -> String {
    echo(&padding(len))
}

#[tokio::test]
async fn frames_up_to_max_frame_are_accepted_and_larger_ones_close() {
    let server = start(config()).await;
    let mut client = Client::connect(&server).await;
    client.send(echo_of_len(65_536)).await;
    assert_eq!(client.recv().await, echo_reply(&padding(65_536)));
    client.send(echo_of_len(65_537)).await;
    client.expect_bye().await;
    server.shutdown().await;

    let mut small = config();
    small.max_frame = 1_000;
    let server = start(small).await;
    let mut client = Client::connect(&server).await;
    client.send(echo_of_len(1_001)).await;
    client.expect_bye().await;
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_says_bye_to_every_connection_and_stops_listening() {
    let server = start(config()).await;
    let addr = server.local_addr();
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let mut anonymous = Client::connect(&server).await;
    anonymous.expect_nothing_pending().await;
    tokio::time::timeout(Duration::from_secs(5), server.shutdown())
        .await
        .expect("shutdown is bounded");
    alice.expect_bye().await;
    anonymous.expect_bye().await;
    assert!(TcpStream::connect(addr).await.is_err());
}
