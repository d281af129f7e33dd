//! Hostile input, with proptest: nothing a server or a spec author sends
//! makes the client, the spec reader or the code generator panic.
//!
//! - Response decoding: arbitrary bytes, and arbitrary JSON biased to the
//!   envelope and to the spec's field names (so decoding goes deep), fed to
//!   `Client::__decode_response` for every operation of spec/cirrus.json,
//!   with any HTTP status. Each input ends in `Ok` or a typed `Error`.
//! - Specs: arbitrary JSON, and spec/cirrus.json mutated (keys deleted or
//!   renamed, values swapped for random ones, subtrees copied elsewhere, the
//!   text cut or spliced), fed to `cirrus_spec::load` and, when it loads, to
//!   `cirrus_codegen::expand`.
//!
//! - Decode error paths: the JSON path a decode error names, against the
//!   one serde_path_to_error tracks, on mutated examples.
//!
//! The default run is short. `CIRRUS_FUZZ_CASES=N` runs N decoder inputs
//! (half bytes, half JSON), N/4 path checks and N/10 specs (half arbitrary,
//! half mutated);
//! the long run recorded in RELIABILITY.md is
//! `CIRRUS_FUZZ_CASES=1000000 cargo test --release -p cirrus-tests --test fuzz`.

use cirrus_client::{BODY_SNIPPET_LIMIT, Client, ErrorKind};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

/// Decoder inputs of the default run.
const DEFAULT_CASES: u32 = 4_000;

fn cases() -> u32 {
    std::env::var("CIRRUS_FUZZ_CASES")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: cases.max(1),
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    })
}

/// Runs a property and reports its size, duration and outcomes (each case
/// names its outcome).
fn run<S: Strategy>(name: &str, cases: u32, strategy: S, test: impl Fn(S::Value) -> &'static str) {
    let tally = RefCell::new(BTreeMap::<&'static str, u64>::new());
    let started = Instant::now();
    let result = runner(cases).run(&strategy, |input| {
        *tally.borrow_mut().entry(test(input)).or_default() += 1;
        Ok(())
    });
    eprintln!(
        "fuzz {name}: {cases} cases in {:.1} s, outcomes {:?}",
        started.elapsed().as_secs_f64(),
        tally.borrow()
    );
    if let Err(error) = result {
        panic!("{name}: {error}");
    }
}

// ---------------------------------------------------------------- the spec

fn spec_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/cirrus.json");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    })
}

fn spec() -> &'static cirrus_spec::Spec {
    static SPEC: OnceLock<cirrus_spec::Spec> = OnceLock::new();
    SPEC.get_or_init(|| cirrus_spec::load(spec_text()).expect("spec/cirrus.json loads"))
}

fn spec_document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::from_str(spec_text()).unwrap())
}

/// Every operation, as `(module, operation)`.
fn operations() -> &'static [(String, String)] {
    static OPS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    OPS.get_or_init(|| {
        spec()
            .operations()
            .map(|(module, op)| (module.name.clone(), op.name.clone()))
            .collect()
    })
}

/// Every key and every string value of spec/cirrus.json.
fn spec_words() -> &'static (Vec<String>, Vec<String>) {
    static WORDS: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    WORDS.get_or_init(|| {
        fn walk(value: &Value, keys: &mut Vec<String>, strings: &mut Vec<String>) {
            match value {
                Value::Object(map) => {
                    for (key, value) in map {
                        keys.push(key.clone());
                        walk(value, keys, strings);
                    }
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, keys, strings)),
                Value::String(s) if s.len() < 80 => strings.push(s.clone()),
                _ => {}
            }
        }
        let (mut keys, mut strings) = (Vec::new(), Vec::new());
        walk(spec_document(), &mut keys, &mut strings);
        for list in [&mut keys, &mut strings] {
            list.sort();
            list.dedup();
        }
        (keys, strings)
    })
}

// ---------------------------------------------------------------- JSON

