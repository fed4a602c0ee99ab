//! Server URLs as the client logs them: without credentials, and with a warning for plain
//! `ws://` to a host that is not loopback (docs/client-behaviour.md §1).

/// `url` without user info, query or fragment, which may carry credentials.
pub(super) fn loggable_url(url: &str) -> String {
    let bytes = url.as_bytes();
    let (start, host, end) = authority(bytes);
    let path_end = bytes[end..]
        .iter()
        .position(|b| matches!(b, b'?' | b'#'))
        .map_or(bytes.len(), |n| end + n);
    [&url[..start], &url[host..path_end]].concat()
}

/// Where the authority of `url` lies, as `(start, host, end)`: it starts just after
/// `scheme://` (at 0 without one), its host after the last `@` of any user info, and it ends at
/// the path, query or fragment. Byte by byte: the URL's structure is ASCII.
fn authority(url: &[u8]) -> (usize, usize, usize) {
    let start = url
        .iter()
        .position(|b| *b == b':')
        .filter(|i| url[*i..].starts_with(b"://"))
        .map_or(0, |i| i + 3);
    let (mut host, mut end) = (start, start);
    while let Some(byte) = url.get(end).filter(|b| !matches!(b, b'/' | b'?' | b'#')) {
        if *byte == b'@' {
            host = end + 1;
        }
        end += 1;
    }
    (start, host, end)
}

/// The host of a plain `ws://` URL whose host is not loopback (`localhost`, `127.x.x.x`,
/// `[::1]`), without user info or port; `None` for any other URL.
pub(super) fn insecure_remote_host(url: &str) -> Option<&str> {
    let bytes = url.as_bytes();
    if !bytes.get(..5)?.eq_ignore_ascii_case(b"ws://") {
        return None;
    }
    let (_, start, end) = authority(bytes);
    let authority = &bytes[start..end];
    let host_len = if authority.first() == Some(&b'[') {
        authority
            .iter()
            .position(|b| *b == b']')
            .map_or(authority.len(), |n| n + 1)
    } else {
        let port = authority
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let before_port = authority.len() - port;
        match before_port.checked_sub(1) {
            Some(colon) if authority[colon] == b':' => colon,
            _ => authority.len(),
        }
    };
    let host = &url[start..start + host_len];
    (!is_loopback(host.as_bytes())).then_some(host)
}

/// `localhost`, `[::1]`, or four dot-separated groups of 1–3 digits starting `127.`.
fn is_loopback(host: &[u8]) -> bool {
    if host.eq_ignore_ascii_case(b"localhost") || host == b"[::1]" {
        return true;
    }
    let (mut groups, mut digits) = (1, 0);
    for byte in host {
        match byte {
            b'.' if (1..=3).contains(&digits) => (groups, digits) = (groups + 1, 0),
            b'0'..=b'9' => digits += 1,
            _ => return false,
        }
    }
    host.starts_with(b"127.") && groups == 4 && (1..=3).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::{insecure_remote_host, loggable_url};

    #[test]
    fn logged_urls_lose_credentials_query_and_fragment() {
        assert_eq!(
            loggable_url("wss://bob:pw@im.example.com:443/websocket?token=s3cret#x"),
            "wss://im.example.com:443/websocket"
        );
        assert_eq!(
            loggable_url("ws://127.0.0.1:3000/websocket"),
            "ws://127.0.0.1:3000/websocket"
        );
        assert_eq!(loggable_url("ws://host/a@b"), "ws://host/a@b");
        // A `?` before the scheme's `://` once cut the URL before its own start (a trap).
        assert_eq!(loggable_url("ws?x://h/p?q"), "ws?x://h/p");
        assert_eq!(loggable_url("wss://bücher.de/ä?ö"), "wss://bücher.de/ä");
    }

    #[test]
    fn only_plain_ws_to_a_host_that_is_not_loopback_is_insecure() {
        for url in [
            "ws://localhost:3000/websocket",
            "WS://LOCALHOST/x",
            "ws://127.0.0.1/websocket",
            "ws://127.10.0.200:80",
            "ws://[::1]:3000/websocket",
            "wss://im.example.com/websocket",
            "http://im.example.com",
        ] {
            assert_eq!(insecure_remote_host(url), None, "{url}");
        }
        assert_eq!(
            insecure_remote_host("ws://user:pw@im.example.com:3000/ws?token=x"),
            Some("im.example.com")
        );
        assert_eq!(
            insecure_remote_host("ws://[2001:db8::1]:80/"),
            Some("[2001:db8::1]")
        );
        assert_eq!(
            insecure_remote_host("ws://127.0.0.1.example.com/"),
            Some("127.0.0.1.example.com")
        );
        assert_eq!(insecure_remote_host("ws://10.0.0.2"), Some("10.0.0.2"));
    }
}
