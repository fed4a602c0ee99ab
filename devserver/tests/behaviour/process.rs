//! The `imsdk-devserver` binary: `--help`, `--log-frames`, SIGINT/SIGTERM.

use std::net::SocketAddr;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};
use tokio::time::timeout;

use crate::common::*;

const BIN: &str = env!("CARGO_BIN_EXE_imsdk-devserver");
const LIMIT: Duration = Duration::from_secs(10);

#[test]
fn help_says_it_is_a_development_server() {
    let output = std::process::Command::new(BIN)
        .arg("--help")
        .output()
        .expect("runs");
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.contains("DEVELOPMENT"), "{help}");
    assert!(help.contains("NOT a production server"));
    assert!(help.contains("stock MobileIMSDK server"));
    for option in [
        "--listen",
        "--max-frame",
        "--idle-timeout",
        "--qos-check-interval",
        "--reject-token",
        "--offline-ack",
        "--chaos",
        "--log-frames",
    ] {
        assert!(help.contains(option), "{option}");
    }
}

struct Running {
    child: Child,
    addr: SocketAddr,
    stdout: Lines<BufReader<ChildStdout>>,
}

impl Running {
    async fn start(args: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("spawns");
        let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = timeout(LIMIT, async {
            loop {
                let line = stderr.next_line().await.unwrap().expect("a banner");
                if let Some((_, url)) = line.split_once("listening on ws://") {
                    return url.trim_end_matches("/websocket").parse().unwrap();
                }
            }
        })
        .await
        .expect("starts in time");
        tokio::spawn(async move { while let Ok(Some(_)) = stderr.next_line().await {} });
        let stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        Self {
            child,
            addr,
            stdout,
        }
    }

    async fn logged_in(&self, uid: &str) -> Client {
        let mut client = Client::connect_path(self.addr, "/websocket").await.unwrap();
        client.send(login(uid, 0)).await;
        login_ok_time(&client.recv().await, uid);
        client
    }

    async fn signal(mut self, name: &str) -> ExitStatus {
        let pid = self.child.id().expect("running").to_string();
        let sent = Command::new("kill")
            .args([format!("-{name}"), pid])
            .status()
            .await;
        assert!(sent.expect("kill runs").success());
        timeout(LIMIT, self.child.wait())
            .await
            .expect("exits in time")
            .unwrap()
    }
}

#[tokio::test]
async fn sigterm_and_sigint_shut_down_cleanly() {
    for signal in ["TERM", "INT"] {
        let server = Running::start(&[]).await;
        let mut client = server.logged_in("alice").await;
        let (status, ()) = tokio::join!(server.signal(signal), client.expect_bye());
        assert!(status.success(), "{signal}: {status}");
    }
}

#[tokio::test]
async fn log_frames_prints_every_frame_in_and_out_as_a_json_line() {
    let mut server = Running::start(&["--log-frames"]).await;
    let mut client = server.logged_in("alice").await;
    client.send(keep_alive("alice")).await;
    let reply = client.recv().await;

    let mut lines = Vec::new();
    for _ in 0..4 {
        let line = timeout(LIMIT, server.stdout.next_line())
            .await
            .expect("a line in time")
            .unwrap()
            .expect("a line");
        let value: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        assert!(value["ts"]
            .as_u64()
            .is_some_and(|ts| ts > 1_600_000_000_000));
        assert_eq!(value["conn"], 0);
        lines.push((
            value["dir"].as_str().unwrap().to_owned(),
            value["frame"].as_str().unwrap().to_owned(),
        ));
    }
    assert_eq!(lines[0], ("in".into(), login("alice", 0)));
    assert_eq!(lines[1].0, "out");
    login_ok_time(&lines[1].1, "alice");
    assert_eq!(lines[2], ("in".into(), keep_alive("alice")));
    assert_eq!(lines[3], ("out".into(), reply));
    let (status, ()) = tokio::join!(server.signal("TERM"), client.expect_bye());
    assert!(status.success());
}