/// Strings a server sends where numbers, ids, times and codes belong.
const TRICKY_STRINGS: &[&str] = &[
    "",
    " ",
    "0",
    "-1",
    "18918967",
    "4.5",
    "abc",
    "12345",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "123456789012345678901234567890",
    "1e400",
    "NaN",
    "inf",
    "-0",
    "+1",
    " 7 ",
    "0x10",
    "true",
    "null",
    "2024-08-06T07:51:52.2581942Z",
    "2024-08-06T07:51:52.2581942",
    "2024-08-06T07:51:52.25819421234Z",
    "2024-08-06T07:51:52+05:30",
    "2024-08-06",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59.9999999Z",
    "2024-02-30T00:00:00",
    "2024-08-06T24:00:00",
    "-0001-01-01T00:00:00",
    "+275760-09-13T00:00:00Z",
    "T",
    "é",
    "\u{0}",
    "\u{feff}1",
    "١٢٣",
];

/// Number tokens `serde_json::Value` cannot hold or would normalise; they
/// reach the text through [`RAW`] markers.
const RAW_NUMBERS: &[&str] = &[
    "123456789012345678901234567890",
    "-123456789012345678901234567890",
    "1e400",
    "-1e400",
    "1e-400",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "2147483648",
    "-2147483649",
    "0.0000000000000000000000001",
    "117.63331139400017",
    "4.0",
    "1E2",
    "-0",
    "-0.0",
    "1.5e3",
];

/// A string leaf starting with this is written as the raw number after it.
const RAW: &str = "\u{1}raw:";

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-3i64..300).prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::from)),
        prop::sample::select(RAW_NUMBERS).prop_map(|n| Value::String(format!("{RAW}{n}"))),
    ]
}

fn string(words: &'static [String]) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(TRICKY_STRINGS).prop_map(str::to_owned),
        3 => prop::sample::select(words),
        2 => any::<String>(),
        1 => "[a-zA-Z0-9_ <>{}/.-]{0,12}",
    ]
}

fn leaf(words: &'static [String]) -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::from),
        3 => number(),
        3 => string(words).prop_map(Value::from),
    ]
}

fn key(keys: &'static [String]) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(keys),
        1 => any::<String>(),
        1 => prop::sample::select(TRICKY_STRINGS).prop_map(str::to_owned),
    ]
}

