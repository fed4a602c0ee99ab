//! Changing the config of a running client (docs/client-behaviour.md §12).

use super::client::Client;
use super::{Config, ConfigError, Level};

impl Client {
    /// Replaces the config after checking it with [`Config::validate`]; a refused config
    /// changes nothing and is logged at warning level.
    ///
    /// Deadlines already armed: online, a new resend interval re-arms the next check of every
    /// QoS message in flight at `now` plus that interval; offline, a new hold ends each waiting
    /// message's hold as if it had applied all along (at once if that is past). The
    /// connection's timers (login timeout, reconnect wait, ping, dead link) keep their deadline,
    /// and the new values apply the next time each is armed. A smaller dedupe capacity forgets
    /// the oldest fingerprints now; a new dedupe TTL applies at the next inbound QoS frame.
    pub fn set_config(&mut self, now: u64, config: Config) -> Result<(), ConfigError> {
        self.apply_config(now, config.validate().map(|()| config))
    }

    /// Like [`set_config`](Self::set_config), with the current config's timings changed by
    /// `json` and checked by [`Config::with_json`].
    pub fn set_config_json(&mut self, now: u64, json: &str) -> Result<(), ConfigError> {
        let changed = self.config.with_json(json);
        self.apply_config(now, changed)
    }

    /// Applies a config that passed its checks, or logs why it did not.
    fn apply_config(
        &mut self,
        now: u64,
        checked: Result<Config, ConfigError>,
    ) -> Result<(), ConfigError> {
        let config = checked.map_err(|err| self.refuse_config(err))?;
        self.qos_send.reconfigure(now, &self.config, &config);
        self.seen
            .resize(config.dedupe_ttl_ms, config.dedupe_capacity);
        self.config = config;
        Ok(())
    }

    fn refuse_config(&mut self, err: ConfigError) -> ConfigError {
        let [before, name, after] = err.parts();
        self.log(
            Level::Warn,
            ["config refused: ", before, name, after].concat(),
        );
        err
    }
}
