//! `imsdk-devserver`: see `--help`.

use std::io::IsTerminal;

use anyhow::Context;
use clap::Parser;
use imsdk_devserver::cli::Cli;
use imsdk_devserver::{Server, WEBSOCKET_PATH};
use tracing::Level;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_max_level(if cli.verbose {
            Level::DEBUG
        } else {
            Level::INFO
        })
        .init();
    // Installed before anything can connect, so an early signal still shuts down cleanly.
    let mut signals = ShutdownSignals::install().context("cannot install signal handlers")?;
    let config = cli.into_config();
    let listen = config.listen;
    let server = Server::bind(config)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = server.local_addr()?;
    let handle = server.spawn()?;
    eprintln!("imsdk-devserver (development only) listening on ws://{addr}{WEBSOCKET_PATH}");
    signals.wait().await;
    tracing::info!("shutting down");
    handle.shutdown().await;
    Ok(())
}

/// SIGINT (Ctrl-C) and SIGTERM.
struct ShutdownSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    fn install() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Self {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    async fn wait(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}
