//! docs/client-behaviour.md §3: reconnect (auto-relogin).

mod sim;

use mobileimsdk_wasm::core::{ConnectionState, Event};
use mobileimsdk_wasm::protocol::{LoginInfo, ProtocalType};
use sim::{Verdict, World};

fn open_times(w: &World, id: usize) -> Vec<u64> {
    w.clients[id].opens.iter().map(|(t, _)| *t).collect()
}

/// Opens after a link loss while the server refuses sockets (each refusal takes 20 ms).
fn backoff_pauses(seed: u64) -> Vec<u64> {
    let mut w = World::new(seed);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.server_accepting = false;
    w.cut(alice);
    w.run_for(200_000);
    open_times(&w, alice)[1..]
        .windows(2)
        .map(|p| p[1] - p[0] - 20)
        .collect()
}

#[test]
fn reconnect_is_immediate_then_backs_off_3_6_12_up_to_30s_with_jitter() {
    let nominal = [3_000, 6_000, 12_000, 24_000, 30_000, 30_000, 30_000];
    let mut all = Vec::new();
    for seed in 1..=5 {
        let mut w = World::new(seed);
        let alice = w.add_client("alice");
        w.login_and_wait(alice);
        w.server_accepting = false;
        w.cut(alice);
        w.run_for(1_000);
        let lost_at = w.times_of(alice, |e| *e == Event::Disconnected)[0];
        assert_eq!(
            open_times(&w, alice)[1],
            lost_at,
            "first attempt is immediate"
        );
        let pauses = backoff_pauses(seed);
        assert!(pauses.len() >= nominal.len(), "{pauses:?}");
        for (pause, nominal) in pauses.iter().zip(nominal) {
            assert!(
                (nominal * 8 / 10..=nominal * 12 / 10).contains(pause),
                "pause {pause} is not {nominal} ± 20 %: {pauses:?}"
            );
        }
        all.push(pauses);
    }
    all.dedup();
    assert!(all.len() > 1, "jitter varies the delays");
}

#[test]
fn backoff_resets_after_a_successful_reconnect() {
    let mut w = World::new(2);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.server_accepting = false;
    w.cut(alice);
    w.run_for(60_000);
    w.server_accepting = true;
    assert!(w.run_until_cond(40_000, |w| w.client(alice).is_online()));
    // The relogin holds (stable_online_ms, 1 s): its loss is a fresh outage.
    w.run_for(3_000);
    let before = w.sockets_opened(alice);
    w.cut(alice);
    w.run_for(100);
    assert_eq!(w.sockets_opened(alice), before + 1, "immediate again");
    assert!(w.client(alice).is_online());
}

#[test]
fn relogins_that_drop_at_once_keep_backing_off() {
    // A server that accepts every relogin and drops it right away: each success must not reset
    // the backoff, or the client reconnects in a tight loop (hostile-server.test.mjs found ~44
    // logins/s against such a server).
    let mut w = World::new(6);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.run_for(5_000);
    for _ in 0..5 {
        w.cut(alice);
        assert!(w.run_until_cond(60_000, |w| !w.client(alice).is_online()));
        assert!(w.run_until_cond(60_000, |w| w.client(alice).is_online()));
    }
    w.run_for(10);
    let opens = open_times(&w, alice);
    let pauses: Vec<u64> = opens[1..].windows(2).map(|p| p[1] - p[0]).collect();
    assert_eq!(pauses.len(), 4, "{opens:?}");
    for (pause, nominal) in pauses.iter().zip([3_000, 6_000, 12_000, 24_000]) {
        assert!(
            *pause >= nominal * 8 / 10,
            "pause {pause} is shorter than {nominal} - 20 %: {pauses:?}"
        );
    }
    w.run_for(3_000);
    let before = w.sockets_opened(alice);
    w.cut(alice);
    w.run_for(100);
    assert_eq!(
        w.sockets_opened(alice),
        before + 1,
        "a relogin that held resets it"
    );
}

#[test]
fn network_up_triggers_an_immediate_attempt() {
    let mut w = World::new(3);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.set_network(alice, false);
    w.run_for(40_000);
    assert_eq!(w.state(alice), ConnectionState::Reconnecting);
    let opened = w.sockets_opened(alice);
    let at = w.now;
    w.set_network(alice, true);
    assert_eq!(w.sockets_opened(alice), opened + 1);
    assert_eq!(*open_times(&w, alice).last().unwrap(), at);
    w.run_for(100);
    assert!(w.client(alice).is_online());
}

