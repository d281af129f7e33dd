//! Whether a JSON value decodes as a type, by the client's decoding rules.
//!
//! The rules mirror the generated client: strings accept numbers, integers
//! and numbers accept their text in a string, an optional field may be
//! absent or `null`, unknown fields are ignored and unknown enum codes are
//! kept. The check phase runs them on every example and default, so a spec
//! whose example would not decode fails to build.

use crate::model::kind_of;
use crate::model::*;
use serde_json::Value;

/// The reasons `value` does not decode as `ty`; empty when it does. Each
/// reason starts with the JSON path of the value at fault, below `path`.
pub fn mismatches(spec: &Spec, ty: &TypeRef, value: &Value, path: &str) -> Vec<String> {
    let mut reasons = Vec::new();
    walk(spec, ty, value, path, &mut reasons);
    reasons
}

/// The reasons an operation's example body does not decode as its response.
pub fn example_mismatches(spec: &Spec, op: &Operation, body: &Value) -> Vec<String> {
    if !op.envelope {
        return match &op.response {
            Some(ty) => mismatches(spec, ty, body, ""),
            None => Vec::new(),
        };
    }
    let Value::Object(envelope) = body else {
        return vec![format!(
            "the body must be an envelope object, found {}",
            kind_of(body)
        )];
    };
    let mut reasons = Vec::new();
    match envelope.get("status") {
        Some(Value::Number(n)) if n.as_u64().is_some_and(|s| s <= 999) => {}
        Some(Value::String(s)) if s.parse::<u16>().is_ok() => {}
        _ => {
            reasons.push("`status` must be an HTTP status code, as a number or a string".to_owned())
        }
    }
    if let Some(time) = envelope.get("response_time") {
        walk(
            spec,
            &TypeRef::Timestamp,
            time,
            "response_time",
            &mut reasons,
        );
    }
    if let (Some(ty), Some(data)) = (&op.response, envelope.get("data"))
        && !data.is_null()
    {
        walk(spec, ty, data, "data", &mut reasons);
    }
    reasons
}

fn walk(spec: &Spec, ty: &TypeRef, value: &Value, path: &str, reasons: &mut Vec<String>) {
    let at = if path.is_empty() { "the value" } else { path };
    let ok = match ty {
        TypeRef::String => matches!(value, Value::String(_) | Value::Number(_)),
        TypeRef::Boolean => value.is_boolean(),
        TypeRef::Int32 => integer(value).is_some_and(|i| i32::try_from(i).is_ok()),
        TypeRef::Int64 => integer(value).is_some(),
        TypeRef::Number => match value {
            Value::Number(_) => true,
            Value::String(s) => s.trim().parse::<f64>().is_ok(),
            _ => false,
        },
        TypeRef::Timestamp => value.as_str().is_some_and(looks_like_timestamp),
        TypeRef::Json => true,
        TypeRef::File => false,
        TypeRef::List(inner) => match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(spec, inner, item, &format!("{path}[{i}]"), reasons);
                }
                true
            }
            _ => false,
        },
        TypeRef::Named(name) => match spec.type_named(name).map(|t| &t.kind) {
            // An undefined name is reported by the check phase already.
            None => true,
            Some(TypeKind::Enum(def)) => match def.repr {
                EnumRepr::Integer => integer(value).is_some(),
                EnumRepr::String => value.is_string(),
            },
            Some(TypeKind::Object(fields)) => match value {
                Value::Object(map) => {
                    for field in fields {
                        let field_path = if path.is_empty() {
                            field.json_name.clone()
                        } else {
                            format!("{path}.{}", field.json_name)
                        };
                        match map.get(&field.json_name) {
                            None | Some(Value::Null) if field.required => reasons
                                .push(format!("{field_path}: required field is missing or null")),
                            None | Some(Value::Null) => {}
                            Some(v) => walk(spec, &field.ty, v, &field_path, reasons),
                        }
                    }
                    true
                }
                _ => false,
            },
        },
    };
    if !ok {
        reasons.push(format!("{at}: expected {ty}, found {}", describe(value)));
    }
}

/// An integer as the client reads one: a JSON integer, or one in a string.
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `YYYY-MM-DDTHH:MM:SS` at the start; the client reads the rest.
fn looks_like_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shape = b"dddd-dd-ddTdd:dd:dd";
    bytes.len() >= shape.len()
        && shape.iter().zip(bytes).all(|(&s, &b)| match s {
            b'd' => b.is_ascii_digit(),
            b'T' => b == b'T' || b == b't' || b == b' ',
            other => b == other,
        })
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(s) if s.len() <= 40 => format!("the string {s:?}"),
        Value::Number(n) => format!("the number {n}"),
        other => kind_of(other).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Spec {
        crate::load(
            r#"{"title": "t", "version": "1", "modules": {}, "types": {
                "Owner": {"kind": "object", "fields": {
                    "id": {"type": "string", "required": true},
                    "name": {"type": "string"}}},
                "Contact": {"kind": "object", "fields": {
                    "id": {"type": "int64", "required": true},
                    "email": {"type": "string"},
                    "owner": {"type": "Owner"}}}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn nulls_and_absent_optional_fields_decode() {
        let ty = TypeRef::Named("Contact".into());
        let value = json!({"id": 1, "owner": {"id": "u1", "name": null}, "email": null});
        assert!(mismatches(&spec(), &ty, &value, "data").is_empty());
    }

    #[test]
    fn a_null_required_field_names_its_path() {
        let ty = TypeRef::Named("Contact".into());
        let value = json!({"id": 1, "owner": {"id": null}});
        assert_eq!(
            mismatches(&spec(), &ty, &value, "data"),
            ["data.owner.id: required field is missing or null"]
        );
    }

    #[test]
    fn numbers_in_strings_are_accepted_and_words_are_not() {
        let spec = spec();
        assert!(mismatches(&spec, &TypeRef::Int64, &json!("18918967"), "").is_empty());
        assert_eq!(
            mismatches(&spec, &TypeRef::Int64, &json!("abc"), "data.unreadCount"),
            ["data.unreadCount: expected int64, found the string \"abc\""]
        );
        assert!(!mismatches(&spec, &TypeRef::Int32, &json!(3_000_000_000i64), "").is_empty());
    }
}