/// Any JSON value, with object keys mostly from `keys`.
fn json(keys: &'static [String], words: &'static [String]) -> impl Strategy<Value = Value> {
    leaf(words).prop_recursive(6, 96, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(keys), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// The envelope around any data, its keys sometimes missing or odd.
fn envelope_of(data: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    let status = prop_oneof![
        6 => Just(Value::from(200)),
        2 => prop::sample::select(&[0, 201, 204, 206, 400, 401, 404, 429, 500, 501, 503][..])
            .prop_map(Value::from),
        1 => prop::sample::select(&["200", "abc", "", "206", "4e2"][..]).prop_map(Value::from),
        1 => number(),
        1 => Just(Value::Null),
    ];
    let time = prop_oneof![
        prop::sample::select(TRICKY_STRINGS).prop_map(Value::from),
        number(),
        Just(Value::Null),
    ];
    (
        status,
        prop::option::weighted(0.9, any::<String>()),
        prop::option::weighted(0.8, time),
        prop::option::weighted(0.95, data),
        any::<u8>(),
    )
        .prop_map(|(status, description, time, data, shape)| {
            let mut map = Map::new();
            map.insert("status".into(), status);
            if let Some(d) = description {
                map.insert("description".into(), Value::from(d));
            }
            if let Some(t) = time {
                map.insert("response_time".into(), t);
            }
            if let Some(d) = data {
                map.insert("data".into(), d);
            }
            if shape % 7 == 0 {
                map.insert("extra".into(), Value::from(shape));
            }
            Value::Object(map)
        })
}

/// A JSON text, with [`RAW`] markers replaced by their raw numbers.
fn write(value: &Value) -> Vec<u8> {
    with_raw_numbers(serde_json::to_string(value).unwrap())
}

/// [`write`], indented over many lines.
fn write_pretty(value: &Value) -> Vec<u8> {
    with_raw_numbers(serde_json::to_string_pretty(value).unwrap())
}

fn with_raw_numbers(text: String) -> Vec<u8> {
    let marker = "\"\\u0001raw:";
    if !text.contains(marker) {
        return text.into_bytes();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        let end = after.find('"').unwrap();
        out.push_str(&after[..end]);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out.into_bytes()
}

// ---------------------------------------------------------------- decoding

/// Which operation, which status.
fn target() -> impl Strategy<Value = (usize, u16)> {
    let status = prop_oneof![
        8 => Just(200u16),
        1 => prop::sample::select(
            &[201u16, 204, 206, 299, 100, 300, 302, 400, 401, 404, 429, 500, 501, 503, 599][..]
        ),
        1 => any::<u16>(),
    ];
    (0..operations().len(), status)
}

/// Decodes one body as a call of one operation and checks the outcome.
fn decode_one(op: usize, status: u16, body: Vec<u8>) -> &'static str {
    let (module, operation) = &operations()[op];
    let outcome = Client::__decode_response(module, operation, status, body)
        .unwrap_or_else(|| panic!("{module}.{operation} is not dispatched"));
    let success = (200..300).contains(&status);
    match outcome {
        Ok(()) => {
            assert!(success, "HTTP {status} decoded as a success");
            "ok"
        }
        Err(error) => {
            // A typed error, printable, bounded, naming the operation.
            // Printable and small, however large the body.
            let shown = format!("{error} {error:?}");
            assert!(!shown.is_empty());
            assert!(shown.len() < 16 * 1024, "{} bytes", shown.len());
            let named = error.operation().expect("the error names its operation");
            assert_eq!(
                (named.module, named.name),
                (module.as_str(), operation.as_str())
            );
            assert!(
                error
                    .body()
                    .is_none_or(|b| b.len() <= BODY_SNIPPET_LIMIT + 3)
            );
            if success {
                assert!(
                    error.kind() == ErrorKind::Decode || error.is_status(),
                    "HTTP {status}: {error}"
                );
            } else {
                assert!(error.is_status(), "HTTP {status}: {error}");
                assert_eq!(error.status(), Some(status));
            }
            if error.kind() == ErrorKind::Decode {
                "decode error"
            } else {
                "status error"
            }
        }
    }
}

/// Bodies servers send by mistake.
const SPECIAL_BODIES: &[&[u8]] = &[
    b"",
    b" ",
    b"\xef\xbb\xbf{}",
    b"null",
    b"[]",
    b"{}",
    b"\"\"",
    b"{\"data\":",
    b"{\"status\":200,\"data\":null}",
    b"{\"status\":200}{}",
    b"<html>",
    b"\xff\xfe",
];

/// Bytes: random ones, and JSON texts cut short or with a byte changed.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    let (keys, words) = spec_words();
    let text = || envelope_of(json(keys, words)).prop_map(|v| write(&v));
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..300),
        2 => (text(), any::<prop::sample::Index>())
            .prop_map(|(text, at)| text[..at.index(text.len() + 1)].to_vec()),
        2 => (text(), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(mut text, at, byte)| {
            if !text.is_empty() {
                let at = at.index(text.len());
                text[at] = byte;
            }
            text
        }),
        1 => prop::sample::select(SPECIAL_BODIES).prop_map(<[u8]>::to_vec),
    ]
}

#[test]
fn every_operation_of_the_spec_is_decodable_by_name() {
    assert_eq!(operations().len(), 76);
    for (module, operation) in operations() {
        let outcome = Client::__decode_response(module, operation, 404, Vec::new());
        let error = outcome
            .unwrap_or_else(|| panic!("{module}.{operation}"))
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
    }
    assert!(Client::__decode_response("Nope", "Get", 200, Vec::new()).is_none());
}

