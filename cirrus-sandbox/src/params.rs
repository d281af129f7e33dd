//! Reading and checking a request's parameters against the operation's
//! spec: path segments, query values and body fields, each by its type.
//!
//! Values are read by the client's lenient rules (a number in a string is a
//! number, an unknown enum code is kept); anything else is a 400 whose
//! description names the parameter.

use axum::body::Bytes;
use cirrus_spec::example::mismatches;
use cirrus_spec::{
    BodyEncoding, EnumRepr, ListStyle, Operation, ParamLocation, Spec, TypeKind, TypeRef,
};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// The parameters of one request, checked, by wire name. Path and query
/// text is turned into JSON of the parameter's type (`"7"` for an `int64`
/// becomes `7`); body values stay as sent; a file is `{"file_name", "size"}`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Args {
    values: HashMap<String, Value>,
}

impl Args {
    /// Args from values, for handlers that are called directly in tests.
    #[cfg(test)]
    pub(crate) fn from_pairs<const N: usize>(pairs: [(&str, Value); N]) -> Args {
        Args {
            values: pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        }
    }

    /// The value of a parameter, if the request carried it (not `null`).
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name).filter(|v| !v.is_null())
    }

    /// An integer parameter (a number, or a number in a string).
    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        as_int(self.get(name)?)
    }

    /// A text parameter; a number is given as its digits.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        match self.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// A boolean parameter.
    pub(crate) fn flag(&self, name: &str) -> Option<bool> {
        match self.get(name)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A list of integers (a single integer counts as a list of one).
    pub(crate) fn ints(&self, name: &str) -> Vec<i64> {
        match self.get(name) {
            Some(Value::Array(items)) => items.iter().filter_map(as_int).collect(),
            Some(other) => as_int(other).into_iter().collect(),
            None => Vec::new(),
        }
    }
}

/// An integer as the client reads one.
pub(crate) fn as_int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A request, as far as parameters go.
pub(crate) struct Incoming<'a> {
    /// Path parameters, decoded, by name.
    pub(crate) path: Vec<(String, String)>,
    /// The raw query string.
    pub(crate) query: Option<&'a str>,
    /// The `Content-Type` header.
    pub(crate) content_type: Option<&'a str>,
    /// The body.
    pub(crate) body: Bytes,
}

/// A field of the body as it arrived.
enum Field {
    /// A JSON value.
    Json(Value),
    /// A multipart text part.
    Text(String),
    /// A multipart file part.
    File { file_name: String, size: usize },
}

