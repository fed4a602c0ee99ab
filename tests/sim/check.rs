//! The invariants of docs/client-behaviour.md, checked over a world's record.

use std::collections::{HashMap, HashSet};

use mobileimsdk_wasm::core::{ConnectionState, Event};
use mobileimsdk_wasm::protocol::ProtocalType;

use super::world::{ClientId, World};

/// How each accepted QoS message of client `id` ended so far: send id → outcomes
/// (`"received"` / `"lost"`). Fails on an outcome for a message that was never accepted.
pub fn outcomes(world: &World, id: ClientId) -> Result<HashMap<u64, Vec<&'static str>>, String> {
    let client = &world.clients[id];
    let mut by_fp = HashMap::new();
    let mut ledger: HashMap<u64, Vec<&'static str>> = HashMap::new();
    for send in client.sends.iter().filter(|s| s.qos) {
        let fp = send.fp.clone().ok_or("accepted QoS send without fp")?;
        if by_fp.insert(fp, send.send_id).is_some() {
            return Err(format!("{}: two accepted messages share an fp", client.uid));
        }
        ledger.insert(send.send_id, Vec::new());
    }
    for (at, event) in &client.events {
        match event {
            Event::MessageReceived { fp, send_id } => {
                let sent_as = by_fp.get(&**fp).ok_or_else(|| {
                    format!(
                        "{}: received reported at {at} for unknown fp {fp}",
                        client.uid
                    )
                })?;
                if sent_as != send_id {
                    return Err(format!(
                        "{}: received at {at} for fp {fp} names send {send_id}, not {sent_as}",
                        client.uid
                    ));
                }
                ledger.get_mut(send_id).expect("in ledger").push("received");
            }
            Event::MessagesLost(list) => {
                for lost in list {
                    let outcomes = ledger.get_mut(&lost.send_id).ok_or_else(|| {
                        format!(
                            "{}: lost reported at {at} for unknown send {}",
                            client.uid, lost.send_id
                        )
                    })?;
                    outcomes.push("lost");
                }
            }
            _ => {}
        }
    }
    Ok(ledger)
}

/// No accepted QoS message of client `id` has more than one outcome.
pub fn check_at_most_one_outcome(world: &World, id: ClientId) -> Result<(), String> {
    for (send_id, outcomes) in outcomes(world, id)? {
        if outcomes.len() > 1 {
            return Err(format!(
                "{}: message #{send_id} ended more than once: {outcomes:?}",
                world.clients[id].uid
            ));
        }
    }
    Ok(())
}

/// Every accepted QoS message of client `id` ended in exactly one of received / lost.
pub fn check_all_settled(world: &World, id: ClientId) -> Result<(), String> {
    for (send_id, outcomes) in outcomes(world, id)? {
        if outcomes.len() != 1 {
            return Err(format!(
                "{}: message #{send_id} has outcomes {outcomes:?}, expected exactly one",
                world.clients[id].uid
            ));
        }
    }
    if world.client(id).pending_messages() != 0 {
        return Err(format!(
            "{}: {} messages still pending",
            world.clients[id].uid,
            world.client(id).pending_messages()
        ));
    }
    Ok(())
}

