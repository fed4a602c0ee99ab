//! The codec's fuzz properties as a short proptest run in `cargo test` (the long runs are the
//! cargo-fuzz targets in fuzz/): decoding arbitrary text or bytes never panics, and every frame
//! round-trips through both encodings.
#![cfg(not(target_arch = "wasm32"))]

use mobileimsdk_wasm::protocol::json::client_string_len;
use mobileimsdk_wasm::protocol::{
    ErrorResponse, KickoutInfo, LoginInfo, LoginResponse, Protocal, ProtocalRef,
};
use proptest::prelude::*;

const LIMIT: usize = 1 << 20;

fn any_frame() -> impl Strategy<Value = Protocal> {
    let text = "\\PC{0,24}";
    (
        any::<bool>(),
        any::<i32>(),
        proptest::option::of(text),
        text,
        text,
        proptest::option::of(text),
        any::<bool>(),
        any::<i32>(),
        proptest::option::of(any::<i64>()),
    )
        .prop_map(
            |(bridge, kind, data_content, from, to, fp, qos, typeu, sm)| Protocal {
                bridge,
                kind,
                data_content,
                from,
                to,
                fp,
                qos,
                typeu,
                sm,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn decoding_arbitrary_text_never_panics(text in "\\PC{0,200}") {
        if let Ok(frame) = Protocal::decode(&text, LIMIT) {
            let _ = frame.payload::<LoginInfo>();
            let _ = frame.payload::<LoginResponse>();
            let _ = frame.payload::<ErrorResponse>();
            let _ = frame.payload::<KickoutInfo>();
        }
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Protocal::decode_bytes(&bytes, LIMIT);
    }

    #[test]
    fn every_frame_round_trips_in_the_client_encoding(frame in any_frame()) {
        let decoded = Protocal::decode(&frame.encode(), LIMIT).unwrap();
        prop_assert_eq!(decoded, Protocal { sm: None, ..frame });
    }

    #[test]
    fn every_frame_round_trips_in_the_server_encoding(frame in any_frame()) {
        let decoded = Protocal::decode(&frame.encode_as_server(), LIMIT).unwrap();
        let sm = Some(frame.sm.unwrap_or(0));
        prop_assert_eq!(decoded, Protocal { sm, ..frame });
    }

    #[test]
    fn the_counted_length_of_the_client_encoding_is_its_length(
        frame in any_frame(),
        escaped in "[\\x00-\\x1f\"\\\\a-z\u{e9}\u{2028}\u{4e2d}]{0,40}",
    ) {
        let content_json = |frame: &Protocal| frame.data_content.as_deref().map_or(4, client_string_len);
        prop_assert_eq!(
            ProtocalRef::from(&frame).encoded_len(content_json(&frame)),
            frame.encode().len()
        );
        let with_escapes = Protocal { data_content: Some(escaped.clone()), from: escaped, ..frame };
        prop_assert_eq!(
            ProtocalRef::from(&with_escapes).encoded_len(content_json(&with_escapes)),
            with_escapes.encode().len()
        );
        let counted = ProtocalRef::from(&with_escapes);
        prop_assert!(
            counted.encoded_len_bound(content_json(&with_escapes)) >= with_escapes.encode().len(),
            "the bound is never below the length"
        );
    }

    #[test]
    fn the_client_encoding_is_json_that_serde_json_reads_back(frame in any_frame()) {
        let value: serde_json::Value = serde_json::from_str(&frame.encode()).unwrap();
        prop_assert_eq!(value["from"].as_str(), Some(frame.from.as_str()));
        prop_assert_eq!(value["dataContent"].as_str(), frame.data_content.as_deref());
        prop_assert_eq!(value["type"].as_i64(), Some(i64::from(frame.kind)));
    }
}