#[test]
fn decoding_arbitrary_bytes_never_panics() {
    run(
        "decode bytes",
        cases() / 2,
        (target(), hostile_bytes()),
        |((op, status), body)| decode_one(op, status, body),
    );
}

/// A body for an operation: arbitrary JSON (mostly in an envelope), or the
/// operation's own example from the spec with a few values deleted,
/// renamed or swapped, which decodes deep before it fails, if it fails.
#[derive(Debug, Clone)]
enum Body {
    Json(Value),
    MutatedExample(Vec<(Vec<usize>, Edit)>),
}

#[test]
fn decoding_arbitrary_json_never_panics() {
    let (keys, words) = spec_words();
    let body = prop_oneof![
        3 => envelope_of(json(keys, words)).prop_map(Body::Json),
        1 => json(keys, words).prop_map(Body::Json),
        4 => prop::collection::vec(edit(), 0..4).prop_map(Body::MutatedExample),
    ];
    let examples: Vec<Value> = spec()
        .operations()
        .map(|(_, op)| op.example.clone().expect("every operation has an example"))
        .collect();
    run(
        "decode JSON",
        cases() / 2,
        (target(), body),
        |((op, status), body)| {
            let body = match body {
                Body::Json(value) => value,
                Body::MutatedExample(edits) => {
                    let mut example = examples[op].clone();
                    for (path, edit) in &edits {
                        apply(&mut example, path, edit);
                    }
                    example
                }
            };
            decode_one(op, status, write(&body))
        },
    );
}

/// A decode error names the JSON path of the value at fault; the client
/// finds it from serde_json's error position (see
/// `cirrus-client/src/json_path.rs`). Here the path is checked against
/// serde_path_to_error, which tracks it while decoding, on mutated examples
/// of operations whose data goes deep.
#[test]
fn decode_error_paths_agree_with_path_tracking() {
    use cirrus_client::types::{Customer, Manager, StreamObject, Transcript, UserObjectsPage};

    fn check<T: cirrus_client::Decode>(
        operation: &'static cirrus_client::Operation,
        body: Vec<u8>,
    ) -> &'static str {
        let mut reader = serde_json::Deserializer::from_slice(&body);
        let tracked =
            serde_path_to_error::deserialize::<_, cirrus_client::Envelope<T>>(&mut reader);
        let expected = match tracked {
            Ok(_) => reader.end().err().map(|_| None),
            Err(error) => Some(Some(error.path().to_string()).filter(|p| p != ".")),
        };
        let decoded = cirrus_client::__private::decode_response::<T>(operation, 200, body);
        match (expected, decoded) {
            (None, Ok(_)) => "ok",
            (None, Err(error)) => {
                assert!(
                    error.json_path().is_none(),
                    "{error}: a path where nothing failed to decode"
                );
                "envelope error"
            }
            (Some(path), Ok(_)) => panic!("decoded, though tracking failed at {path:?}"),
            (Some(path), Err(error)) => {
                assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
                assert_eq!(error.json_path(), path.as_deref(), "{error}");
                if path.is_some() {
                    "decode error with a path"
                } else {
                    "decode error"
                }
            }
        }
    }

    macro_rules! operation {
        ($module:literal, $name:literal) => {{
            static OPERATION: cirrus_client::Operation = cirrus_client::Operation {
                module: $module,
                name: $name,
                method: "GET",
                path: "/",
                body: "none",
                envelope: true,
            };
            (
                &OPERATION,
                spec()
                    .operations()
                    .find(|(m, op)| m.name == $module && op.name == $name)
                    .and_then(|(_, op)| op.example.clone())
                    .expect("the operation has an example"),
            )
        }};
    }
    let (get_objects, objects_example) = operation!("Users", "GetObjects");
    let (get_user, user_example) = operation!("Users", "Get");
    let (list_managers, managers_example) = operation!("Managers", "List");
    let (objects_page, page_example) = operation!("Users", "GetObjectsV2");
    let (transcript, transcript_example) = operation!("Objects", "GetTranscript");

    run(
        "decode error paths",
        cases() / 4,
        (
            0..5usize,
            prop::collection::vec(edit(), 1..4),
            any::<bool>(),
        ),
        |(which, edits, pretty)| {
            let example = match which {
                0 => &objects_example,
                1 => &user_example,
                2 => &managers_example,
                3 => &page_example,
                _ => &transcript_example,
            };
            let mut body = example.clone();
            for (path, edit) in &edits {
                apply(&mut body, path, edit);
            }
            let body = if pretty {
                write_pretty(&body)
            } else {
                write(&body)
            };
            match which {
                0 => check::<Vec<StreamObject>>(get_objects, body),
                1 => check::<Customer>(get_user, body),
                2 => check::<Vec<Manager>>(list_managers, body),
                3 => check::<UserObjectsPage>(objects_page, body),
                _ => check::<Vec<Transcript>>(transcript, body),
            }
        },
    );
}