/// Reads and checks every parameter of `op`; the error is the 400's
/// description.
pub(crate) async fn read(
    spec: &Spec,
    op: &Operation,
    request: Incoming<'_>,
) -> Result<Args, String> {
    let mut args = Args::default();

    for (name, text) in request.path {
        let ty = op
            .parameters_in(ParamLocation::Path)
            .find(|p| p.name == name)
            .map_or(TypeRef::String, |p| p.ty.clone());
        let value = from_text(spec, &ty, &text)
            .map_err(|why| format!("Invalid parameter {} (path): {why}", shown(&name)))?;
        args.values.insert(name, value);
    }

    let pairs: Vec<(String, String)> = request
        .query
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    for param in op.parameters_in(ParamLocation::Query) {
        let texts = pairs
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(&param.name))
            .map(|(_, value)| value.as_str());
        let bad = |why: String| format!("Invalid parameter {} (query): {why}", shown(&param.name));
        let value = match &param.ty {
            TypeRef::List(inner) => {
                let mut items = Vec::new();
                for text in texts {
                    let parts: Vec<&str> = match param.style {
                        ListStyle::Comma => text.split(',').collect(),
                        ListStyle::Repeat => vec![text],
                    };
                    for part in parts.into_iter().filter(|p| !p.trim().is_empty()) {
                        items.push(from_text(spec, inner, part).map_err(bad)?);
                    }
                }
                (!items.is_empty()).then_some(Value::Array(items))
            }
            ty => match texts.into_iter().next() {
                None => None,
                Some(text) if text.trim().is_empty() && *ty != TypeRef::String => None,
                Some(text) => Some(from_text(spec, ty, text).map_err(bad)?),
            },
        };
        match value {
            Some(value) => {
                args.values.insert(param.name.clone(), value);
            }
            None if param.required => {
                return Err(format!(
                    "Missing required parameter {} (query)",
                    shown(&param.name)
                ));
            }
            None => {}
        }
    }

    let fields = body_fields(op, request.content_type, request.body).await?;
    for param in op.parameters_in(ParamLocation::Body) {
        let mut found: Vec<&Field> = fields
            .iter()
            .filter(|(name, _)| *name == param.name)
            .map(|(_, field)| field)
            .collect();
        let is_file_list = matches!(&param.ty, TypeRef::List(inner) if **inner == TypeRef::File);
        let value = match found.pop() {
            None | Some(Field::Json(Value::Null)) => None,
            Some(Field::Json(value)) => {
                let reasons = mismatches(spec, &param.ty, value, &param.name);
                if let Some(first) = reasons.first() {
                    return Err(format!("Invalid parameter {}", shown_reason(first)));
                }
                Some(value.clone())
            }
            Some(Field::File { file_name, size }) => {
                if param.ty != TypeRef::File && !is_file_list {
                    return Err(format!(
                        "Invalid parameter {} (body): expected {}, found a file part",
                        shown(&param.name),
                        param.ty
                    ));
                }
                let file = serde_json::json!({"file_name": file_name, "size": size});
                Some(if is_file_list {
                    let mut files: Vec<Value> = found
                        .iter()
                        .filter_map(|f| match f {
                            Field::File { file_name, size } => {
                                Some(serde_json::json!({"file_name": file_name, "size": size}))
                            }
                            _ => None,
                        })
                        .collect();
                    files.push(file);
                    Value::Array(files)
                } else {
                    file
                })
            }
            Some(Field::Text(text)) => {
                let value = if param.ty == TypeRef::File || is_file_list {
                    // A part without a file name still carries the bytes.
                    serde_json::json!({"file_name": "", "size": text.len()})
                } else {
                    multipart_value(spec, &param.ty, text).map_err(|why| {
                        format!("Invalid parameter {} (body): {why}", shown(&param.name))
                    })?
                };
                Some(value)
            }
        };
        match value {
            Some(value) => {
                args.values.insert(param.name.clone(), value);
            }
            None if param.required => {
                return Err(format!(
                    "Missing required parameter {} (body)",
                    shown(&param.name)
                ));
            }
            None => {}
        }
    }
    Ok(args)
}

/// A name as descriptions show it: quoted when empty or spaced.
fn shown(name: &str) -> String {
    if name.is_empty() || name.contains(char::is_whitespace) {
        format!("{name:?}")
    } else {
        name.to_owned()
    }
}

/// A mismatch reason (`Name.sub: expected ...`), read as a sentence.
fn shown_reason(reason: &str) -> String {
    match reason.split_once(": ") {
        Some((path, rest)) => format!("{} (body): {rest}", shown(path)),
        None => reason.to_owned(),
    }
}

