//! The simulated server itself follows docs/protocol.md: checked on raw frames, without a client, so
//! the scenario tests stand on a trustworthy peer.

mod sim;

use mobileimsdk_wasm::protocol::{
    ErrorResponse, KickoutInfo, LoginInfo, LoginResponse, Protocal, ProtocalType,
};
use sim::server::{ConnId, ServerAction, ServerConfig, SimServer};
use sim::{login_info, CloseReason, Verdict};

const EPOCH: i64 = 1_795_676_203_175;

fn server() -> SimServer {
    SimServer::new(ServerConfig::default(), 0, 1)
}

/// The frames written to `conn` since the last call, decoded, and whether `conn` was closed.
fn written(server: &mut SimServer, conn: ConnId) -> (Vec<Protocal>, bool) {
    let mut frames = Vec::new();
    let mut closed = false;
    for action in server.take_actions() {
        match action {
            ServerAction::Write(c, text) if c == conn => {
                frames.push(Protocal::decode(&text, usize::MAX).unwrap())
            }
            ServerAction::Close(c) if c == conn => closed = true,
            _ => {}
        }
    }
    (frames, closed)
}

fn login_frame(info: &LoginInfo) -> String {
    Protocal::login(info).encode()
}

fn logged_in(server: &mut SimServer, now: u64, conn: ConnId, uid: &str) -> i64 {
    server.on_open(now, conn);
    server.on_text(now, conn, &login_frame(&login_info(uid)));
    let (frames, _) = written(server, conn);
    frames[0]
        .payload::<LoginResponse>()
        .unwrap()
        .first_login_time
}

fn data(from: &str, to: &str, fp: &str) -> String {
    let mut p = Protocal::new(ProtocalType::COMMON_DATA, Some("x".into()), from, to);
    p.qos = true;
    p.fp = Some(fp.into());
    p.encode()
}

#[test]
fn login_is_answered_with_code_0_and_the_server_time_as_first_login_time() {
    let mut s = server();
    s.on_open(500, 1);
    s.on_text(500, 1, &login_frame(&login_info("alice")));
    let (frames, closed) = written(&mut s, 1);
    assert!(!closed);
    assert_eq!(frames.len(), 1);
    assert_eq!((frames[0].kind, frames[0].to.as_str()), (50, "alice"));
    assert_eq!(frames[0].sm, Some(-1));
    assert_eq!(
        frames[0].payload::<LoginResponse>().unwrap(),
        LoginResponse {
            code: 0,
            first_login_time: EPOCH + 500
        }
    );
    // A login again on the same channel: code 0 again, same time, no verification.
    s.set_verdict("alice", Verdict::Reject(1025));
    s.on_text(900, 1, &login_frame(&login_info("alice")));
    let (frames, _) = written(&mut s, 1);
    assert_eq!(
        frames[0]
            .payload::<LoginResponse>()
            .unwrap()
            .first_login_time,
        EPOCH + 500
    );
}

#[test]
fn a_rejected_login_gets_its_code_and_the_socket_closes() {
    let mut s = server();
    s.set_verdict("alice", Verdict::Reject(1025));
    s.on_open(0, 1);
    s.on_text(0, 1, &login_frame(&login_info("alice")));
    let (frames, closed) = written(&mut s, 1);
    assert!(closed);
    assert_eq!(frames[0].to, "-1");
    assert_eq!(
        frames[0].payload::<LoginResponse>().unwrap(),
        LoginResponse {
            code: 1025,
            first_login_time: -1
        }
    );
}

#[test]
fn first_login_time_0_kicks_the_older_session_and_the_returned_value_replaces_it_quietly() {
    let mut s = server();
    let first = logged_in(&mut s, 0, 1, "bob");
    // Relogin with the value the server returned: replaces without a kick, echoed back.
    s.on_open(100, 2);
    let mut info = login_info("bob");
    info.first_login_time = first;
    s.on_text(100, 2, &login_frame(&info));
    assert_eq!(written(&mut s, 1), (vec![], false));
    assert_eq!(s.online_conn("bob"), Some(2));
    // A new login (0) kicks it: type 54 code 1 to the old socket, then close.
    s.on_open(200, 3);
    s.on_text(200, 3, &login_frame(&login_info("bob")));
    let actions = s.take_actions();
    let kick = actions
        .iter()
        .find_map(|a| match a {
            ServerAction::Write(2, text) => Some(Protocal::decode(text, usize::MAX).unwrap()),
            _ => None,
        })
        .unwrap();
    assert_eq!(kick.kind, 54);
    assert_eq!(
        kick.payload::<KickoutInfo>().unwrap(),
        KickoutInfo {
            code: 1,
            reason: None
        }
    );
    assert!(actions.contains(&ServerAction::Close(2)));
    assert_eq!(s.online_conn("bob"), Some(3));
}

#[test]
fn data_keep_alive_and_acks_before_login_get_error_301_and_a_close() {
    for text in [
        Protocal::keep_alive("alice").encode(),
        data("alice", "bob", "f1"),
        Protocal::new(ProtocalType::RECEIVED, Some("f1".into()), "alice", "0").encode(),
    ] {
        let mut s = server();
        s.on_open(0, 1);
        s.on_text(0, 1, &text);
        let (frames, closed) = written(&mut s, 1);
        assert!(closed);
        assert_eq!((frames[0].kind, frames[0].to.as_str()), (52, "-1"));
        let error: ErrorResponse = frames[0].payload().unwrap();
        assert_eq!(error.error_code, 301);
        assert_eq!(error.error_msg.as_deref(), Some(text.as_str()));
    }
}

