//! Drives one TCP connection: the WebSocket handshake, the read loop with its idle timeout, the
//! writer task, chaos cuts, shutdown, and leaving the online map.

use std::sync::Arc;

use futures_util::StreamExt;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::{sleep_until, timeout_at, Instant};
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

use crate::chaos::LinkChaos;
use crate::frame_log::Direction;
use crate::outbox::Outbox;
use crate::session::{Flow, Moment, Session};
use crate::shared::{Counters, Shared};
use crate::writer;

/// The endpoint path (matched by prefix: `/websocket`, `/websocket?…`, `/websocket/…`).
pub const WEBSOCKET_PATH: &str = "/websocket";

/// Whether the request path is the WebSocket endpoint, as Netty's `checkStartsWith` matches it.
fn is_websocket_path(path: &str) -> bool {
    path.strip_prefix(WEBSOCKET_PATH)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Accepts the upgrade on the endpoint path only, and selects no subprotocol.
#[allow(clippy::result_large_err)] // the signature tungstenite's callback requires
fn check_request(request: &Request, response: Response) -> Result<Response, ErrorResponse> {
    if is_websocket_path(request.uri().path()) {
        return Ok(response);
    }
    let mut refusal = ErrorResponse::new(Some(format!(
        "not found: the WebSocket endpoint is {WEBSOCKET_PATH}\n"
    )));
    *refusal.status_mut() = StatusCode::NOT_FOUND;
    Err(refusal)
}

/// Serves connection number `conn` until it closes, is cut, or the server shuts down.
pub(crate) async fn serve(
    tcp: TcpStream,
    conn: u64,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let config = &shared.config;
    let started = Instant::now();
    let ws_config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(16 * 1024)
        .max_frame_size(Some(config.max_frame))
        .max_message_size(Some(config.max_frame));
    let handshake =
        tokio_tungstenite::accept_hdr_async_with_config(tcp, check_request, Some(ws_config));
    // The stock read timeout runs from the moment the channel opens.
    let ws = tokio::select! {
        result = timeout_at(started + config.idle_timeout, handshake) => match result {
            Ok(Ok(ws)) => ws,
            Ok(Err(err)) => {
                tracing::debug!(conn, %err, "handshake failed");
                return;
            }
            Err(_) => return,
        },
        _ = shutdown.changed() => return,
    };
    Counters::bump(&shared.counters.connections);

    let (sink, mut stream) = ws.split();
    let (outbox, queue) = Outbox::channel(conn, config.queue_capacity);
    let mut chaos = config.chaos.map(|spec| LinkChaos::new(spec, conn));
    let cut_at = chaos
        .as_mut()
        .and_then(LinkChaos::cut_after)
        .map(|after| started + after);
    let mut writer = tokio::spawn(writer::run(
        sink,
        queue,
        chaos,
        config.frame_log.clone(),
        conn,
    ));
    let mut session = Session::new(outbox.clone(), shared.clone());

    let mut idle_deadline = started + config.idle_timeout;
    let mut close_deadline: Option<Instant> = None;
    let mut writer_done = false;
    let mut shutting_down = false;
    let close = |deadline: &mut Option<Instant>| {
        outbox.close();
        deadline.get_or_insert(Instant::now() + config.close_grace);
    };
    loop {
        let timer = close_deadline.unwrap_or(idle_deadline);
        tokio::select! {
            biased;
            _ = &mut writer, if !writer_done => {
                writer_done = true;
                close(&mut close_deadline);
            }
            _ = shutdown.changed(), if !shutting_down => {
                shutting_down = true;
                close(&mut close_deadline);
            }
            () = sleep_until(cut_at.unwrap_or(timer)), if cut_at.is_some() => {
                tracing::info!(conn, "chaos: connection cut");
                leave(&shared, &session, conn);
                writer.abort();
                return;
            }
            () = sleep_until(timer) => {
                if close_deadline.is_some() {
                    break;
                }
                tracing::debug!(conn, "idle timeout");
                close(&mut close_deadline);
            }
            message = stream.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    if outbox.is_closing() {
                        continue;
                    }
                    idle_deadline = Instant::now() + config.idle_timeout;
                    if let Some(log) = &config.frame_log {
                        log.record(conn, Direction::In, text.as_str());
                    }
                    if session.on_text(text.as_str(), Moment::now()) == Flow::Close {
                        close(&mut close_deadline);
                    }
                }
                Some(Ok(Message::Binary(_) | Message::Frame(_))) => close(&mut close_deadline),
                // Answered by tungstenite; they do not reset the idle timer.
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Close(_))) => {}
                Some(Err(err)) => {
                    tracing::debug!(conn, %err, "read failed");
                    close(&mut close_deadline);
                    break;
                }
                None => break,
            }
        }
    }
    leave(&shared, &session, conn);
    if !writer_done {
        let deadline = close_deadline.unwrap_or_else(Instant::now);
        let _ = timeout_at(deadline, &mut writer).await;
        writer.abort();
    }
}

/// Takes the session off the online map if it is still the one registered for its user id.
fn leave(shared: &Shared, session: &Session, conn: u64) {
    if let Some(uid) = session.uid() {
        if shared.hub.remove_if_current(uid, conn) {
            tracing::info!(conn, %uid, "logged out");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_websocket_path;

    #[test]
    fn path_is_matched_like_netty_check_starts_with() {
        assert!(is_websocket_path("/websocket"));
        assert!(is_websocket_path("/websocket/x"));
        assert!(!is_websocket_path("/websocketx"));
        assert!(!is_websocket_path("/"));
        assert!(!is_websocket_path("/ws"));
    }
}