/// The lower-case media type of a `Content-Type`, without parameters.
fn essence(content_type: Option<&str>) -> String {
    content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence == "text/json" || essence.ends_with("+json")
}

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The body's fields, by the operation's encoding.
async fn body_fields(
    op: &Operation,
    content_type: Option<&str>,
    body: Bytes,
) -> Result<Vec<(String, Field)>, String> {
    if op.body == BodyEncoding::None || body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let essence = essence(content_type);
    let shown_type = if essence.is_empty() {
        "none".to_owned()
    } else {
        essence.clone()
    };
    match op.body {
        BodyEncoding::None => Ok(Vec::new()),
        // The API takes the `data` object as JSON or as the form field
        // `data=<JSON>` alike.
        BodyEncoding::JsonData | BodyEncoding::FormData => {
            let data = if is_json(&essence) {
                let document = serde_json::from_slice(&body)
                    .map_err(|e| format!("Invalid parameter data (body): malformed JSON ({e})"))?;
                let Value::Object(mut top) = document else {
                    return Err(
                        "Invalid parameter data (body): the body must be a JSON object {\"data\": {...}}"
                            .to_owned(),
                    );
                };
                match top.remove("data") {
                    Some(data) => data,
                    // `{}` says as little as an empty body, and is read as
                    // one: any required parameter is then reported missing.
                    None if top.is_empty() => Value::Null,
                    None => {
                        return Err("Missing required parameter data (body): the body must be {\"data\": {...}}".to_owned());
                    }
                }
            } else if essence == FORM {
                let text = form_urlencoded::parse(&body)
                    .find(|(key, _)| key == "data")
                    .map(|(_, value)| value.into_owned());
                let Some(text) = text else {
                    return Err(
                        "Missing required parameter data (form): send the field data=<JSON object>"
                            .to_owned(),
                    );
                };
                serde_json::from_str(&text).map_err(|e| {
                    format!("Invalid parameter data (form): the field is not valid JSON ({e})")
                })?
            } else {
                return Err(format!(
                    "Wrong content type {shown_type}: {} {} takes application/json ({{\"data\": {{...}}}}) or {FORM} (data=<JSON>)",
                    op.method.as_str(),
                    op.path.raw
                ));
            };
            match data {
                Value::Object(map) => Ok(json_fields(map)),
                Value::Null => Ok(Vec::new()),
                other => Err(format!(
                    "Invalid parameter data (body): expected an object, found {}",
                    cirrus_spec::kind_of(&other)
                )),
            }
        }
        BodyEncoding::Json => {
            if !is_json(&essence) {
                return Err(format!(
                    "Wrong content type {shown_type}: {} {} takes application/json",
                    op.method.as_str(),
                    op.path.raw
                ));
            }
            let names: Vec<String> = op
                .parameters_in(ParamLocation::Body)
                .map(|p| shown(&p.name))
                .collect();
            let expected = format!("a JSON object of {}", names.join(", "));
            match serde_json::from_slice(&body) {
                Ok(Value::Object(map)) => Ok(json_fields(map)),
                Ok(other) => Err(format!(
                    "Malformed body: expected {expected}, found {}",
                    cirrus_spec::kind_of(&other)
                )),
                Err(e) => Err(format!("Malformed JSON body: expected {expected} ({e})")),
            }
        }
        BodyEncoding::Multipart => {
            if essence != MULTIPART {
                return Err(format!(
                    "Wrong content type {shown_type}: {} {} takes {MULTIPART}",
                    op.method.as_str(),
                    op.path.raw
                ));
            }
            multipart_fields(content_type.unwrap_or(""), body).await
        }
    }
}

fn json_fields(map: Map<String, Value>) -> Vec<(String, Field)> {
    map.into_iter().map(|(k, v)| (k, Field::Json(v))).collect()
}

async fn multipart_fields(content_type: &str, body: Bytes) -> Result<Vec<(String, Field)>, String> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| format!("Malformed multipart body: {e}"))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(format!("Malformed multipart body: {e}")),
        };
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| format!("Malformed multipart body: part {}: {e}", shown(&name)))?;
        let value = match file_name {
            Some(file_name) => Field::File {
                file_name,
                size: bytes.len(),
            },
            None => Field::Text(String::from_utf8_lossy(&bytes).into_owned()),
        };
        fields.push((name, value));
    }
    Ok(fields)
}

