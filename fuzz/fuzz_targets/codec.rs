//! The codec on arbitrary bytes: decoding never panics, and whatever decodes re-encodes to a
//! frame that decodes to the same value, in both the client and the server encoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mobileimsdk_wasm::protocol::{ErrorResponse, KickoutInfo, LoginInfo, LoginResponse, Protocal};

const LIMIT: usize = 1 << 20;

fuzz_target!(|bytes: &[u8]| {
    let Ok(frame) = Protocal::decode_bytes(bytes, LIMIT) else {
        return;
    };
    let _ = frame.payload::<LoginInfo>();
    let _ = frame.payload::<LoginResponse>();
    let _ = frame.payload::<ErrorResponse>();
    let _ = frame.payload::<KickoutInfo>();

    let client_text = frame.encode();
    let again = Protocal::decode(&client_text, usize::MAX).expect("client encoding decodes");
    let mut without_sm = frame.clone();
    without_sm.sm = None;
    assert_eq!(
        again, without_sm,
        "client encoding round-trips (sm is not sent)"
    );

    let server_text = frame.encode_as_server();
    let again = Protocal::decode(&server_text, usize::MAX).expect("server encoding decodes");
    let mut with_sm = frame;
    with_sm.sm = Some(with_sm.sm.unwrap_or(0));
    assert_eq!(again, with_sm, "server encoding round-trips");
});