/// No fingerprint reached client `id`'s app twice, as long as the de-duplication cache never
/// had to evict (distinct fingerprints acked ≤ its capacity).
pub fn check_no_duplicate_delivery(world: &World, id: ClientId) -> Result<(), String> {
    let client = &world.clients[id];
    let acked: HashSet<String> = world
        .frames_out(id)
        .into_iter()
        .filter(|(_, p)| p.kind == ProtocalType::RECEIVED)
        .filter_map(|(_, p)| p.data_content)
        .collect();
    if acked.len() > client.client.config().dedupe_capacity {
        return Ok(());
    }
    let mut seen = HashSet::new();
    for (at, event) in &client.events {
        if let Event::Data(p) = event {
            if let Some(fp) = p.fp.as_ref().filter(|_| p.qos) {
                if !seen.insert(fp.clone()) {
                    return Err(format!(
                        "{}: fp {fp} reached the app twice (at {at})",
                        client.uid
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Pending (queued + in flight) and remembered fingerprints stay within the configured bounds,
/// and no more than one socket ever existed.
pub fn check_bounds(world: &World, id: ClientId) -> Result<(), String> {
    let client = world.client(id);
    let config = client.config();
    if client.pending_messages() > config.max_pending_messages {
        return Err(format!(
            "{}: {} pending > bound {}",
            world.clients[id].uid,
            client.pending_messages(),
            config.max_pending_messages
        ));
    }
    if client.remembered_fingerprints() > config.dedupe_capacity {
        return Err(format!(
            "{}: {} remembered fps > bound {}",
            world.clients[id].uid,
            client.remembered_fingerprints(),
            config.dedupe_capacity
        ));
    }
    if world.clients[id].max_live_sockets > 1 {
        return Err(format!("{}: more than one socket", world.clients[id].uid));
    }
    Ok(())
}

/// The order of client `id`'s events makes sense to an app:
/// * every `online` state is followed by exactly one of login-succeeded / reconnected;
/// * `Disconnected` comes once per online period (only after having been online);
/// * pings happen only online;
/// * after an end state (logged out, kicked, auth failed) nothing but logs (and the
///   `Disconnected` of a kick-out) until the app logs in again.
pub fn check_event_order(world: &World, id: ClientId) -> Result<(), String> {
    let client = &world.clients[id];
    let mut state = ConnectionState::Idle;
    let mut online_since_disconnect = false;
    let mut expect_login_event = false;
    let mut ended = false;
    for (at, event) in &client.events {
        let fail = |what: &str| Err(format!("{} at {at}: {what} ({event:?})", client.uid));
        if matches!(event, Event::Log { .. }) {
            continue;
        }
        if expect_login_event {
            if !matches!(event, Event::LoginSucceeded | Event::Reconnected) {
                return fail("online without login-succeeded / reconnected");
            }
            expect_login_event = false;
            continue;
        }
        match event {
            Event::StateChanged(next) => {
                state = *next;
                match next {
                    ConnectionState::Online => {
                        online_since_disconnect = true;
                        expect_login_event = true;
                    }
                    ConnectionState::Connecting => ended = false,
                    ConnectionState::LoggedOut
                    | ConnectionState::Kicked
                    | ConnectionState::AuthFailed => ended = true,
                    _ => {}
                }
            }
            Event::Disconnected => {
                if !online_since_disconnect {
                    return fail("disconnected without having been online");
                }
                online_since_disconnect = false;
            }
            Event::LoginSucceeded | Event::Reconnected => {
                return fail("login event without the online state");
            }
            Event::Ping if state != ConnectionState::Online => {
                return fail("ping while not online");
            }
            Event::MessagesLost(_) => {}
            _ if ended => return fail("event after an end state"),
            _ => {}
        }
    }
    Ok(())
}

/// Per `login` call (a session): the first success is `LoginSucceeded` and later ones are
/// `Reconnected`; a first login that gets no verdict is reported failed at most once; an auth
/// failure at most once; `is_reconnect` is true exactly when the session had been online.
pub fn check_sessions(world: &World, id: ClientId) -> Result<(), String> {
    const NO_VERDICT: [i32; 4] = [202, 204, 207, 301];
    let client = &world.clients[id];
    let mut bounds: Vec<usize> = client.login_calls.iter().map(|(_, i)| *i).collect();
    bounds.push(client.events.len());
    for window in bounds.windows(2) {
        let mut was_online = false;
        let (mut no_verdict, mut verdicts) = (0, 0);
        for (at, event) in &client.events[window[0]..window[1]] {
            let fail = |what: &str| Err(format!("{} at {at}: {what} ({event:?})", client.uid));
            match event {
                Event::LoginSucceeded if was_online => return fail("second first-login"),
                Event::Reconnected if !was_online => return fail("reconnected before login"),
                Event::LoginSucceeded | Event::Reconnected => was_online = true,
                Event::LoginFailed { is_reconnect, code } => {
                    if *is_reconnect != was_online {
                        return fail("is_reconnect does not match the session");
                    }
                    if NO_VERDICT.contains(code) {
                        no_verdict += 1;
                        if was_online || no_verdict > 1 {
                            return fail("attempt failure reported more than once");
                        }
                    } else {
                        verdicts += 1;
                        if verdicts > 1 {
                            return fail("auth failure reported more than once");
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Every running invariant for every client (not requiring messages to be settled).
pub fn check_running(world: &World) -> Result<(), String> {
    for id in 0..world.clients.len() {
        check_event_order(world, id)?;
        check_sessions(world, id)?;
        check_at_most_one_outcome(world, id)?;
        check_no_duplicate_delivery(world, id)?;
        check_bounds(world, id)?;
    }
    Ok(())
}
