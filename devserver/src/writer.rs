//! A connection's writer task: takes frames from the outbox, applies chaos, writes them, and
//! finally writes the 1000 "Bye" close frame.

use futures_util::stream::SplitSink;
use futures_util::SinkExt;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

use crate::chaos::{FramePlan, LinkChaos};
use crate::frame_log::{Direction, FrameLog};
use crate::outbox::{Next, OutboxReceiver};

/// The write half of a server connection.
pub(crate) type WsSink = SplitSink<WebSocketStream<TcpStream>, Message>;

const UNTOUCHED: FramePlan = FramePlan {
    copies: 1,
    delay: std::time::Duration::ZERO,
};

/// The close frame the stock server ends every connection it closes with.
pub(crate) fn bye() -> Message {
    Message::Close(Some(CloseFrame {
        code: CloseCode::Normal,
        reason: "Bye".into(),
    }))
}

/// Writes what `queue` hands out until it asks for the close; returns once the close frame is
/// written or the connection fails.
pub(crate) async fn run(
    mut sink: WsSink,
    mut queue: OutboxReceiver,
    mut chaos: Option<LinkChaos>,
    log: Option<FrameLog>,
    conn: u64,
) -> Result<(), WsError> {
    loop {
        let frame = match queue.next().await {
            Next::Frame(frame) => frame,
            Next::Close => return sink.send(bye()).await,
        };
        let plan = chaos.as_mut().map_or(UNTOUCHED, LinkChaos::plan_frame);
        if !plan.delay.is_zero() {
            sink.flush().await?;
            tokio::time::sleep(plan.delay).await;
        }
        if plan.copies == 0 {
            if let Some(log) = &log {
                log.record(conn, Direction::Drop, frame.as_str());
            }
        }
        for _ in 0..plan.copies {
            if let Some(log) = &log {
                log.record(conn, Direction::Out, frame.as_str());
            }
            sink.feed(Message::Text(frame.clone())).await?;
        }
        if queue.is_empty() {
            sink.flush().await?;
        }
    }
}
