//! Binding, the accept loop, and shutting down.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::{sleep, timeout_at, Instant};

use crate::config::Config;
use crate::shared::{Shared, Stats};
use crate::{connection, daemon};

/// A bound, not yet running server.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
}

/// A running server.
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Server {
    /// Binds `config.listen` (port 0 picks a free port).
    pub async fn bind(config: Config) -> io::Result<Self> {
        let listener = TcpListener::bind(config.listen).await?;
        Ok(Self {
            listener,
            shared: Arc::new(Shared::new(config)),
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Starts accepting connections on the current tokio runtime.
    pub fn spawn(self) -> io::Result<ServerHandle> {
        let addr = self.listener.local_addr()?;
        let (shutdown, shutdown_rx) = watch::channel(false);
        let task = tokio::spawn(run(self.listener, self.shared.clone(), shutdown_rx));
        Ok(ServerHandle {
            addr,
            shared: self.shared,
            shutdown,
            task,
        })
    }
}

impl ServerHandle {
    /// Binds and starts a server in one step.
    pub async fn start(config: Config) -> io::Result<Self> {
        Server::bind(config).await?.spawn()
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// What the server has done so far.
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// Stops accepting, closes every connection with 1000 "Bye", and waits (at most the close
    /// grace plus a second) for the connections to finish.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }
}

async fn run(listener: TcpListener, shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    let mut tasks = JoinSet::new();
    tasks.spawn(daemon::run(shared.clone(), shutdown.clone()));
    let mut next_conn = 0u64;
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => {
                    let _ = tcp.set_nodelay(true);
                    tracing::debug!(conn = next_conn, %peer, "accepted");
                    tasks.spawn(connection::serve(tcp, next_conn, shared.clone(), shutdown.clone()));
                    next_conn += 1;
                }
                Err(err) => {
                    tracing::warn!(%err, "accept failed");
                    sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
    drop(listener);
    let deadline = Instant::now() + shared.config.close_grace + Duration::from_secs(1);
    while let Ok(Some(_)) = timeout_at(deadline, tasks.join_next()).await {}
    tasks.shutdown().await;
}
