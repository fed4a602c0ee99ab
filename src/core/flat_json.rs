//! A reader of the flat JSON objects `IMSDK.setConfig` passes (the runtime's `JSON.stringify`
//! of the app's object): each member as its raw name and raw value text, a nested value skipped
//! whole. It keeps the protocol's JSON reader out of the wasm, which needs no other
//! (docs/client-behaviour.md §11); it checks the object's structure, not every token.

/// The members of the object `json`, in order, as (name between its quotes, value text); `None`
/// if `json` is not one object.
pub(super) fn members(json: &str) -> Option<Vec<(&str, &str)>> {
    let bytes = json.as_bytes();
    let mut at = skip_space(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(bytes, at + 1);
    let mut members = Vec::new();
    if bytes.get(at) == Some(&b'}') {
        return (skip_space(bytes, at + 1) == bytes.len()).then_some(members);
    }
    loop {
        let name_end = string_end(bytes, at)?;
        let name = json.get(at + 1..name_end - 1)?;
        at = skip_space(bytes, name_end);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        let value_start = skip_space(bytes, at + 1);
        let value_end = value_end(bytes, value_start)?;
        members.push((name, json.get(value_start..value_end)?));
        at = skip_space(bytes, value_end);
        match bytes.get(at)? {
            b',' => at = skip_space(bytes, at + 1),
            b'}' => return (skip_space(bytes, at + 1) == bytes.len()).then_some(members),
            _ => return None,
        }
    }
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// The index after the string that starts at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let mut i = at + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The index after the value that starts at `at`: a string, an object or array (brackets
/// balanced, strings skipped), or a literal up to the next separator.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => {
            let (mut depth, mut i) = (0usize, at);
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let end = bytes[at..]
                .iter()
                .position(|b| matches!(b, b',' | b'}') || b.is_ascii_whitespace())
                .map_or(bytes.len(), |n| at + n);
            (end > at).then_some(end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::members;

    #[test]
    fn reads_the_members_of_one_object_and_nothing_else() {
        assert_eq!(
            members(r#" {"a":1, "b" : "x,}" ,"c":{"d":[1,"]"]},"e":null} "#),
            Some(vec![
                ("a", "1"),
                ("b", r#""x,}""#),
                ("c", r#"{"d":[1,"]"]}"#),
                ("e", "null")
            ])
        );
        assert_eq!(members("{}"), Some(vec![]));
        assert_eq!(members(r#"{"q\"":2}"#), Some(vec![(r#"q\""#, "2")]));
        for bad in [
            "",
            "null",
            "[1]",
            r#""s""#,
            "{",
            r#"{"a":}"#,
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{"a":1}x"#,
            r#"{"a":[1}"#,
        ] {
            assert_eq!(members(bad), None, "{bad}");
        }
    }
}
