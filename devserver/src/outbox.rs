//! A connection's bounded outbound queue: what "writing to a channel" means in this server.
//!
//! Other tasks (the sender of a C2C message, the QoS daemon, a login that kicks an older
//! session) write into a connection through its [`Outbox`]. A write succeeds once the frame is
//! queued for the connection's writer task; it fails when the queue is full or the connection is
//! closing, just as a write to a dead or stuck socket fails on the stock server.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use thiserror::Error;
use tokio::sync::{mpsc, Notify};
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// A frame could not be queued for a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum WriteFailed {
    /// The connection's queue is full (its client is not reading fast enough).
    #[error("the connection's outbound queue is full")]
    QueueFull,
    /// The connection is closing or closed.
    #[error("the connection is closing")]
    Closing,
}

#[derive(Debug, Default)]
struct CloseSignal {
    requested: AtomicBool,
    notify: Notify,
}

/// The writing end of one connection; cheap to clone.
#[derive(Debug, Clone)]
pub struct Outbox {
    conn: u64,
    tx: mpsc::Sender<Utf8Bytes>,
    close: Arc<CloseSignal>,
}

/// What the writer task should do next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Write this text frame.
    Frame(Utf8Bytes),
    /// Every frame queued before the close request has been handed out: close the connection.
    Close,
}

/// The reading end of an [`Outbox`], owned by the connection's writer task.
#[derive(Debug)]
pub struct OutboxReceiver {
    rx: mpsc::Receiver<Utf8Bytes>,
    close: Arc<CloseSignal>,
    draining: bool,
}

impl Outbox {
    /// A queue for connection `conn` holding at most `capacity` frames.
    pub fn channel(conn: u64, capacity: usize) -> (Self, OutboxReceiver) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let close = Arc::new(CloseSignal::default());
        let receiver = OutboxReceiver {
            rx,
            close: close.clone(),
            draining: false,
        };
        (Self { conn, tx, close }, receiver)
    }

    /// The connection's number (its accept order, from 0).
    pub fn conn(&self) -> u64 {
        self.conn
    }

    /// Queues a text frame for the writer.
    pub fn send(&self, frame: Utf8Bytes) -> Result<(), WriteFailed> {
        if self.is_closing() {
            return Err(WriteFailed::Closing);
        }
        self.tx.try_send(frame).map_err(|err| match err {
            mpsc::error::TrySendError::Full(_) => WriteFailed::QueueFull,
            mpsc::error::TrySendError::Closed(_) => WriteFailed::Closing,
        })
    }

    /// Asks the writer to close the connection (1000 "Bye") after the frames already queued.
    /// Later writes fail. Idempotent.
    pub fn close(&self) {
        if !self.close.requested.swap(true, Ordering::SeqCst) {
            self.close.notify.notify_one();
        }
    }

    /// Whether a close was requested.
    pub fn is_closing(&self) -> bool {
        self.close.requested.load(Ordering::SeqCst)
    }
}

impl OutboxReceiver {
    /// Waits for the next frame, or for the close that follows the last queued frame.
    pub async fn next(&mut self) -> Next {
        if !self.draining {
            tokio::select! {
                biased;
                () = self.close.notify.notified() => self.start_draining(),
                frame = self.rx.recv() => return frame.map_or(Next::Close, Next::Frame),
            }
        }
        self.rx.recv().await.map_or(Next::Close, Next::Frame)
    }

    /// Whether no frame is waiting right now.
    pub fn is_empty(&self) -> bool {
        self.rx.is_empty()
    }

    fn start_draining(&mut self) {
        self.draining = true;
        self.rx.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn queue_is_bounded() {
        let (outbox, _rx) = Outbox::channel(7, 2);
        assert_eq!(outbox.conn(), 7);
        assert!(outbox.send("a".into()).is_ok());
        assert!(outbox.send("b".into()).is_ok());
        assert_eq!(outbox.send("c".into()), Err(WriteFailed::QueueFull));
    }

    #[tokio::test]
    async fn close_comes_after_queued_frames_and_stops_writes() {
        let (outbox, mut rx) = Outbox::channel(0, 8);
        outbox.send("a".into()).unwrap();
        outbox.send("b".into()).unwrap();
        outbox.close();
        assert_eq!(outbox.send("c".into()), Err(WriteFailed::Closing));
        assert_eq!(rx.next().await, Next::Frame("a".into()));
        assert_eq!(rx.next().await, Next::Frame("b".into()));
        assert_eq!(rx.next().await, Next::Close);
        assert_eq!(rx.next().await, Next::Close);
    }

    #[tokio::test]
    async fn dropped_senders_mean_close() {
        let (outbox, mut rx) = Outbox::channel(0, 8);
        drop(outbox);
        assert_eq!(rx.next().await, Next::Close);
    }
}