#[test]
fn app_shown_triggers_an_immediate_attempt() {
    let mut w = World::new(4);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.server_accepting = false;
    w.cut(alice);
    w.run_for(30_000);
    assert_eq!(w.state(alice), ConnectionState::Reconnecting);
    w.server_accepting = true;
    let opened = w.sockets_opened(alice);
    w.handle_app_hidden(alice);
    assert_eq!(w.sockets_opened(alice), opened, "hiding does not connect");
    w.handle_app_shown(alice);
    assert_eq!(w.sockets_opened(alice), opened + 1);
    w.run_for(100);
    assert!(w.client(alice).is_online());
}

#[test]
fn hints_do_not_open_a_second_socket_while_an_attempt_is_under_way() {
    let mut w = World::new(5);
    w.set_verdict("alice", Verdict::Ignore);
    let alice = w.add_client("alice");
    w.login(alice);
    w.run_for(1_000);
    w.handle_app_shown(alice);
    w.set_network(alice, true);
    assert_eq!(w.sockets_opened(alice), 1);
}

#[test]
fn relogin_sends_the_first_login_time_of_the_server_and_is_not_kicked() {
    let mut w = World::new(6);
    let alice = w.add_client("alice");
    w.clients[alice].info.extra = Some("{\"device\":\"phone\"}".into());
    w.login_and_wait(alice);
    let answered = w.server.log.logins[0].answered_first_login_time;
    assert!(answered > 0);
    // A half-open link: the server still holds the old session when the relogin arrives.
    w.blackhole(alice, true);
    assert!(
        w.run_until_cond(20_000, |w| w.count(alice, |e| *e == Event::Reconnected)
            == 1)
    );
    let logins: Vec<LoginInfo> = w
        .frames_out(alice)
        .into_iter()
        .filter(|(_, p)| p.kind == ProtocalType::LOGIN)
        .map(|(_, p)| p.payload().unwrap())
        .collect();
    assert_eq!(logins.len(), 2);
    assert_eq!(logins[0].first_login_time, 0);
    assert_eq!(logins[1].first_login_time, answered);
    assert_eq!(logins[1].login_token, logins[0].login_token);
    assert_eq!(logins[1].extra, logins[0].extra);
    assert!(w.server.is_online("alice"));
    assert!(w.server.log.kicks.is_empty(), "replaced without a kick");
    assert!(!w.server.log.logins[1].kicked_older);
    assert_eq!(
        w.client(alice).login_info().unwrap().first_login_time,
        answered
    );
}

#[test]
fn reconnect_success_reports_reconnected_not_a_first_login() {
    let mut w = World::new(7);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    for _ in 0..3 {
        w.cut(alice);
        // Long enough for the relogin to hold, so the next loss reconnects at once again.
        w.run_for(4_000);
    }
    assert_eq!(w.count(alice, |e| *e == Event::LoginSucceeded), 1);
    assert_eq!(w.count(alice, |e| *e == Event::Reconnected), 3);
    assert_eq!(w.count(alice, |e| *e == Event::Disconnected), 3);
    assert!(w.client(alice).is_logged_in());
}

#[test]
fn a_failed_reconnect_attempt_is_not_reported_as_a_login_failure() {
    let mut w = World::new(8);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.set_verdict("alice", Verdict::Ignore);
    w.cut(alice);
    w.run_for(60_000);
    assert!(w.sockets_opened(alice) >= 4);
    assert_eq!(
        w.count(alice, |e| matches!(e, Event::LoginFailed { .. })),
        0
    );
    assert!(
        w.client(alice).is_logged_in(),
        "still logged in while reconnecting"
    );
}

#[test]
fn no_reconnect_after_logout() {
    let mut w = World::new(9);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.logout(alice);
    w.run_for(120_000);
    w.handle_app_shown(alice);
    w.set_network(alice, true);
    w.run_for(1_000);
    assert_eq!(w.sockets_opened(alice), 1);
    assert_eq!(w.state(alice), ConnectionState::LoggedOut);
}

#[test]
fn no_reconnect_after_a_kick_out() {
    let mut w = World::new(10);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.kick("alice", 2);
    w.run_for(120_000);
    w.handle_app_shown(alice);
    w.set_network(alice, true);
    w.run_for(1_000);
    assert_eq!(w.sockets_opened(alice), 1);
    assert_eq!(w.state(alice), ConnectionState::Kicked);
}

#[test]
fn no_reconnect_after_the_relogin_is_rejected() {
    let mut w = World::new(11);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.set_verdict("alice", Verdict::Reject(1100));
    w.cut(alice);
    w.run_for(120_000);
    w.handle_app_shown(alice);
    w.run_for(1_000);
    assert_eq!(w.sockets_opened(alice), 2);
    assert_eq!(w.state(alice), ConnectionState::AuthFailed);
    assert_eq!(
        w.events(alice)
            .into_iter()
            .filter(|e| matches!(e, Event::LoginFailed { .. }))
            .collect::<Vec<_>>(),
        [Event::LoginFailed {
            is_reconnect: true,
            code: 1100
        }]
    );
}
