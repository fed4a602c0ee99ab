//! docs/client-behaviour.md §6: logout, kick-out, errors.

mod sim;

use mobileimsdk_wasm::core::{ConnectionState, Event, Output};
use mobileimsdk_wasm::protocol::{KickoutInfo, ProtocalType};
use sim::{logged_in_client, CloseReason, World};

fn app_events(w: &World, id: usize, mark: usize) -> Vec<Event> {
    w.events_since(id, mark)
}

#[test]
fn logout_sends_type_3_closes_and_reports_every_pending_message_lost() {
    let mut w = World::new(1);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let in_flight = w.send_text(alice, "nobody", "a", true).unwrap();
    w.run_for(6_000); // resent once by now
    let also = w.send_text(alice, "nobody", "b", true).unwrap();
    let generation = w.current_generation(alice).unwrap();
    let mark = w.mark(alice);
    w.logout(alice);
    let (_, last) = w.frames_out(alice).pop().unwrap();
    assert_eq!(last.kind, ProtocalType::LOGOUT);
    assert_eq!((last.from.as_str(), last.to.as_str()), ("alice", "0"));
    assert_eq!(last.data_content, None);
    assert_eq!(w.clients[alice].closes.last().unwrap().1, generation);
    let lost = w.lost(alice);
    assert_eq!(
        lost.iter().map(|l| l.send_id).collect::<Vec<_>>(),
        [in_flight.send_id, also.send_id]
    );
    assert!(app_events(&w, alice, mark).contains(&Event::StateChanged(ConnectionState::LoggedOut)));
    assert_eq!(w.state(alice), ConnectionState::LoggedOut);
    assert!(!w.client(alice).is_logged_in());
    w.run_for(100);
    assert!(w
        .server
        .log
        .closes
        .iter()
        .any(|(_, _, reason)| *reason == CloseReason::Logout));
    assert!(!w.server.is_online("alice"));
    w.run_for(120_000);
    assert_eq!(w.sockets_opened(alice), 1, "no reconnect");
    assert_eq!(w.count(alice, |e| *e == Event::Disconnected), 0);
}

#[test]
fn logout_while_reconnecting_sends_no_frame_and_reports_queued_messages_lost() {
    let mut w = World::new(2);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.set_network(alice, false);
    w.send_text(alice, "bob", "queued", true).unwrap();
    w.run_for(5_000);
    assert_eq!(w.state(alice), ConnectionState::Reconnecting);
    w.logout(alice);
    assert!(w.sent_times(alice, ProtocalType::LOGOUT).is_empty());
    assert_eq!(w.lost(alice).len(), 1);
    assert!(!w.lost(alice)[0].written);
    assert_eq!(w.state(alice), ConnectionState::LoggedOut);
    w.set_network(alice, true);
    w.run_for(60_000);
    assert_eq!(w.state(alice), ConnectionState::LoggedOut);
}

#[test]
fn logout_forgets_the_login_info_at_once_and_still_reports_what_it_ends() {
    let mut client = logged_in_client(3, "alice", 1_795_676_203_175);
    client
        .send(30, &sim::message("nobody", "pending", true))
        .unwrap();
    while !matches!(client.poll_output(), Output::Timeout(_)) {}
    client.logout(40);
    assert!(
        client.login_info().is_none(),
        "forgotten by the logout itself"
    );
    let mut saw_lost = false;
    loop {
        match client.poll_output() {
            Output::Timeout(_) => break,
            Output::Event(Event::MessagesLost(lost)) => {
                saw_lost = true;
                assert_eq!(lost[0].message().from, "alice");
            }
            _ => {}
        }
    }
    assert!(saw_lost);
    assert_eq!(client.state(), ConnectionState::LoggedOut);
}

#[test]
fn a_login_elsewhere_kicks_this_client_out_for_good() {
    let mut w = World::new(4);
    let phone = w.add_client("alice");
    let laptop = w.add_client("alice");
    w.login_and_wait(phone);
    let pending = w.send_text(phone, "nobody", "pending", true).unwrap();
    let mark = w.mark(phone);
    w.login_and_wait(laptop);
    w.run_for(100);
    assert_eq!(
        app_events(&w, phone, mark),
        [
            Event::Kicked(KickoutInfo {
                code: 1,
                reason: None
            }),
            Event::MessagesLost(vec![w.lost(phone)[0].clone()]),
            Event::StateChanged(ConnectionState::Kicked),
            Event::Disconnected,
        ]
    );
    assert_eq!(w.lost(phone)[0].send_id, pending.send_id);
    w.run_for(120_000);
    assert_eq!(w.sockets_opened(phone), 1, "no reconnect after a kick");
    assert_eq!(w.state(phone), ConnectionState::Kicked);
    assert!(w.client(laptop).is_online());
    assert_eq!(w.count(laptop, |e| matches!(e, Event::Kicked(_))), 0);
    assert_eq!(w.sockets_opened(laptop), 1);
}