// ---------------------------------------------------------------- specs

/// Loads a spec text and, when it loads, expands it.
fn load_and_expand(text: &str) -> &'static str {
    match cirrus_spec::load(text) {
        Ok(spec) => {
            let tokens = cirrus_codegen::expand(&spec, "/fuzz/spec.json");
            assert!(!tokens.is_empty());
            "loaded and expanded"
        }
        Err(problems) => {
            assert!(!problems.0.is_empty(), "an error without a problem");
            assert!(!problems.to_string().is_empty());
            "problems"
        }
    }
}

/// Names and type expressions a spec author could write, good and bad.
const SPEC_STRINGS: &[&str] = &[
    "",
    " ",
    "_",
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "r#type",
    "async",
    "gen",
    "match",
    "2fa_enabled",
    "x-request-id",
    "@odata.type",
    "urn:ext:crm:2.0:User",
    "é",
    "Ünïcode",
    "🦀",
    "Client",
    "Envelope",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "Error",
    "Types",
    "types",
    "A",
    "AB",
    "X1",
    "Foo",
    "FooBar",
    "foo_bar",
    "FOO",
    "list<",
    "list<>",
    "list<string>",
    "list<list<int64>>",
    "list<Nope>",
    "list< string >",
    "map<string>",
    "string",
    "int32",
    "int64",
    "number",
    "boolean",
    "timestamp",
    "json",
    "file",
    "object",
    "enum",
    "integer",
    "GET",
    "POST",
    "PUT",
    "FETCH",
    "get",
    "path",
    "query",
    "body",
    "header",
    "comma",
    "repeat",
    "json-data",
    "form-data",
    "multipart",
    "none",
    "/",
    "//",
    "/a/{A}",
    "/a/{A}/{A}",
    "/a/{}",
    "/a/{A}x",
    "/a/{a b}",
    "/a/{self}",
    "/a/{stream.id}",
    "/a?x=1",
    "/a#f",
    "a/b",
    "/%2e%2e/",
    "/../x",
    "{A}",
];

/// Values for a spec: words of the spec itself, the names above, numbers,
/// and small JSON.
fn spec_value() -> impl Strategy<Value = Value> {
    let (keys, words) = spec_words();
    prop_oneof![
        4 => prop::sample::select(words.as_slice()).prop_map(Value::from),
        4 => prop::sample::select(SPEC_STRINGS).prop_map(Value::from),
        1 => any::<String>().prop_map(Value::from),
        1 => number(),
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(Value::Null),
        2 => json(keys, words),
    ]
}

/// One change to a document; `path` picks the node (each number picks a
/// child, modulo how many there are, until the path or the tree ends).
#[derive(Debug, Clone)]
enum Edit {
    Delete,
    Replace(Value),
    Rename(String),
    /// Copies the node over the sibling picked by the number.
    CopyOver(usize),
    /// Adds an entry (objects) or an item (arrays).
    Insert(String, Value),
}

