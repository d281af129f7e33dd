//! Rust names for the API's names.
//!
//! The API spells its names in every style (`STREAM_ID`, `includeChilds`,
//! `UserStreamProviderId`, `template.language.code`); Rust wants snake_case
//! for functions and fields and CamelCase for types. Keywords are made raw
//! (`r#type`), except the four that cannot be raw, which get a trailing
//! underscore (`self_`).

/// Words reserved in any edition up to 2024. All of them are written raw
/// (`r#type`) but for [`NOT_RAW`].
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that `r#` cannot escape.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// Whether `name` is a keyword in some edition.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// The snake_case form of an API name, before keywords are escaped.
///
/// Word boundaries are a change from lower to upper case, the last capital
/// of a run of capitals followed by a lower-case letter (`SMSId` is
/// `sms_id`), and any character but an ASCII letter or digit, which is
/// dropped. Returns an empty string when nothing is left.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    let mut pending_break = false;
    for (i, &c) in chars.iter().enumerate() {
        // Only ASCII letters and digits carry over, so that every name
        // made here is a valid identifier.
        if !c.is_ascii_alphanumeric() {
            pending_break = true;
            continue;
        }
        if i > 0 && c.is_ascii_uppercase() {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_is_lower)
            {
                pending_break = true;
            }
        }
        if pending_break && !out.is_empty() {
            out.push('_');
        }
        pending_break = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The Rust identifier for a function, field or module, as written in
/// source: `r#type` for `type`, `self_` for `self`, `_2fa_enabled` for
/// `2fa_enabled`. `None` when the name holds no letter or digit.
pub fn snake_ident(name: &str) -> Option<String> {
    let snake = snake_case(name);
    escape(snake)
}

/// Makes a snake_case word a usable identifier.
fn escape(word: String) -> Option<String> {
    if word.is_empty() {
        return None;
    }
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!("_{word}"));
    }
    if NOT_RAW.contains(&word.as_str()) {
        return Some(format!("{word}_"));
    }
    if is_keyword(&word) {
        return Some(format!("r#{word}"));
    }
    Some(word)
}

/// Whether `name` is CamelCase as the spec requires for modules, operations,
/// types and enum variants: an ASCII capital, then ASCII letters and digits.
pub fn is_camel_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && !is_keyword(name)
}

/// Whether a `rust_name` given in the spec is a plain snake_case identifier.
pub fn is_snake_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name != "_"
        && !is_keyword(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_spellings_become_snake_case() {
        let cases = [
            ("STREAM_ID", "stream_id"),
            ("includeChilds", "include_childs"),
            ("UserStreamProviderId", "user_stream_provider_id"),
            ("SMSId", "sms_id"),
            ("template.language.code", "template_language_code"),
            ("body.1.value", "body_1_value"),
            ("x-request-id", "x_request_id"),
            ("@odata.type", "odata_type"),
            ("urn:ext:crm:2.0:User", "urn_ext_crm_2_0_user"),
            ("stream.id", "stream_id"),
            ("object_id", "object_id"),
            ("AiServices", "ai_services"),
            ("CreateChild", "create_child"),
            ("V2SendTemplate", "v2_send_template"),
        ];
        for (api, rust) in cases {
            assert_eq!(snake_case(api), rust, "{api}");
        }
    }

    #[test]
    fn keywords_and_digits_are_escaped() {
        assert_eq!(snake_ident("type").as_deref(), Some("r#type"));
        assert_eq!(snake_ident("gen").as_deref(), Some("r#gen"));
        assert_eq!(snake_ident("async").as_deref(), Some("r#async"));
        assert_eq!(snake_ident("self").as_deref(), Some("self_"));
        assert_eq!(snake_ident("Self").as_deref(), Some("self_"));
        assert_eq!(snake_ident("crate").as_deref(), Some("crate_"));
        assert_eq!(snake_ident("2fa_enabled").as_deref(), Some("_2fa_enabled"));
        assert_eq!(snake_ident("@@"), None);
    }

    #[test]
    fn camel_case_rule() {
        assert!(is_camel_case("ObjectStatus"));
        assert!(is_camel_case("V2"));
        assert!(!is_camel_case("objectStatus"));
        assert!(!is_camel_case("Object Status"));
        assert!(!is_camel_case("Self"));
    }
}
