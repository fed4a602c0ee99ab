//! Changing the config of a running client (docs/client-behaviour.md §12).

use super::client::Client;
use super::{Config, ConfigError, Level};

impl Client {
    /// Replaces the config after checking it with [`Config::validate`]; a refused config
    /// changes nothing and is logged at warning level.
    ///
    /// Deadlines already armed: a QoS message's resend check or offline hold is recomputed as if
    /// the new value had been in force when it was armed (one already past falls due at once);
    /// the login timeout and a reconnect wait keep their deadline, and the new values apply from
    /// the next attempt. A smaller dedupe capacity forgets the oldest fingerprints now; a new
    /// dedupe TTL applies at the next inbound QoS frame. A new sense mode re-arms as
    /// [`set_sense_mode`](Self::set_sense_mode) does.
    pub fn set_config(&mut self, now: u64, config: Config) -> Result<(), ConfigError> {
        if let Err(err) = config.validate() {
            return Err(self.refuse_config(err));
        }
        let old = std::mem::replace(&mut self.config, config);
        self.qos_send.reconfigure(&old, &self.config);
        self.seen
            .resize(self.config.dedupe_ttl_ms, self.config.dedupe_capacity);
        let length = self.config.fingerprint_length;
        self.set_fingerprint_length(length);
        if old.sense_mode != self.config.sense_mode {
            self.set_sense_mode(now, self.config.sense_mode);
        }
        self.log(Level::Debug, "config changed".into());
        Ok(())
    }

    /// [`set_config`](Self::set_config) with the current config's timings changed by `json`
    /// (see [`Config::with_json`]).
    pub fn set_config_json(&mut self, now: u64, json: &str) -> Result<(), ConfigError> {
        match self.config.with_json(json) {
            Ok(config) => self.set_config(now, config),
            Err(err) => Err(self.refuse_config(err)),
        }
    }

    fn refuse_config(&mut self, err: ConfigError) -> ConfigError {
        self.log(Level::Warn, ["config refused: ", &err.describe()].concat());
        err
    }
}