/// A multipart text part: strings as sent, other values as JSON text (or
/// plain text of the type).
fn multipart_value(spec: &Spec, ty: &TypeRef, text: &str) -> Result<Value, String> {
    if *ty == TypeRef::String {
        return Ok(Value::String(text.to_owned()));
    }
    if let Ok(value) = serde_json::from_str::<Value>(text)
        && mismatches(spec, ty, &value, "").is_empty()
    {
        return Ok(value);
    }
    from_text(spec, ty, text)
}

/// A path segment or query value read as `ty`; the error says why not.
pub(crate) fn from_text(spec: &Spec, ty: &TypeRef, text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    match ty {
        TypeRef::String => Ok(Value::String(text.to_owned())),
        TypeRef::Boolean => {
            if trimmed.eq_ignore_ascii_case("true") {
                Ok(Value::Bool(true))
            } else if trimmed.eq_ignore_ascii_case("false") {
                Ok(Value::Bool(false))
            } else {
                Err(format!("{text:?} is not a boolean (true or false)"))
            }
        }
        TypeRef::Int32 => trimmed
            .parse::<i32>()
            .map(Value::from)
            .map_err(|_| format!("{text:?} is not an int32")),
        TypeRef::Int64 => trimmed
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("{text:?} is not an int64")),
        TypeRef::Number => trimmed
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("{text:?} is not a number")),
        TypeRef::Timestamp => {
            if let Ok(seconds) = trimmed.parse::<i64>() {
                Ok(Value::from(seconds))
            } else if mismatches(spec, ty, &Value::String(trimmed.to_owned()), "").is_empty() {
                Ok(Value::String(trimmed.to_owned()))
            } else {
                Err(format!("{text:?} is not a time (Unix seconds or ISO 8601)"))
            }
        }
        TypeRef::Json => {
            Ok(serde_json::from_str(trimmed).unwrap_or_else(|_| Value::String(text.to_owned())))
        }
        TypeRef::File => Err("a file can only be sent as a multipart file part".to_owned()),
        TypeRef::List(inner) => trimmed
            .split(',')
            .filter(|part| !part.trim().is_empty())
            .map(|part| from_text(spec, inner, part))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        TypeRef::Named(name) => match spec.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Enum(def)) if def.repr == EnumRepr::Integer => trimmed
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| format!("{text:?} is not an integer code of {name}")),
            Some(TypeKind::Enum(_)) | None => Ok(Value::String(text.to_owned())),
            Some(TypeKind::Object(_)) => {
                let value: Value = serde_json::from_str(trimmed)
                    .map_err(|e| format!("{text:?} is not a JSON {name} object ({e})"))?;
                let reasons = mismatches(spec, ty, &value, "");
                if reasons.is_empty() {
                    Ok(value)
                } else {
                    Err(reasons.join("; "))
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        cirrus_spec::load(
            r#"{"title": "t", "version": "1",
                "types": {"Status": {"kind": "enum", "repr": "integer", "values": [{"value": 1, "name": "Open"}]}},
                "modules": {"Objects": {"operations": {
                "Create": {"method": "POST", "path": "/streams/{STREAM_ID}/objects", "body": "json-data",
                    "parameters": {
                        "STREAM_ID": {"in": "path", "type": "string"},
                        "Message": {"in": "body", "type": "string", "required": true},
                        "StatusId": {"in": "body", "type": "Status"}}},
                "List": {"method": "GET", "path": "/objects/{ID}",
                    "parameters": {
                        "ID": {"in": "path", "type": "int64"},
                        "status": {"in": "query", "type": "list<Status>"},
                        "page": {"in": "query", "type": "int32", "required": true},
                        "flag": {"in": "query", "type": "boolean"}}}
            }}}}"#,
        )
        .unwrap()
    }

    fn op(spec: &Spec, name: &str) -> Operation {
        spec.operations()
            .find(|(_, op)| op.name == name)
            .unwrap()
            .1
            .clone()
    }

    async fn read_list(path: &str, query: &str) -> Result<Args, String> {
        let spec = spec();
        let op = op(&spec, "List");
        read(
            &spec,
            &op,
            Incoming {
                path: vec![("ID".into(), path.into())],
                query: Some(query),
                content_type: None,
                body: Bytes::new(),
            },
        )
        .await
    }

    async fn read_create(content_type: &str, body: &str) -> Result<Args, String> {
        let spec = spec();
        let op = op(&spec, "Create");
        read(
            &spec,
            &op,
            Incoming {
                path: vec![("STREAM_ID".into(), "s==".into())],
                query: None,
                content_type: Some(content_type),
                body: Bytes::from(body.to_owned()),
            },
        )
        .await
    }

    #[tokio::test]
    async fn path_and_query_values_are_typed() {
        let args = read_list("7", "status=1,8&page=0&flag=false")
            .await
            .unwrap();
        assert_eq!(args.int("ID"), Some(7));
        assert_eq!(args.ints("status"), vec![1, 8]);
        assert_eq!(args.int("page"), Some(0));
        assert_eq!(args.flag("flag"), Some(false));
    }

    #[tokio::test]
    async fn bad_values_name_the_parameter() {
        assert_eq!(
            read_list("abc", "page=0").await.unwrap_err(),
            "Invalid parameter ID (path): \"abc\" is not an int64"
        );
        assert_eq!(
            read_list("7", "").await.unwrap_err(),
            "Missing required parameter page (query)"
        );
        assert_eq!(
            read_list("7", "page=0&flag=yes").await.unwrap_err(),
            "Invalid parameter flag (query): \"yes\" is not a boolean (true or false)"
        );
        assert_eq!(
            read_list("7", "page=0&status=1,x").await.unwrap_err(),
            "Invalid parameter status (query): \"x\" is not an integer code of Status"
        );
    }

    #[tokio::test]
    async fn json_and_form_bodies() {
        let args = read_create(
            "application/json",
            r#"{"data":{"Message":"hi","StatusId":"1"}}"#,
        )
        .await
        .unwrap();
        assert_eq!(args.text("Message").as_deref(), Some("hi"));
        assert_eq!(args.int("StatusId"), Some(1));
        assert_eq!(args.text("STREAM_ID").as_deref(), Some("s=="));

        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("data", r#"{"Message":"hello there"}"#)
            .finish();
        let args = read_create("application/x-www-form-urlencoded", &form)
            .await
            .unwrap();
        assert_eq!(args.text("Message").as_deref(), Some("hello there"));
    }

    #[tokio::test]
    async fn bad_bodies_name_the_parameter() {
        // An empty body, `{}` and an empty `data` all lack the required
        // `Message` alike.
        for body in ["", "{}", r#"{"data":{}}"#, r#"{"data":null}"#] {
            assert_eq!(
                read_create("application/json", body).await.unwrap_err(),
                "Missing required parameter Message (body)",
                "{body}"
            );
        }
        assert_eq!(
            read_create(
                "application/json",
                r#"{"data":{"Message":"m","StatusId":"open"}}"#
            )
            .await
            .unwrap_err(),
            "Invalid parameter StatusId (body): expected Status, found the string \"open\""
        );
        assert!(
            read_create("application/json", r#"{"data":"#)
                .await
                .unwrap_err()
                .starts_with("Invalid parameter data (body): malformed JSON (EOF while parsing")
        );
        assert!(
            read_create("application/x-www-form-urlencoded", "data=%7Bnope")
                .await
                .unwrap_err()
                .starts_with("Invalid parameter data (form): the field is not valid JSON")
        );
        assert!(
            read_create("text/plain", "Message=hi")
                .await
                .unwrap_err()
                .starts_with("Wrong content type text/plain: POST /streams/{STREAM_ID}/objects")
        );
        assert_eq!(
            read_create("application/json", r#"{"Message":"m"}"#)
                .await
                .unwrap_err(),
            "Missing required parameter data (body): the body must be {\"data\": {...}}"
        );
    }
}
