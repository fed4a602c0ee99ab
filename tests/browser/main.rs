//! The real wasm in headless Chromium: the browser transport and the stock `IMSDK` facade from
//! js-glue drive an [`ImClient`] against devservers on loopback, which
//! `scripts/test-browser.sh` starts on free ports (one stock-like; one that closes sockets idle
//! for 2 s) and names at build time.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Promise};
use mobileimsdk_wasm::wasm::ImClient;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The devservers' URLs, which `scripts/test-browser.sh` passes at build time.
const SERVER: &str = server_url(option_env!("IMSDK_BROWSER_SERVER"));
const IDLE_CLOSING_SERVER: &str = server_url(option_env!("IMSDK_BROWSER_IDLE_CLOSING_SERVER"));

/// A URL the build was given, or a build error that says how to run the suite.
const fn server_url(url: Option<&'static str>) -> &'static str {
    match url {
        Some(url) => url,
        None => panic!("run the browser suite with npm run test:browser: it starts the devservers"),
    }
}

#[wasm_bindgen(module = "/tests/browser/harness.js")]
extern "C" {
    #[wasm_bindgen(js_name = twoUsersExchangeQosMessages)]
    fn two_users_exchange_qos_messages(factory: &Function, memory: &JsValue, url: &str) -> Promise;
    #[wasm_bindgen(js_name = reconnectsAfterTheServerDropsTheSocket)]
    fn reconnects_after_the_server_drops_the_socket(
        factory: &Function,
        memory: &JsValue,
        url: &str,
    ) -> Promise;
    #[wasm_bindgen(js_name = aDuplicateLoginKicksTheFirstSessionOut)]
    fn a_duplicate_login_kicks_the_first_session_out(
        factory: &Function,
        memory: &JsValue,
        url: &str,
    ) -> Promise;
}

// The harness imports these js-glue modules by relative path (and facade.js imports its parts);
// naming them here makes wasm-bindgen copy them next to it.
#[wasm_bindgen(module = "/js-glue/src/facade.js")]
extern "C" {
    #[wasm_bindgen(js_name = createIMSDK)]
    fn _create_imsdk(dependencies: &JsValue) -> JsValue;
}
#[wasm_bindgen(module = "/js-glue/src/app-callbacks.js")]
extern "C" {
    #[wasm_bindgen(js_name = createAppCallbacks)]
    fn _create_app_callbacks() -> JsValue;
}
#[wasm_bindgen(module = "/js-glue/src/core-session.js")]
extern "C" {
    #[wasm_bindgen(js_name = createCoreSession)]
    fn _create_core_session() -> JsValue;
}
#[wasm_bindgen(module = "/js-glue/src/send-outcomes.js")]
extern "C" {
    #[wasm_bindgen(js_name = createSendOutcomes)]
    fn _create_send_outcomes() -> JsValue;
}
#[wasm_bindgen(module = "/js-glue/src/sockets.js")]
extern "C" {
    #[wasm_bindgen(js_name = createSockets)]
    fn _create_sockets() -> JsValue;
}
#[wasm_bindgen(module = "/js-glue/src/host-browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = createBrowserHost)]
    fn _create_browser_host() -> JsValue;
}
#[wasm_bindgen(module = "/js-glue/src/companions.js")]
extern "C" {
    #[wasm_bindgen(js_name = createCompanions)]
    fn _create_companions(imsdk: &JsValue, clock: &JsValue) -> JsValue;
}
#[wasm_bindgen(module = "/js-glue/src/core-adapter.js")]
extern "C" {
    #[wasm_bindgen(js_name = coreFactory)]
    fn _core_factory(create_raw: &JsValue) -> JsValue;
}
#[wasm_bindgen(module = "/js-glue/src/call-arguments.js")]
extern "C" {
    #[wasm_bindgen(js_name = messageArguments)]
    fn _message_arguments() -> JsValue;
}
#[wasm_bindgen(module = "/js-glue/src/transport-browser.js")]
extern "C" {
    #[wasm_bindgen(js_name = createWebSocketTransport)]
    fn _create_web_socket_transport() -> JsValue;
}
#[wasm_bindgen(module = "/js-glue/src/text-codec.js")]
extern "C" {
    #[wasm_bindgen(js_name = utf8Length)]
    fn _utf8_length() -> JsValue;
}

/// `(host) => new ImClient(host)`, which the harness wraps with js-glue's `coreFactory`.
fn core_factory() -> Function {
    Closure::<dyn Fn(JsValue) -> JsValue>::new(|host: JsValue| {
        JsValue::from(ImClient::new(host.unchecked_into()))
    })
    .into_js_value()
    .unchecked_into()
}

async fn run(flow: Promise) {
    if let Err(error) = JsFuture::from(flow).await {
        panic!("{}", js_sys::Error::from(error).message());
    }
}

#[wasm_bindgen_test]
async fn two_users_log_in_and_exchange_qos_messages_with_acks() {
    run(two_users_exchange_qos_messages(
        &core_factory(),
        &wasm_bindgen::memory(),
        SERVER,
    ))
    .await;
}

#[wasm_bindgen_test]
async fn the_sdk_logs_in_again_after_the_server_drops_the_socket() {
    run(reconnects_after_the_server_drops_the_socket(
        &core_factory(),
        &wasm_bindgen::memory(),
        IDLE_CLOSING_SERVER,
    ))
    .await;
}

#[wasm_bindgen_test]
async fn a_duplicate_login_elsewhere_kicks_the_first_session_out() {
    run(a_duplicate_login_kicks_the_first_session_out(
        &core_factory(),
        &wasm_bindgen::memory(),
        SERVER,
    ))
    .await;
}
