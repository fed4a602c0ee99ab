//! `--chaos`: per-connection drop, duplicate, delay and cut, reproducible from the seed.

use std::time::Duration;

use imsdk_devserver::chaos::ChaosSpec;
use tokio::time::{timeout, Instant};

use crate::common::*;

fn chaos_config(spec: &str) -> imsdk_devserver::Config {
    let mut config = config();
    config.chaos = Some(spec.parse::<ChaosSpec>().expect("a chaos spec"));
    config
}

/// Every text frame that arrives until the connection has been quiet for a (virtual) second.
async fn drain(client: &mut Client) -> Vec<String> {
    let mut frames = Vec::new();
    while let Ok(event) = timeout(Duration::from_secs(1), client.next_event()).await {
        match event {
            Event::Text(text) => frames.push(text),
            other => panic!("unexpected {other:?}"),
        }
    }
    frames
}

/// Sends 40 echo requests on the first two connections and returns what came back on each.
async fn echo_run(spec: &str) -> Vec<Vec<String>> {
    let server = start(chaos_config(spec)).await;
    let mut seen = Vec::new();
    for _ in 0..2 {
        let mut client = Client::connect(&server).await;
        for i in 0..40 {
            client.send(echo(&format!("m{i}"))).await;
        }
        seen.push(drain(&mut client).await);
    }
    server.shutdown().await;
    seen
}

#[tokio::test(start_paused = true)]
async fn drop_and_dup_are_reproducible_from_the_seed() {
    let spec = "seed=7,drop=0.25,dup=0.25";
    let first = echo_run(spec).await;
    assert_eq!(first, echo_run(spec).await);
    assert_ne!(first, echo_run("seed=8,drop=0.25,dup=0.25").await);
    assert_ne!(first[0], first[1], "each connection has its own stream");
    for frames in &first {
        let mut unique = frames.clone();
        unique.dedup();
        assert!(unique.len() < 40, "some frames were dropped");
        assert!(frames.len() > unique.len(), "some frames were duplicated");
        // Order is kept: what arrives is a subsequence of what was asked for.
        let asked: Vec<String> = (0..40).map(|i| echo_reply(&format!("m{i}"))).collect();
        let mut rest = asked.iter();
        assert!(unique.iter().all(|f| rest.any(|a| a == f)));
    }
}

#[tokio::test(start_paused = true)]
async fn delay_holds_each_frame_within_the_range() {
    let server = start(chaos_config("seed=1,delay=100-200")).await;
    let mut client = Client::connect(&server).await;
    for i in 0..5 {
        let sent = Instant::now();
        client.send(echo(&format!("d{i}"))).await;
        assert_eq!(client.recv().await, echo_reply(&format!("d{i}")));
        let delay = sent.elapsed();
        assert!(
            delay >= Duration::from_millis(100) && delay <= Duration::from_millis(200),
            "{delay:?}"
        );
    }
    server.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn cut_closes_each_connection_without_a_close_frame_reproducibly() {
    let cuts = || async {
        let server = start(chaos_config("seed=3,cut=1000")).await;
        let mut after = Vec::new();
        for _ in 0..3 {
            let opened = Instant::now();
            let (mut client, _) = Client::logged_in(&server, "alice").await;
            assert_eq!(client.next_event().await, Event::Ended);
            let elapsed = opened.elapsed();
            assert!(
                elapsed >= Duration::from_millis(500) && elapsed <= Duration::from_millis(1500),
                "{elapsed:?}"
            );
            after.push(elapsed);
        }
        assert_eq!(server.stats().online, 0);
        server.shutdown().await;
        after
    };
    let first = cuts().await;
    assert_eq!(first, cuts().await);
    assert!(first.windows(2).any(|w| w[0] != w[1]));
}

#[tokio::test(start_paused = true)]
async fn a_full_queue_fails_the_write_so_the_sender_gets_no_ack() {
    // Every written frame waits 0.4 s, so bob's writer falls behind and his queue of 2 fills up.
    let mut config = chaos_config("seed=1,delay=400-400");
    config.queue_capacity = 2;
    let server = start(config).await;
    let (mut alice, _) = Client::logged_in(&server, "alice").await;
    let (mut bob, _) = Client::logged_in(&server, "bob").await;
    for i in 0..6 {
        alice
            .send(c2c("alice", "bob", "burst", &format!("f{i}")))
            .await;
    }
    let delivered = drain(&mut bob).await;
    let acked = drain(&mut alice).await;
    let k = delivered.len();
    assert!((1..6).contains(&k), "{k} of 6 fit in the queue");
    for (i, (message, ack)) in delivered.iter().zip(&acked).enumerate() {
        let fp = format!("f{i}");
        assert_eq!(*message, forwarded(&c2c("alice", "bob", "burst", &fp)));
        assert_eq!(*ack, server_ack("bob", "alice", &fp));
    }
    assert_eq!(acked.len(), k, "only queued messages are acknowledged");
    assert_eq!(server.stats().c2c_forwarded, k as u64);
    server.shutdown().await;
}