#[test]
fn bad_frames_close_silently_and_unknown_types_are_ignored() {
    for text in ["not json", "null", "{}", r#"{"type":2,"dataContent":{}}"#] {
        let mut s = server();
        s.on_open(0, 1);
        s.on_text(0, 1, text);
        assert_eq!(written(&mut s, 1), (vec![], true), "{text}");
    }
    let mut s = server();
    logged_in(&mut s, 0, 1, "alice");
    s.on_text(0, 1, r#"{"type":99,"from":"alice","to":"0"}"#);
    assert_eq!(written(&mut s, 1), (vec![], false));
    s.on_binary(0, 1);
    assert_eq!(written(&mut s, 1), (vec![], true));
    assert_eq!(s.log.closes[0].2, CloseReason::BadFrame);
}

#[test]
fn keep_alive_is_answered_and_idle_sockets_close_after_11_s() {
    let mut s = server();
    logged_in(&mut s, 0, 1, "alice");
    s.on_text(5_000, 1, &Protocal::keep_alive("alice").encode());
    let (frames, _) = written(&mut s, 1);
    assert_eq!((frames[0].kind, frames[0].to.as_str()), (51, "alice"));
    // 11 s after the last inbound frame (the keep-alive at 5 s).
    s.handle_timeout(15_999);
    assert!(!written(&mut s, 1).1);
    s.handle_timeout(16_000);
    assert!(written(&mut s, 1).1);
    assert!(!s.is_online("alice"));
    assert_eq!(s.log.closes[0].2, CloseReason::Idle);
}

#[test]
fn c2c_is_forwarded_acked_on_write_and_resent_once() {
    let mut s = server();
    logged_in(&mut s, 0, 1, "alice");
    logged_in(&mut s, 0, 2, "bob");
    s.on_text(1_000, 1, &data("alice", "bob", "f1"));
    let actions = s.take_actions();
    let to_bob: Vec<_> = actions
        .iter()
        .filter_map(|a| match a {
            ServerAction::Write(2, t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(to_bob.len(), 1);
    assert!(
        to_bob[0].ends_with(r#""typeu":-1,"sm":0}"#),
        "{}",
        to_bob[0]
    );
    let ack = actions
        .iter()
        .find_map(|a| match a {
            ServerAction::Write(1, t) => Some(Protocal::decode(t, usize::MAX).unwrap()),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        (ack.kind, ack.from.as_str(), ack.to.as_str()),
        (4, "bob", "alice")
    );
    assert_eq!(ack.data_content.as_deref(), Some("f1"));
    // Bob never acks: one resend at a check at least 2 s later, then given up.
    s.handle_timeout(5_000);
    assert_eq!(written(&mut s, 2).0.len(), 1);
    s.handle_timeout(10_000);
    assert_eq!(written(&mut s, 2).0.len(), 0);
    assert_eq!(s.log.s2c_lost.len(), 1);
    // With bob's ack, no resend.
    s.on_text(11_000, 1, &data("alice", "bob", "f2"));
    s.take_actions();
    s.on_text(
        11_100,
        2,
        &Protocal::new(ProtocalType::RECEIVED, Some("f2".into()), "bob", "alice").encode(),
    );
    s.handle_timeout(20_000);
    assert!(written(&mut s, 2).0.is_empty());
}

#[test]
fn c2c_to_an_offline_user_is_dropped_without_an_ack() {
    let mut s = server();
    logged_in(&mut s, 0, 1, "alice");
    s.on_text(0, 1, &data("alice", "nobody", "f1"));
    assert_eq!(written(&mut s, 1), (vec![], false));
    assert_eq!(s.log.c2c_dropped.len(), 1);
}

#[test]
fn c2s_is_acked_every_time_but_processed_once() {
    let mut s = server();
    logged_in(&mut s, 0, 1, "alice");
    for _ in 0..3 {
        s.on_text(0, 1, &data("alice", "0", "f1"));
        let (frames, _) = written(&mut s, 1);
        assert_eq!(
            (
                frames[0].kind,
                frames[0].from.as_str(),
                frames[0].to.as_str()
            ),
            (4, "0", "alice")
        );
    }
    assert_eq!(s.log.c2s_processed.len(), 1);
}

#[test]
fn logout_closes_without_a_reply_and_echo_needs_no_login() {
    let mut s = server();
    s.on_open(0, 1);
    s.on_text(
        0,
        1,
        &Protocal::new(ProtocalType::ECHO, Some("e".into()), "x", "0").encode(),
    );
    let (frames, closed) = written(&mut s, 1);
    assert_eq!((frames[0].kind, closed), (53, false));
    logged_in(&mut s, 0, 2, "alice");
    s.on_text(0, 2, &Protocal::logout("alice").encode());
    assert_eq!(written(&mut s, 2), (vec![], true));
    assert!(!s.is_online("alice"));
}
