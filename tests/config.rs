//! docs/client-behaviour.md §12: changing the config of a running client.

mod sim;

use mobileimsdk_wasm::core::{Client, Config, ConfigError, Event, Level, SeededRandom, Timing};
use mobileimsdk_wasm::protocol::{error_code, ProtocalType};
use sim::{LinkFaults, World};

/// Times at which `id` wrote the data frame with `fp`.
fn writes_of(w: &World, id: usize, fp: &str) -> Vec<u64> {
    w.frames_out(id)
        .into_iter()
        .filter(|(_, p)| p.kind == ProtocalType::COMMON_DATA && p.fp.as_deref() == Some(fp))
        .map(|(t, _)| t)
        .collect()
}

fn lost_times(w: &World, id: usize) -> Vec<u64> {
    w.times_of(id, |e| matches!(e, Event::MessagesLost(_)))
}

fn set(w: &mut World, id: usize, json: &str) -> Result<(), ConfigError> {
    w.drive(id, |c, now| c.set_config_json(now, json))
}

/// A QoS message to a user the server drops messages for (no ack ever comes); its fp.
fn send_unanswered(w: &mut World, id: usize) -> String {
    w.send_qos(id, "nobody", "into the void")
}

/// The warning lines of client `id` from event `mark` on.
fn warnings_since(w: &World, id: usize, mark: usize) -> Vec<String> {
    w.clients[id].events[mark..]
        .iter()
        .filter_map(|(_, e)| match e {
            Event::Log {
                level: Level::Warn,
                message,
                ..
            } => Some(message.clone()),
            _ => None,
        })
        .collect()
}

fn data_frame(fp: &str) -> String {
    format!(
        r#"{{"bridge":false,"type":2,"dataContent":"x","from":"alice","to":"bob","fp":"{fp}","QoS":true,"typeu":0,"sm":0}}"#
    )
}

#[test]
fn the_defaults_are_valid_and_an_empty_change_keeps_them() {
    let defaults = Config::default();
    assert_eq!(defaults.validate(), Ok(()));
    assert_eq!(defaults.with_json("{}"), Ok(Config::default()));
    for timing in Timing::ALL {
        let (min, max) = timing.bounds();
        assert!(
            (min..=max).contains(&timing.get(&defaults)),
            "{}",
            timing.name()
        );
    }
}

#[test]
fn a_shorter_qos_resend_interval_resends_sooner() {
    let mut w = World::new(1);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    set(
        &mut w,
        alice,
        r#"{"qosResendIntervalMs":3000,"qosMaxResends":3}"#,
    )
    .unwrap();
    let sent_at = w.now;
    let fp = send_unanswered(&mut w, alice);
    w.run_for(30_000);
    assert_eq!(
        writes_of(&w, alice, &fp),
        [sent_at, sent_at + 3_000, sent_at + 6_000, sent_at + 9_000]
    );
    assert_eq!(lost_times(&w, alice), [sent_at + 12_000]);
}

