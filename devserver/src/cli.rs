//! Command-line options (`imsdk-devserver --help`).

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;

use crate::chaos::ChaosSpec;
use crate::config::Config;
use crate::frame_log::FrameLog;
use crate::qos::QosTimings;

const ABOUT: &str =
    "A DEVELOPMENT MobileIMSDK-compatible WebSocket server for the mobileimsdk-wasm \
demo and tests.";

const LONG_ABOUT: &str = "A DEVELOPMENT MobileIMSDK-compatible WebSocket server for the \
mobileimsdk-wasm demo and tests. It behaves like the stock MobileIMSDK demo server on \
ws://HOST:PORT/websocket (login, keep-alive, C2C/C2S messages with QoS, kick-out, idle close) and \
can inject faults for soak tests.

It is NOT a production server: no persistence, no authentication beyond --reject-token, no TLS, \
one process. For production, run the stock MobileIMSDK server (Java, Apache-2.0, \
github.com/JackJiang2011/MobileIMSDK) behind your own authentication and TLS.";

/// `imsdk-devserver` options.
#[derive(Debug, Parser)]
#[command(name = "imsdk-devserver", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    /// Address to listen on; the WebSocket endpoint is /websocket.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Largest accepted WebSocket frame payload in bytes; a larger one closes the connection.
    #[arg(long, value_name = "BYTES", default_value_t = 65_536,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_frame: u32,

    /// Close a connection this long after its last inbound frame (11s = the demo's MODE_5S).
    /// Accepts `11`, `11s`, `1.5s` or `500ms`.
    #[arg(long, value_name = "DURATION", default_value = "11s", value_parser = parse_duration)]
    pub idle_timeout: Duration,

    /// How often the server → client QoS queue is checked for resends (stock: 5s).
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    pub qos_check_interval: Duration,

    /// QoS frames written less than this long ago are not resent yet (stock: 2s).
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration)]
    pub qos_just_now: Duration,

    /// Reject logins with this token, answering with CODE (non-zero; >= 1025 by convention).
    /// Repeatable. Without it every login is accepted, like the demo.
    #[arg(long, value_name = "TOKEN=CODE", value_parser = parse_rejection)]
    pub reject_token: Vec<(String, i32)>,

    /// Acknowledge QoS messages to offline users as a server with offline storage would
    /// (default: dropped silently, so the sender reports them lost).
    #[arg(long)]
    pub offline_ack: bool,

    /// Fault injection per connection: seed=S,drop=P,dup=P,delay=MIN-MAX,cut=MS (any subset).
    /// drop/dup/delay act on frames the server writes; cut=MS closes each connection after
    /// MS/2..3MS/2 ms without a close frame. Reproducible from the seed.
    #[arg(long, value_name = "SPEC")]
    pub chaos: Option<ChaosSpec>,

    /// Print every frame in and out as a JSON line on standard output.
    #[arg(long)]
    pub log_frames: bool,

    /// Frames a connection may have queued for writing before writes to it fail.
    #[arg(long, value_name = "FRAMES", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub queue_capacity: u32,

    /// Log debug details on standard error.
    #[arg(short, long)]
    pub verbose: bool,
}

impl Cli {
    /// The server settings these options describe.
    pub fn into_config(self) -> Config {
        Config {
            listen: self.listen,
            max_frame: self.max_frame as usize,
            idle_timeout: self.idle_timeout,
            qos: QosTimings {
                check_interval: self.qos_check_interval,
                just_now: self.qos_just_now,
                ..QosTimings::default()
            },
            rejected_tokens: self.reject_token.into_iter().collect(),
            offline_ack: self.offline_ack,
            chaos: self.chaos,
            frame_log: self.log_frames.then(FrameLog::stdout),
            queue_capacity: self.queue_capacity as usize,
            ..Config::default()
        }
    }
}

/// Parses `11`, `11s`, `1.5s` (seconds) or `500ms`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}` is not a duration like 11s, 1.5s or 500ms");
    if let Some(ms) = text.strip_suffix("ms") {
        return ms
            .trim()
            .parse()
            .map(Duration::from_millis)
            .map_err(|_| bad());
    }
    let secs: f64 = text
        .strip_suffix('s')
        .unwrap_or(text)
        .trim()
        .parse()
        .map_err(|_| bad())?;
    Duration::try_from_secs_f64(secs).map_err(|_| bad())
}

fn parse_rejection(text: &str) -> Result<(String, i32), String> {
    let (token, code) = text
        .rsplit_once('=')
        .ok_or_else(|| format!("`{text}` is not TOKEN=CODE"))?;
    match code.parse::<i32>() {
        Ok(code) if code != 0 => Ok((token.to_owned(), code)),
        _ => Err(format!("`{code}` is not a non-zero login code")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("11"), Ok(Duration::from_secs(11)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn defaults_are_the_stock_demo_server() {
        let config = Cli::parse_from(["imsdk-devserver"]).into_config();
        let stock = Config::default();
        assert_eq!(config.listen, stock.listen);
        assert_eq!(config.max_frame, 65_536);
        assert_eq!(config.idle_timeout, Duration::from_secs(11));
        assert_eq!(config.qos, QosTimings::default());
        assert!(config.rejected_tokens.is_empty() && !config.offline_ack);
        assert!(config.chaos.is_none() && config.frame_log.is_none());
    }

    #[test]
    fn options_map_to_settings() {
        let config = Cli::parse_from([
            "imsdk-devserver",
            "--listen=127.0.0.1:0",
            "--reject-token=a=b=1025",
            "--idle-timeout=300ms",
            "--qos-check-interval=100ms",
            "--offline-ack",
            "--chaos=seed=3,drop=0.5",
        ])
        .into_config();
        assert_eq!(config.rejected_tokens.get("a=b"), Some(&1025));
        assert_eq!(config.idle_timeout, Duration::from_millis(300));
        assert_eq!(config.qos.check_interval, Duration::from_millis(100));
        assert!(config.offline_ack);
        assert_eq!(config.chaos.map(|c| (c.seed, c.drop)), Some((3, 0.5)));
        assert!(Cli::try_parse_from(["x", "--reject-token=t=0"]).is_err());
        assert!(Cli::try_parse_from(["x", "--chaos=drop=7"]).is_err());
    }
}
