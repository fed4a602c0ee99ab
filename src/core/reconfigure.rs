//! Changing the config of a running client (docs/client-behaviour.md §12).

use super::context::Context;
use super::outbox::Outbox;
use super::qos_receive::SeenCache;
use super::{Config, ConfigError, Level};

/// Applies a config that passed its checks to every part that keeps a deadline or a bound from
/// it (see [`Client::set_config`](super::Client::set_config)), or logs why it did not pass.
pub(super) fn apply_config(
    cx: &mut Context,
    outbox: &mut Outbox,
    seen: &mut SeenCache,
    now: u64,
    checked: Result<Config, ConfigError>,
) -> Result<(), ConfigError> {
    let config = checked.map_err(|err| refuse_config(cx, err))?;
    outbox.reconfigure(now, cx.config(), &config);
    seen.resize(config.dedupe_ttl_ms, config.dedupe_capacity);
    cx.replace_config(config);
    Ok(())
}

fn refuse_config(cx: &mut Context, err: ConfigError) -> ConfigError {
    let [before, name, after] = err.parts();
    cx.log(
        Level::Warn,
        ["config refused: ", before, name, after].concat(),
    );
    err
}