#[test]
fn a_new_interval_rearms_the_next_check_of_messages_in_flight_from_the_change() {
    let mut w = World::new(2);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let first_at = w.now;
    let first = send_unanswered(&mut w, alice);
    w.run_for(1_000);
    set(&mut w, alice, r#"{"qosResendIntervalMs":3000}"#).unwrap();
    let changed_at = w.now;
    w.run_for(500);
    let second_at = w.now;
    let second = send_unanswered(&mut w, alice);
    w.run_for(30_000);
    // The first is next checked 3 s after the change, not 5 s after its write.
    assert_eq!(
        writes_of(&w, alice, &first),
        [first_at, changed_at + 3_000, changed_at + 6_000]
    );
    assert_eq!(
        writes_of(&w, alice, &second),
        [second_at, second_at + 3_000, second_at + 6_000]
    );
    assert_eq!(
        lost_times(&w, alice),
        [changed_at + 9_000, second_at + 9_000]
    );
}

#[test]
fn a_longer_interval_postpones_the_check_of_a_message_in_flight() {
    let mut w = World::new(3);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    let first_at = w.now;
    let first = send_unanswered(&mut w, alice);
    w.run_for(4_000);
    set(
        &mut w,
        alice,
        r#"{"qosResendIntervalMs":10000,"qosMaxResends":0}"#,
    )
    .unwrap();
    let changed_at = w.now;
    w.run_for(30_000);
    assert_eq!(writes_of(&w, alice, &first), [first_at]);
    assert_eq!(lost_times(&w, alice), [changed_at + 10_000]);
}

#[test]
fn a_shorter_offline_hold_applies_to_messages_already_waiting() {
    let mut w = World::new(4);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    w.set_network(alice, false);
    w.drive(alice, |c, now| c.handle_network_changed(now, false));
    let queued_at = w.now;
    send_unanswered(&mut w, alice);
    w.run_for(5_000);
    assert!(w.lost(alice).is_empty());
    set(&mut w, alice, r#"{"offlineHoldMs":8000}"#).unwrap();
    w.run_for(30_000);
    assert_eq!(lost_times(&w, alice), [queued_at + 8_000]);
}

#[test]
fn a_smaller_dedupe_capacity_forgets_the_oldest_fingerprints_at_once() {
    let mut w = World::new(5);
    let bob = w.add_client("bob");
    w.login_and_wait(bob);
    for n in 0..150 {
        w.write_raw("bob", &data_frame(&format!("fp-{n}")));
    }
    w.run_for(100);
    assert_eq!(w.client(bob).remembered_fingerprints(), 150);
    set(&mut w, bob, r#"{"dedupeCapacity":100}"#).unwrap();
    assert_eq!(w.client(bob).remembered_fingerprints(), 100);
    // fp-0 … fp-49 were the oldest: evicted, so delivered again; fp-50 is still a duplicate.
    w.write_raw("bob", &data_frame("fp-50"));
    w.write_raw("bob", &data_frame("fp-49"));
    w.run_for(100);
    let fps: Vec<String> = w.data(bob).into_iter().map(|p| p.fp.unwrap()).collect();
    assert_eq!(fps.len(), 151);
    assert_eq!(fps[150], "fp-49");
}

#[test]
fn a_shorter_login_timeout_applies_from_the_next_attempt() {
    let mut w = World::new(6);
    let alice = w.add_client("alice");
    set(&mut w, alice, r#"{"loginTimeoutMs":2000}"#).unwrap();
    w.set_faults(
        alice,
        LinkFaults {
            delay_ms: 5_000,
            ..LinkFaults::CLEAN
        },
    );
    let started = w.now;
    w.login(alice);
    w.run_for(2_500);
    let failed = w.times_of(
        alice,
        |e| matches!(e, Event::LoginFailed { code, .. } if *code == error_code::LOGIN_TIMEOUT),
    );
    assert_eq!(failed, [started + 2_000]);
}

#[test]
fn the_backoff_follows_a_new_base_cap_and_jitter() {
    let mut w = World::new(7);
    let alice = w.add_client("alice");
    set(
        &mut w,
        alice,
        r#"{"reconnectBaseMs":1000,"reconnectCapMs":2000,"reconnectJitterPercent":0}"#,
    )
    .unwrap();
    w.set_network(alice, false);
    w.login(alice);
    w.run_for(10_000);
    let attempts: Vec<u64> = w.times_of(
        alice,
        |e| matches!(e, Event::StateChanged(s) if s.as_str() == "connecting"),
    );
    let gaps: Vec<u64> = attempts.windows(2).map(|p| p[1] - p[0]).collect();
    // Each attempt fails one link delay in (network down); the first retry is immediate, the
    // next wait 1 s, then 2 s (the cap), with no jitter.
    assert!(gaps.len() >= 4, "{attempts:?}");
    let failing = gaps[0];
    assert!(failing < 100, "{attempts:?}");
    assert_eq!(
        &gaps[1..4],
        [failing + 1_000, failing + 2_000, failing + 2_000],
        "{attempts:?}"
    );
}

#[test]
fn invalid_configs_are_refused_with_209_and_change_nothing() {
    let cases: [(&str, ConfigError); 11] = [
        ("null", ConfigError::NotAnObject),
        ("[]", ConfigError::NotAnObject),
        (
            r#"{"qosResendIntervalMs":3000,"resendMs":1}"#,
            ConfigError::UnknownField("resendMs".into()),
        ),
        (
            r#"{"loginTimeoutMs":"5000"}"#,
            ConfigError::NotAnInteger("loginTimeoutMs"),
        ),
        (
            r#"{"loginTimeoutMs":null}"#,
            ConfigError::NotAnInteger("loginTimeoutMs"),
        ),
        (
            r#"{"qosMaxResends":-1}"#,
            ConfigError::NotAnInteger("qosMaxResends"),
        ),
        (
            r#"{"offlineHoldMs":1.5}"#,
            ConfigError::NotAnInteger("offlineHoldMs"),
        ),
        (
            r#"{"dedupeTtlMs":18446744073709551616}"#,
            ConfigError::NotAnInteger("dedupeTtlMs"),
        ),
        (
            r#"{"dedupeTtlMs":18446744073709551615}"#,
            ConfigError::OutOfRange("dedupeTtlMs"),
        ),
        (
            r#"{"qosResendIntervalMs":3000,"dedupeCapacity":99}"#,
            ConfigError::OutOfRange("dedupeCapacity"),
        ),
        (
            r#"{"reconnectBaseMs":5000,"reconnectCapMs":4000}"#,
            ConfigError::CapBelowBase,
        ),
    ];
    let mut w = World::new(8);
    let alice = w.add_client("alice");
    w.login_and_wait(alice);
    for (json, expected) in cases {
        let mark = w.mark(alice);
        let refused = set(&mut w, alice, json).unwrap_err();
        assert_eq!(refused, expected, "{json}");
        assert_eq!(refused.code(), 209);
        assert_eq!(w.client(alice).config(), &Config::default(), "{json}");
        let warned = warnings_since(&w, alice, mark);
        assert_eq!(
            warned,
            [["config refused: ", &expected.describe()].concat()]
        );
    }
    // Still the default timing: resent 5 s after the write.
    let sent_at = w.now;
    let fp = send_unanswered(&mut w, alice);
    w.run_for(6_000);
    assert_eq!(writes_of(&w, alice, &fp), [sent_at, sent_at + 5_000]);
}

#[test]
fn every_timing_is_bounded_on_both_sides() {
    for timing in Timing::ALL {
        let (min, max) = timing.bounds();
        for (value, valid) in [(min, true), (max, true), (max + 1, false)]
            .into_iter()
            .chain(min.checked_sub(1).map(|below| (below, false)))
        {
            let mut config = Config {
                reconnect_cap_ms: Timing::ReconnectCapMs.bounds().1,
                reconnect_base_ms: Timing::ReconnectBaseMs.bounds().0,
                ..Config::default()
            };
            timing.set(&mut config, value);
            let result = config.validate();
            let out_of_range = result == Err(ConfigError::OutOfRange(timing.name()));
            assert_eq!(result.is_ok(), valid, "{} = {value}", timing.name());
            assert_eq!(out_of_range, !valid, "{} = {value}", timing.name());
        }
    }
}

#[test]
fn a_change_is_checked_not_the_timings_it_leaves_alone() {
    // `Client::new` takes any config, as tests with tiny caches do.
    let tiny_cache = Config {
        dedupe_capacity: 3,
        ..Config::default()
    };
    let mut client = Client::new(tiny_cache, Box::new(SeededRandom::new(9)));
    assert_eq!(
        client.set_config(0, tiny_cache),
        Err(ConfigError::OutOfRange("dedupeCapacity"))
    );
    client
        .set_config_json(0, r#"{"loginTimeoutMs":2000}"#)
        .unwrap();
    assert_eq!(client.config().login_timeout_ms, 2_000);
    assert_eq!(client.config().dedupe_capacity, 3);
}
