//! The login of one session: what to log in with, where, and how far it got
//! (docs/client-behaviour.md §1).

use crate::protocol::LoginInfo;

/// One session, from `login` until the next login or a logout.
#[derive(Debug)]
pub(super) struct Session {
    info: LoginInfo,
    url: String,
    ever_online: bool,
    failure_reported: bool,
}

impl Session {
    /// A session that has not been online yet.
    pub(super) fn new(info: LoginInfo, url: String) -> Self {
        Self {
            info,
            url,
            ever_online: false,
            failure_reported: false,
        }
    }

    /// The login info, with the server's `firstLoginTime` once known.
    pub(super) fn info(&self) -> &LoginInfo {
        &self.info
    }

    /// The logged-in user.
    pub(super) fn user_id(&self) -> &str {
        &self.info.login_user_id
    }

    /// The server URL.
    pub(super) fn url(&self) -> &str {
        &self.url
    }

    /// Whether the session has been online.
    pub(super) fn ever_online(&self) -> bool {
        self.ever_online
    }

    /// A code-0 login reply with the server's `first_login_time` (kept when above 0); whether
    /// the session had been online before (a reconnect).
    pub(super) fn went_online(&mut self, first_login_time: i64) -> bool {
        if first_login_time > 0 {
            self.info.first_login_time = first_login_time;
        }
        self.failure_reported = false;
        std::mem::replace(&mut self.ever_online, true)
    }

    /// A login attempt failed: whether the app is to be told, once a session and only before
    /// it was first online.
    pub(super) fn report_first_failure(&mut self) -> bool {
        let report = !self.ever_online && !self.failure_reported;
        self.failure_reported |= report;
        report
    }
}
