//! Round trips of every frame quoted in docs/protocol.md §7, and decoding errors (never panics) for
//! malformed input. `…` in the spec is replaced by a concrete UUID.

use mobileimsdk_wasm::protocol::{
    DecodeError, ErrorResponse, KickoutInfo, LoginInfo, LoginResponse, Protocal, ProtocalRef,
    ProtocalType,
};

const LIMIT: usize = 1 << 20;
const FP: &str = "e9adad0e-6a1f-4c2b-9d3e-0f1a2b3c4d5e";

fn decode(text: &str) -> Protocal {
    Protocal::decode(text, LIMIT).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// A frame the client sends: decodes, and `encode()` gives back the same bytes.
fn client_round_trip(text: &str) -> Protocal {
    let frame = decode(text);
    assert_eq!(frame.encode(), text);
    frame
}

/// A frame the server sends: decodes, and `encode_as_server()` gives back the same bytes.
fn server_round_trip(text: &str) -> Protocal {
    let frame = decode(text);
    assert_eq!(frame.encode_as_server(), text);
    frame
}

#[test]
fn login_sent() {
    let text = r#"{"bridge":false,"type":0,"dataContent":"{\"loginUserId\":\"alice\",\"loginToken\":\"token-alice\",\"extra\":null,\"firstLoginTime\":0}","from":"alice","to":"0","fp":null,"QoS":false,"typeu":-1}"#;
    let frame = client_round_trip(text);
    let info: LoginInfo = frame.payload().unwrap();
    let expected = LoginInfo {
        login_user_id: "alice".into(),
        login_token: Some("token-alice".into()),
        extra: None,
        first_login_time: 0,
    };
    assert_eq!(info, expected);
    assert_eq!(Protocal::login(&expected).encode(), text);
}

#[test]
fn login_reply() {
    let text = r#"{"bridge":false,"type":50,"dataContent":"{\"code\":0,\"firstLoginTime\":1795676203175}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#;
    let frame = server_round_trip(text);
    assert_eq!(frame.kind, ProtocalType::RESPONSE_LOGIN);
    assert_eq!(frame.sm, Some(-1));
    assert_eq!(
        frame.payload::<LoginResponse>().unwrap(),
        LoginResponse {
            code: 0,
            first_login_time: 1_795_676_203_175
        }
    );
}

#[test]
fn failed_login_reply() {
    let text = r#"{"bridge":false,"type":50,"dataContent":"{\"code\":1025,\"firstLoginTime\":-1}","from":"0","to":"-1","QoS":false,"typeu":-1,"sm":-1}"#;
    let frame = server_round_trip(text);
    assert_eq!(frame.payload::<LoginResponse>().unwrap().code, 1025);
}

#[test]
fn keep_alive_sent() {
    let text = r#"{"bridge":false,"type":1,"dataContent":"{}","from":"alice","to":"0","fp":null,"QoS":false,"typeu":-1}"#;
    client_round_trip(text);
    assert_eq!(Protocal::keep_alive("alice").encode(), text);
}

#[test]
fn keep_alive_reply() {
    let text = r#"{"bridge":false,"type":51,"dataContent":"{}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#;
    let frame = server_round_trip(text);
    assert_eq!(frame.kind, ProtocalType::RESPONSE_KEEP_ALIVE);
}

#[test]
fn c2c_message_sent_forwarded_and_acked() {
    let sent = format!(
        r#"{{"bridge":false,"type":2,"dataContent":"hello bob (QoS)","from":"alice","to":"bob","fp":"{FP}","QoS":true,"typeu":0}}"#
    );
    let frame = client_round_trip(&sent);
    assert!(frame.qos);
    assert_eq!(frame.sm, None);
    // Bob receives the same object plus "sm":0.
    let forwarded = format!("{}{}", &sent[..sent.len() - 1], r#","sm":0}"#);
    assert_eq!(frame.encode_as_server(), forwarded);
    let received = server_round_trip(&forwarded);
    assert_eq!(received.sm, Some(0));
    // The ack a receiver writes for it (type 4, from = own uid, to = sender).
    let own_ack = format!(
        r#"{{"bridge":false,"type":4,"dataContent":"{FP}","from":"bob","to":"alice","fp":null,"QoS":false,"typeu":-1}}"#
    );
    assert_eq!(Protocal::ack_for(&received, "bob").encode(), own_ack);
    client_round_trip(&own_ack);
    // The server's ack to alice on its write to bob.
    let server_ack = format!(
        r#"{{"bridge":false,"type":4,"dataContent":"{FP}","from":"bob","to":"alice","QoS":false,"typeu":-1,"sm":-1}}"#
    );
    let ack = server_round_trip(&server_ack);
    assert_eq!(ack.data_content.as_deref(), Some(FP));
}

#[test]
fn c2s_ack() {
    // Quoted in part (`…`); completed with the server's field set.
    let text = format!(
        r#"{{"bridge":false,"type":4,"dataContent":"{FP}","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}}"#
    );
    let frame = server_round_trip(&text);
    assert_eq!(
        (frame.kind, frame.from.as_str(), frame.to.as_str()),
        (4, "0", "alice")
    );
    // The quoted fragment alone decodes too, with the stock defaults.
    let fragment = decode(&format!(
        r#"{{"type":4,"dataContent":"{FP}","from":"0","to":"alice"}}"#
    ));
    assert_eq!(fragment, Protocal { sm: None, ..frame });
}

#[test]
fn kick_out() {
    let text = r#"{"bridge":false,"type":54,"dataContent":"{\"code\":1}","from":"0","to":"bob","QoS":false,"typeu":-1,"sm":-1}"#;
    let frame = server_round_trip(text);
    let info: KickoutInfo = frame.payload().unwrap();
    assert_eq!(
        info,
        KickoutInfo {
            code: 1,
            reason: None
        }
    );
    assert_eq!(info.to_json(), r#"{"code":1}"#);
}

#[test]
fn error_301_before_login() {
    // The errorMsg is the rejected Protocal as JSON; Gson escapes its '=' and '<' etc.
    let rejected = r#"{"bridge":false,"type":1,"dataContent":"{}","from":"alice","to":"0","fp":null,"QoS":false,"typeu":-1}"#;
    let body = ErrorResponse {
        error_code: 301,
        error_msg: Some(rejected.into()),
    }
    .to_json();
    let mut frame = Protocal::new(ProtocalType::RESPONSE_FOR_ERROR, Some(body), "0", "-1");
    frame.sm = Some(-1);
    let text = frame.encode_as_server();
    assert!(text.starts_with(
        r#"{"bridge":false,"type":52,"dataContent":"{\"errorCode\":301,\"errorMsg\":\"{\\\"bridge\\\":false"#
    ));
    let back = server_round_trip(&text);
    let error: ErrorResponse = back.payload().unwrap();
    assert_eq!(error.error_code, 301);
    assert_eq!(error.error_msg.as_deref(), Some(rejected));
}

#[test]
fn logout_sent() {
    let text = r#"{"bridge":false,"type":3,"dataContent":null,"from":"alice","to":"0","fp":null,"QoS":false,"typeu":-1}"#;
    let frame = client_round_trip(text);
    assert_eq!(frame.data_content, None);
    assert_eq!(Protocal::logout("alice").encode(), text);
}

#[test]
fn gson_escapes_html_sensitive_characters_and_they_decode() {
    let text = r#"{"bridge":false,"type":2,"dataContent":"a\u003cb\u003e \u0026 x\u003dy \u0027q\u0027","from":"0","to":"alice","QoS":false,"typeu":-1,"sm":-1}"#;
    let frame = server_round_trip(text);
    assert_eq!(frame.data_content.as_deref(), Some("a<b> & x=y 'q'"));
}

#[test]
fn a_server_frame_without_qos_has_no_fp_key_and_null_content_has_no_key() {
    let mut frame = Protocal::new(ProtocalType::LOGOUT, None, "0", "alice");
    frame.sm = Some(-1);
    let text = frame.encode_as_server();
    assert!(
        !text.contains("\"fp\"") && !text.contains("dataContent"),
        "{text}"
    );
    assert_eq!(decode(&text), frame);
}

#[test]
fn unknown_keys_are_ignored_and_missing_ones_take_the_stock_defaults() {
    let frame = decode(r#"{"type":99,"retryCount":3,"future":{"x":[1,2]}}"#);
    assert_eq!(frame.kind, 99);
    assert_eq!((frame.from.as_str(), frame.to.as_str()), ("-1", "-1"));
    assert_eq!((frame.typeu, frame.qos, frame.bridge), (-1, false, false));
    let nulls = decode(r#"{"type":2,"from":null,"to":null,"fp":null,"dataContent":null}"#);
    assert_eq!((nulls.from.as_str(), nulls.to.as_str()), ("-1", "-1"));
}

#[test]
fn an_empty_user_id_stays_empty_and_the_last_of_repeated_keys_wins() {
    let frame = decode(r#"{"from":"","to":"a","to":null,"fr\u006fm":"b","from":""}"#);
    assert_eq!((frame.from.as_str(), frame.to.as_str()), ("", "-1"));
    let frame = decode(r#"{"to":null,"to":"\u0061"}"#);
    assert_eq!((frame.from.as_str(), frame.to.as_str()), ("-1", "a"));
}

fn assert_invalid(text: &str) {
    match Protocal::decode(text, LIMIT) {
        Err(DecodeError::InvalidJson(_)) => {}
        other => panic!("{:.80}: expected InvalidJson, got {other:?}", text),
    }
}

#[test]
fn invalid_json_is_an_error() {
    for text in [
        "",
        "not json",
        "{",
        r#"{"type":2,}"#,
        "<html></html>",
        "[]",
        r#"[false,54,"{\"code\":1}","0","alice"]"#,
        "42",
        r#""a string""#,
    ] {
        assert_invalid(text);
    }
}

#[test]
fn null_is_an_error() {
    assert_invalid("null");
}

#[test]
fn wrong_field_types_are_errors() {
    for text in [
        r#"{"type":2,"dataContent":{"text":"an object"}}"#,
        r#"{"type":2,"dataContent":["an array"]}"#,
        r#"{"type":2,"dataContent":5}"#,
        r#"{"type":"2"}"#,
        r#"{"type":2.5}"#,
        r#"{"type":2,"QoS":"true"}"#,
        r#"{"type":2,"from":5}"#,
        r#"{"type":2,"fp":{}}"#,
        r#"{"type":2,"typeu":null}"#,
        r#"{"type":99999999999}"#,
    ] {
        assert_invalid(text);
    }
}

#[test]
fn frames_over_the_limit_are_errors() {
    let text = format!(r#"{{"type":2,"dataContent":"{}"}}"#, "x".repeat(100));
    assert_eq!(
        Protocal::decode(&text, 100),
        Err(DecodeError::TooLarge {
            len: text.len(),
            limit: 100
        })
    );
    assert!(
        Protocal::decode(&text, text.len()).is_ok(),
        "exactly at the limit"
    );
    assert_eq!(
        Protocal::decode_bytes(text.as_bytes(), 100),
        Err(DecodeError::TooLarge {
            len: text.len(),
            limit: 100
        })
    );
}

#[test]
fn invalid_utf8_is_an_error() {
    for bytes in [
        &b"{\"type\":2,\"dataContent\":\"\xff\"}"[..],
        &b"\xc3\x28"[..],
        &b"{\"type\":2,\"dataContent\":\"\xed\xa0\x80\"}"[..],
    ] {
        assert_eq!(
            Protocal::decode_bytes(bytes, LIMIT),
            Err(DecodeError::InvalidUtf8)
        );
    }
    let ok = "{\"type\":2,\"dataContent\":\"héllo ✓\"}";
    assert_eq!(
        Protocal::decode_bytes(ok.as_bytes(), LIMIT)
            .unwrap()
            .data_content
            .as_deref(),
        Some("héllo ✓")
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_invalid(&arrays);
    let objects = format!(
        r#"{{"type":2,"dataContent":{}1{}}}"#,
        "{\"a\":".repeat(10_000),
        "}".repeat(10_000)
    );
    assert_invalid(&objects);
    let in_content = format!(
        r#"{{"type":2,"dataContent":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_invalid(&in_content);
    // Deep nesting under a key the decoder ignores is valid JSON and is skipped without
    // recursion.
    let ignored = format!(
        r#"{{"type":2,"future":{}1{}}}"#,
        "{\"a\":".repeat(10_000),
        "}".repeat(10_000)
    );
    assert_eq!(decode(&ignored).kind, 2);
    // A payload nested deep inside a dataContent string is only parsed on demand, and fails.
    let payload = format!("{arrays:?}");
    let frame = decode(&format!(r#"{{"type":50,"dataContent":{payload}}}"#));
    assert!(matches!(
        frame.payload::<LoginResponse>(),
        Err(DecodeError::InvalidJson(_))
    ));
}

#[test]
fn a_framework_packet_without_content_has_no_payload() {
    let frame = decode(r#"{"type":54}"#);
    assert_eq!(
        frame.payload::<KickoutInfo>(),
        Err(DecodeError::MissingContent(54))
    );
    // A login without loginUserId (the server closes on it) is not a LoginInfo.
    let frame = decode(r#"{"type":0,"dataContent":"{}"}"#);
    assert!(frame.payload::<LoginInfo>().is_err());
}

/// The core's writer writes the ack of a received QoS frame exactly as the JS glue writes the
/// ack of a frame it holds (`ackText` in js-glue/src/call-arguments.js; the same cases in
/// tests/js/call-arguments.test.mjs), docs/client-behaviour.md §11.
#[test]
fn a_client_ack_is_written_as_the_glue_writes_it() {
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/acks.json")).expect("the fixture is JSON");
    for case in cases.as_array().expect("a list of cases") {
        let frame = &case["frame"];
        let text = |name: &str| frame[name].as_str();
        let received = ProtocalRef {
            bridge: frame["bridge"].as_bool().unwrap_or(false),
            kind: frame["type"].as_i64().map_or(0, |kind| kind as i32),
            data_content: text("dataContent"),
            from: text("from").unwrap_or("-1"),
            to: text("to").unwrap_or("-1"),
            fp: text("fp"),
            qos: frame["QoS"].as_bool().unwrap_or(false),
            typeu: frame["typeu"].as_i64().map_or(-1, |typeu| typeu as i32),
            sm: None,
        };
        let own = case["ownUid"].as_str().expect("ownUid");
        assert_eq!(
            received.ack(own).encode(),
            case["ack"].as_str().expect("ack"),
            "{}",
            case["why"]
        );
    }
}