#[test]
fn admin_kick_passes_code_and_reason_to_the_app() {
    let mut w = World::new(5);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.write_raw(
        "alice",
        r#"{"bridge":false,"type":54,"dataContent":"{\"code\":2,\"reason\":\"maintenance\"}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#,
    );
    w.run_for(100);
    assert_eq!(
        w.count(alice, |e| *e
            == Event::Kicked(KickoutInfo {
                code: 2,
                reason: Some("maintenance".into())
            })),
        1
    );
    assert_eq!(w.state(alice), ConnectionState::Kicked);
}

#[test]
fn a_kick_right_after_a_code_0_login_is_authoritative() {
    let mut w = World::new(6);
    let alice = w.add_client("alice");
    w.login(alice);
    // The server accepts the login and kicks the session in the same instant: the client
    // reads the code-0 reply and the kick-out back to back.
    assert!(w.run_until_cond(1_000, |w| w.server.is_online("alice")));
    assert!(!w.client(alice).is_online());
    w.kick("alice", 1);
    w.run_for(100);
    assert_eq!(
        w.states(alice),
        [
            ConnectionState::Connecting,
            ConnectionState::LoggingIn,
            ConnectionState::Online,
            ConnectionState::Kicked
        ]
    );
    w.run_for(60_000);
    assert_eq!(w.sockets_opened(alice), 1);
    assert_eq!(w.state(alice), ConnectionState::Kicked);
}

#[test]
fn error_301_while_online_is_a_link_loss_and_the_client_logs_in_again() {
    let mut w = World::new(7);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.run_for(1_000);
    // The server loses alice's login; her next frame gets error 301 and a close.
    w.forget_session("alice");
    let fp = w.send_qos(alice, "0", "during the failover");
    w.run_for(100);
    assert!(w
        .server
        .log
        .closes
        .iter()
        .any(|(_, _, reason)| *reason == CloseReason::NotLoggedIn));
    assert_eq!(w.count(alice, |e| *e == Event::Disconnected), 1);
    assert_eq!(w.count(alice, |e| *e == Event::Reconnected), 1);
    assert!(w.client(alice).is_online());
    assert_eq!(
        w.count(alice, |e| matches!(e, Event::LoginFailed { .. })),
        0
    );
    w.run_for(1_000);
    assert_eq!(
        w.received(alice),
        [fp],
        "the message went through after relogin"
    );
    assert_eq!(w.server.log.c2s_processed.len(), 1);
}

#[test]
fn a_kick_out_with_an_unreadable_payload_still_ends_the_session() {
    // Reading chosen: type 54 is the server's verdict whatever its payload says (the server
    // closes the socket next). Reconnecting instead would fight the other device.
    let mut w = World::new(8);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.write_raw(
        "alice",
        r#"{"bridge":false,"type":54,"dataContent":"garbled","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#,
    );
    w.run_for(60_000);
    assert_eq!(w.state(alice), ConnectionState::Kicked);
    assert_eq!(w.sockets_opened(alice), 1);
}

#[test]
fn a_kick_out_during_a_relogin_does_not_report_a_second_disconnect() {
    let mut w = World::new(9);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    // The relogin's reply never arrives, and the server kicks the new session.
    w.drop_to_client(alice, |t| {
        sim::frame_type(t) == Some(ProtocalType::RESPONSE_LOGIN)
    });
    w.cut(alice);
    assert!(w.run_until_cond(1_000, |w| w.server.log.logins.len() == 2));
    assert_eq!(w.state(alice), ConnectionState::LoggingIn);
    w.kick("alice", 2);
    w.run_for(100);
    assert_eq!(w.state(alice), ConnectionState::Kicked);
    assert_eq!(w.count(alice, |e| matches!(e, Event::Kicked(_))), 1);
    assert_eq!(
        w.count(alice, |e| *e == Event::Disconnected),
        1,
        "the outage was reported once, when the link was lost"
    );
    sim::check::check_event_order(&w, alice).unwrap();
}