fn edit() -> impl Strategy<Value = (Vec<usize>, Edit)> {
    let (keys, _) = spec_words();
    let name = prop_oneof![
        2 => prop::sample::select(keys.as_slice()),
        3 => prop::sample::select(SPEC_STRINGS).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    let edit = prop_oneof![
        3 => Just(Edit::Delete),
        5 => spec_value().prop_map(Edit::Replace),
        3 => name.clone().prop_map(Edit::Rename),
        2 => any::<usize>().prop_map(Edit::CopyOver),
        2 => (name, spec_value()).prop_map(|(k, v)| Edit::Insert(k, v)),
    ];
    (prop::collection::vec(any::<usize>(), 1..9), edit)
}

fn apply(node: &mut Value, path: &[usize], edit: &Edit) {
    let Some((&step, rest)) = path.split_first() else {
        return;
    };
    match node {
        Value::Object(map) => {
            if map.is_empty() {
                if let Edit::Insert(key, value) = edit {
                    map.insert(key.clone(), value.clone());
                }
                return;
            }
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[step % keys.len()];
            let child = &map[key];
            if !rest.is_empty() && (child.is_object() || child.is_array()) {
                return apply(map.get_mut(key).unwrap(), rest, edit);
            }
            match edit {
                Edit::Delete => {
                    map.shift_remove(key);
                }
                Edit::Replace(value) => map[key] = value.clone(),
                Edit::Rename(name) => {
                    let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                    for (old, value) in entries {
                        map.insert(if &old == key { name.clone() } else { old }, value);
                    }
                }
                Edit::CopyOver(other) => {
                    let copy = map[key].clone();
                    map[&keys[other % keys.len()]] = copy;
                }
                Edit::Insert(new_key, value) => {
                    map.insert(new_key.clone(), value.clone());
                }
            }
        }
        Value::Array(items) => {
            if items.is_empty() {
                if let Edit::Insert(_, value) = edit {
                    items.push(value.clone());
                }
                return;
            }
            let at = step % items.len();
            if !rest.is_empty() && (items[at].is_object() || items[at].is_array()) {
                return apply(&mut items[at], rest, edit);
            }
            match edit {
                Edit::Delete => {
                    items.remove(at);
                }
                Edit::Replace(value) => items[at] = value.clone(),
                Edit::Rename(_) => {}
                Edit::CopyOver(other) => {
                    let target = other % items.len();
                    items[target] = items[at].clone();
                }
                Edit::Insert(_, value) => items.insert(at, value.clone()),
            }
        }
        _ => {}
    }
}

/// A change to the text itself, for the reader: cut, delete, splice.
#[derive(Debug, Clone)]
enum TextEdit {
    None,
    Cut(prop::sample::Index),
    Delete(prop::sample::Index, usize),
    Splice(prop::sample::Index, String),
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    prop_oneof![
        12 => Just(TextEdit::None),
        1 => any::<prop::sample::Index>().prop_map(TextEdit::Cut),
        1 => (any::<prop::sample::Index>(), 1usize..40).prop_map(|(i, n)| TextEdit::Delete(i, n)),
        2 => (
            any::<prop::sample::Index>(),
            prop_oneof![
                prop::sample::select(&[",", "}", "]", "{", "[", "\"", ":", "\\", "é", "\n", "🦀,", "//", "/*"][..])
                    .prop_map(str::to_owned),
                any::<String>(),
            ]
        )
            .prop_map(|(i, s)| TextEdit::Splice(i, s)),
    ]
}

fn edit_text(text: String, edit: &TextEdit) -> String {
    let boundary = |index: &prop::sample::Index| {
        let mut at = index.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match edit {
        TextEdit::None => text,
        TextEdit::Cut(at) => text[..boundary(at)].to_owned(),
        TextEdit::Delete(at, n) => {
            let start = boundary(at);
            let mut end = (start + n).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            format!("{}{}", &text[..start], &text[end..])
        }
        TextEdit::Splice(at, insert) => {
            let at = boundary(at);
            format!("{}{insert}{}", &text[..at], &text[at..])
        }
    }
}

#[test]
fn the_real_spec_loads_and_expands() {
    assert_eq!(load_and_expand(spec_text()), "loaded and expanded");
}

#[test]
fn loading_arbitrary_json_as_a_spec_never_panics() {
    let (keys, words) = spec_words();
    let text = prop_oneof![
        3 => json(keys, words).prop_map(|v| String::from_utf8(write(&v)).unwrap()),
        1 => any::<String>(),
    ];
    run("spec from JSON", cases() / 20, text, |text| {
        load_and_expand(&text)
    });
}

#[test]
fn loading_a_mutated_spec_never_panics() {
    let strategy = (
        prop::collection::vec(edit(), 1..4),
        text_edit(),
        any::<bool>(),
    );
    run(
        "mutated spec",
        cases() / 20,
        strategy,
        |(edits, text_edit, pretty)| {
            let mut doc = spec_document().clone();
            for (path, edit) in &edits {
                apply(&mut doc, path, edit);
            }
            let text = if pretty {
                serde_json::to_string_pretty(&doc).unwrap()
            } else {
                serde_json::to_string(&doc).unwrap()
            };
            load_and_expand(&edit_text(text, &text_edit))
        },
    );
}

// ---------------------------------------------------------------- found by fuzzing

/// A spec with one type whose field `x` has the type `ty`.
fn spec_with_field_type(ty: &str) -> String {
    let doc = serde_json::json!({
        "title": "T",
        "version": "1",
        "types": { "A": { "kind": "object", "fields": { "x": { "type": ty } } } },
        "modules": { "M": { "operations": { "Get": {
            "method": "GET", "path": "/a", "response": "A",
            "example": { "status": 200, "data": null }
        } } } }
    });
    doc.to_string()
}

/// Found by the spec fuzzer's nesting probe: `list<` nested 100,000 deep
/// overflowed the stack (an abort, in the compiler when run by the macro)
/// while the type was parsed. Lists now nest at most
/// `cirrus_spec::MAX_LIST_NESTING` deep; deeper is a problem at the field.
#[test]
fn a_deeply_nested_list_type_is_a_problem_not_a_stack_overflow() {
    let nested = |n: usize| format!("{}string{}", "list<".repeat(n), ">".repeat(n));
    assert_eq!(cirrus_spec::MAX_LIST_NESTING, 32);
    assert_eq!(
        load_and_expand(&spec_with_field_type(&nested(32))),
        "loaded and expanded"
    );
    for n in [33, 1_000, 100_000] {
        let problems = cirrus_spec::load(&spec_with_field_type(&nested(n))).unwrap_err();
        assert_eq!(problems.0.len(), 1, "{n}");
        assert_eq!(
            problems.0[0].location,
            cirrus_spec::Location::Pointer("/types/A/fields/x/type".to_owned()),
            "{n}"
        );
    }
}

/// Bodies nested far deeper than any real response: an error for every
/// operation, never a stack overflow.
#[test]
fn deeply_nested_bodies_are_decode_errors() {
    let deep = 100_000;
    let bodies = [
        "[".repeat(deep),
        format!("{}{}", "[".repeat(deep), "]".repeat(deep)),
        format!("{{\"status\":200,\"data\":{}", "{\"a\":".repeat(deep)),
        format!(
            "{{\"status\":200,\"data\":{}1{}}}",
            "[".repeat(deep),
            "]".repeat(deep)
        ),
    ];
    let mut no_data = 0;
    for (op, (_, spec_op)) in spec().operations().enumerate() {
        for (i, body) in bodies.iter().enumerate() {
            // An operation that returns no data ignores any well-formed
            // `data`, however deep; typed data deeper than serde_json's
            // limit (128) is refused.
            let expected = if i == 3 && spec_op.response.is_none() {
                no_data += 1;
                "ok"
            } else {
                "decode error"
            };
            let outcome = decode_one(op, 200, body.clone().into_bytes());
            assert_eq!(outcome, expected, "{} body {i}", spec_op.name);
        }
    }
    // Core.SystemStatus and Surveys.AddExternalResponse.
    assert_eq!(no_data, 2);
}
