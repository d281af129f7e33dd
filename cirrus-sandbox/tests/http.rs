//! The sandbox over plain HTTP on 127.0.0.1: statuses, descriptions,
//! envelopes, faults and spec-driven routing, seen as any client sees them.

use cirrus_sandbox::{Faults, RateLimit, RunningSandbox, Sandbox, StartError};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn start() -> RunningSandbox {
    Sandbox::builder()
        .start()
        .await
        .expect("the sandbox starts")
}

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

/// Sends a request with the sandbox's token; the status and the JSON body.
async fn call(
    sandbox: &RunningSandbox,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &str,
) -> (StatusCode, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = http()
        .request(method, format!("{}{path}", sandbox.url()))
        .bearer_auth(sandbox.token());
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.body(body.to_owned()).send().await.unwrap();
    let status = response.status();
    let body = response.json().await.expect("every answer is JSON");
    (status, body)
}

/// `YYYY-MM-DDTHH:MM:SS.fffffffZ`.
fn is_api_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shape = b"dddd-dd-ddTdd:dd:dd.dddddddZ";
    bytes.len() == shape.len()
        && shape.iter().zip(bytes).all(|(&s, &b)| match s {
            b'd' => b.is_ascii_digit(),
            other => b == other,
        })
}

/// Checks an error envelope and returns its description.
fn error_description(status: StatusCode, body: &Value) -> String {
    assert_eq!(body["status"], status.as_u16(), "{body}");
    assert_eq!(body["data"], Value::Null, "{body}");
    assert!(
        is_api_time(body["response_time"].as_str().unwrap()),
        "{body}"
    );
    body["description"].as_str().unwrap().to_owned()
}

const JSON: Option<&str> = Some("application/json");
const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

#[tokio::test]
async fn bad_parameters_are_400s_that_name_the_parameter() {
    let sandbox = start().await;
    let cases: &[(&str, &str, Option<&str>, &str, &str)] = &[
        (
            "GET",
            "/streams/1/objects/abc",
            None,
            "",
            "Invalid parameter OBJECT_ID (path): \"abc\" is not an int64",
        ),
        (
            "GET",
            "/streams/1/objects?pageNumber=x",
            None,
            "",
            "Invalid parameter pageNumber (query): \"x\" is not an int32",
        ),
        (
            "GET",
            "/streams/1/objects?includeChilds=maybe",
            None,
            "",
            "Invalid parameter includeChilds (query): \"maybe\" is not a boolean (true or false)",
        ),
        (
            "GET",
            "/streams/1/objects?status=1,closed",
            None,
            "",
            "Invalid parameter status (query): \"closed\" is not an integer code of ObjectStatus",
        ),
        (
            "GET",
            "/users/objects",
            None,
            "",
            "Missing required parameter userIdentityId (query)",
        ),
        (
            "POST",
            "/streams/1/objects",
            JSON,
            r#"{"data":{"Type":5}}"#,
            "Missing required parameter Message (body)",
        ),
        (
            "POST",
            "/streams/1/objects",
            JSON,
            r#"{"data":{"Message":"m","StatusId":"open"}}"#,
            "Invalid parameter StatusId (body): expected ObjectStatus, found the string \"open\"",
        ),
        (
            "POST",
            "/streams/1/objects",
            JSON,
            r#"{"data":{"Message":"m","User":{"FirstName":["Sam"]}}}"#,
            "Invalid parameter User.FirstName (body): expected string, found an array",
        ),
        (
            "POST",
            "/streams/1/objects",
            JSON,
            r#"{"data":{"Message":"m""#,
            "Invalid parameter data (body): malformed JSON (EOF while parsing an object at line 1 column 22)",
        ),
        (
            "POST",
            "/streams/1/objects",
            JSON,
            r#"{"Message":"m"}"#,
            "Missing required parameter data (body): the body must be {\"data\": {...}}",
        ),
        (
            "POST",
            "/streams/1/objects",
            FORM,
            "data=%7B%22Message%22%3A",
            "Invalid parameter data (form): the field is not valid JSON (EOF while parsing a value at line 1 column 11)",
        ),
        (
            "POST",
            "/streams/1/objects",
            FORM,
            "Message=hi",
            "Missing required parameter data (form): send the field data=<JSON object>",
        ),
        (
            "POST",
            "/streams/1/objects",
            Some("text/plain"),
            "Message=hi",
            "Wrong content type text/plain: POST /streams/{STREAM_ID}/objects takes application/json ({\"data\": {...}}) or application/x-www-form-urlencoded (data=<JSON>)",
        ),
        (
            "POST",
            "/whatsapp/uploadmedia/abc%3D%3D",
            JSON,
            "{}",
            "Wrong content type application/json: POST /whatsapp/uploadmedia/{ENCRYPTED_STREAM_ID} takes multipart/form-data",
        ),
        (
            "POST",
            "/ai-services/summary_conversation",
            JSON,
            "[1]",
            "Malformed body: expected a JSON object of text, language, callback_url, found an array",
        ),
        (
            "POST",
            "/ai-services/summary_conversation",
            JSON,
            r#"{"text":"t"}"#,
            "Missing required parameter language (body)",
        ),
    ];
    for (method, path, content_type, body, expected) in cases {
        let (status, answer) = call(&sandbox, method, path, *content_type, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path}: {answer}");
        assert_eq!(
            error_description(status, &answer),
            *expected,
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn multipart_bodies_are_read_part_by_part() {
    let sandbox = start().await;
    let url = format!("{}/whatsapp/uploadmedia/abc%3D%3D", sandbox.url());
    let file = reqwest::multipart::Part::bytes(b"GIF89a".to_vec()).file_name("logo.gif");
    let form = reqwest::multipart::Form::new().part("pic", file);
    let response = http()
        .post(&url)
        .bearer_auth(sandbox.token())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let form = reqwest::multipart::Form::new().text("other", "x");
    let response = http()
        .post(&url)
        .bearer_auth(sandbox.token())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["description"], "Missing required parameter pic (body)");
}

#[tokio::test]
async fn unknown_paths_are_404_and_unlisted_methods_501() {
    let sandbox = start().await;
    let (status, body) = call(&sandbox, "GET", "/no/such/thing", None, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        error_description(status, &body),
        "No operation at /no/such/thing"
    );

    let response = http()
        .put(format!("{}/managers/7", sandbox.url()))
        .bearer_auth(sandbox.token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_IMPLEMENTED);
    assert_eq!(response.headers()["allow"], "GET, POST, DELETE");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["description"],
        "PUT is not supported on /managers/7 (the API offers GET, POST, DELETE there)"
    );

    // A literal wins over a placeholder: /managers/teams is the team list,
    // so POST there is Teams.Create, and DELETE is not offered.
    let (status, _) = call(&sandbox, "GET", "/managers/teams", None, "").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(&sandbox, "DELETE", "/managers/teams", None, "").await;
    assert_eq!(status, StatusCode::NOT_IMPLEMENTED);
    assert_eq!(sandbox.requests("Teams.List"), 1);
    // The 404 and the two 501s reached no operation.
    assert_eq!(sandbox.unrouted_requests(), 3);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_says_so() {
    // The sandbox reads at most 16 MiB of a body; one byte more is refused
    // as too large, not blamed on a parameter.
    let sandbox = start().await;
    let limit = 16 * 1024 * 1024;
    let body = format!("{{\"data\":{{\"Name\":\"{}\"}}}}", "x".repeat(limit));
    let (status, body) = call(&sandbox, "POST", "/tags", JSON, &body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        error_description(status, &body),
        "The request body is larger than 16777216 bytes"
    );
    // Routed to the operation (refused requests count too), nothing more.
    assert_eq!(sandbox.requests("Tags.Create"), 1);

    // An empty body, `{}` and `{"data":{}}` are one request: no parameter.
    for body in ["", "{}", r#"{"data":{}}"#] {
        let (status, _) = call(&sandbox, "POST", "/tags", JSON, body).await;
        assert_eq!(status, StatusCode::OK, "{body:?}");
    }
    // A body without the `data` wrapper is refused, not read as empty.
    let (status, body) = call(
        &sandbox,
        "POST",
        "/tags",
        Some("application/json"),
        r#"{"Name":"vip"}"#,
    )
    .await;
    assert_eq!(
        error_description(status, &body),
        "Missing required parameter data (body): the body must be {\"data\": {...}}"
    );
}

#[tokio::test]
async fn a_missing_or_wrong_token_is_401() {
    let sandbox = Sandbox::builder().token("s3cret").start().await.unwrap();
    let url = format!("{}/core/systemstatus", sandbox.url());
    for request in [
        http().get(&url),
        http().get(&url).bearer_auth("sandbox-token"),
        http().get(&url).basic_auth("s3cret", None::<&str>),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.headers()["www-authenticate"],
            "Bearer realm=\"cirrus-sandbox\""
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], 401);
    }
    let ok = http().get(&url).bearer_auth("s3cret").send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn answers_are_envelopes_with_the_api_time_format() {
    let sandbox = start().await;
    let response = http()
        .get(format!("{}/tags", sandbox.url()))
        .bearer_auth(sandbox.token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    assert_eq!(response.headers()["x-request-id"], "sandbox-1");
    let body: Value = response.json().await.unwrap();
    let example = sandbox
        .spec()
        .operations()
        .find(|(m, o)| m.name == "Tags" && o.name == "List")
        .and_then(|(_, o)| o.example.clone())
        .unwrap();
    assert_eq!(body["status"], 200);
    assert_eq!(body["description"], "Operation successful");
    assert_eq!(body["data"], example["data"]);
    let time = body["response_time"].as_str().unwrap();
    assert!(is_api_time(time), "{time}");
    assert_ne!(time, example["response_time"]);

    // An operation without an envelope answers its bare body.
    let (status, body) = call(
        &sandbox,
        "POST",
        "/ai-services/summary_conversation",
        JSON,
        r#"{"text":"a long conversation","language":"English"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "status": "Initialized",
            "answer": "",
            "action_id": "AI_API_SUMMARY_3f0c2a9e-7b41-4d8e-9c55-1e2f6a7b8c90"
        })
    );
}

#[tokio::test]
async fn a_conversation_is_created_and_read_back_over_http() {
    let sandbox = start().await;
    let (status, created) = call(
        &sandbox,
        "POST",
        "/streams/hNyRN_fLUy7rrOrN9jLpipA%3D%3D/objects",
        FORM,
        &form_urlencoded_data(r#"{"Message":"Hi","createChildObject":true}"#),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["data"], json!({"id": 101}));

    // The same stream, escaped in lower case, or by its number.
    for stream in ["hNyRN_fLUy7rrOrN9jLpipA%3d%3d", "1402"] {
        let (status, read) = call(
            &sandbox,
            "GET",
            &format!("/streams/{stream}/objects/101?includeChilds=true"),
            None,
            "",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{read}");
        assert_eq!(read["data"][0]["objectId"], 101);
        assert_eq!(read["data"][0]["streamid"], 1402);
        assert_eq!(read["data"][0]["childs"][0]["message"], "Hi");
    }
    let (status, body) = call(&sandbox, "GET", "/streams/77/objects/101", None, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        error_description(status, &body),
        "Conversation 101 is not in stream 77"
    );
    assert_eq!(sandbox.requests("Objects.Create"), 1);
    assert_eq!(sandbox.requests("Objects.Get"), 3);

    sandbox.reset();
    let (status, _) = call(&sandbox, "GET", "/streams/1402/objects/101", None, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&sandbox, "GET", "/streams/1/objects/1", None, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sandbox.requests("Objects.Get"), 2);
}

fn form_urlencoded_data(json: &str) -> String {
    let mut encoded = String::from("data=");
    for byte in json.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                encoded.push(byte as char)
            }
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    encoded
}

#[tokio::test]
async fn without_the_seed_nothing_exists() {
    let sandbox = Sandbox::builder().seed(false).start().await.unwrap();
    let (status, body) = call(&sandbox, "GET", "/streams/1/objects/1", None, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        error_description(status, &body),
        "Conversation 1 does not exist"
    );
    let (status, body) = call(&sandbox, "GET", "/managers", None, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"], json!([]));
}

#[tokio::test]
async fn throttling_forced_shared_and_by_rate() {
    let sandbox = Sandbox::builder()
        .retry_after(Duration::from_millis(1500))
        .faults(Faults {
            throttle_share: 0.5,
            ..Faults::default()
        })
        .start()
        .await
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let response = http()
            .get(format!("{}/core/systemstatus", sandbox.url()))
            .bearer_auth(sandbox.token())
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            // 1.5 s, in whole seconds.
            assert_eq!(response.headers()["retry-after"], "2");
        }
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [200, 429, 200, 429]);

    sandbox.set_faults(Faults::default());
    sandbox.throttle_next(2);
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let (status, _) = call(&sandbox, "GET", "/core/systemstatus", None, "").await;
        statuses.push(status.as_u16());
    }
    assert_eq!(statuses, [429, 429, 200]);

    let limited = Sandbox::builder()
        .rate_limit(RateLimit::per_second(1))
        .start()
        .await
        .unwrap();
    let (first, _) = call(&limited, "GET", "/core/systemstatus", None, "").await;
    let (second, body) = call(&limited, "GET", "/core/systemstatus", None, "").await;
    assert_eq!(first, StatusCode::OK);
    assert_eq!(second, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        error_description(second, &body),
        "Too many requests: retry after 1 s"
    );
}

#[tokio::test]
async fn a_stall_sends_the_headers_then_waits() {
    let sandbox = Sandbox::builder()
        .faults(Faults {
            stall_share: 1.0,
            stall: Duration::from_millis(600),
            ..Faults::default()
        })
        .start()
        .await
        .unwrap();
    let started = Instant::now();
    let response = http()
        .get(format!("{}/core/systemstatus", sandbox.url()))
        .bearer_auth(sandbox.token())
        .send()
        .await
        .unwrap();
    let headers_after = started.elapsed();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let body_after = started.elapsed();
    assert_eq!(body["status"], 200);
    assert!(
        headers_after < Duration::from_millis(400),
        "{headers_after:?}"
    );
    assert!(body_after >= Duration::from_millis(600), "{body_after:?}");
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let sandbox = Sandbox::builder()
        .header_read_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let mut stream = tokio::net::TcpStream::connect(sandbox.addr())
        .await
        .unwrap();
    // The request line and one header, then nothing: no blank line ends
    // the headers.
    stream
        .write_all(b"GET /core/systemstatus HTTP/1.1\r\nHost: sandbox\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the sandbox closes the connection");
    let waited = started.elapsed();
    // Closed without a request reaching any operation; hyper may say 408
    // first.
    assert!(read.is_ok() || answer.is_empty(), "{read:?}");
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert!(waited >= Duration::from_millis(200), "{waited:?}");
    assert_eq!(sandbox.unrouted_requests(), 0);

    // A request sent promptly is answered as usual.
    let (status, _) = call(&sandbox, "GET", "/core/systemstatus", None, "").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_closed_connection_gets_no_answer() {
    let sandbox = Sandbox::builder()
        .faults(Faults {
            close_share: 1.0,
            ..Faults::default()
        })
        .start()
        .await
        .unwrap();
    let error = http()
        .get(format!("{}/core/systemstatus", sandbox.url()))
        .bearer_auth(sandbox.token())
        .send()
        .await
        .unwrap_err();
    assert!(!error.is_timeout() && error.status().is_none(), "{error}");
    assert_eq!(sandbox.requests("Core.SystemStatus"), 1);
}

const WIDGETS: &str = r#"{
  "title": "Widgets", "version": "1",
  "modules": {"Widgets": {"operations": {
    "Ping": {"method": "GET", "path": "/widgets/{ID}/ping",
             "parameters": {"ID": {"in": "path", "type": "int64"}},
             "response": "string",
             "example": {"status": 200, "description": "Operation successful",
                         "response_time": "2024-08-06T07:51:52.2581942Z", "data": "pong"}}
  }}}
}"#;

#[tokio::test]
async fn an_operation_added_to_the_spec_is_served() {
    let sandbox = Sandbox::builder().spec_text(WIDGETS).start().await.unwrap();
    let (status, body) = call(&sandbox, "GET", "/widgets/5/ping", None, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"], "pong");
    let (status, body) = call(&sandbox, "GET", "/widgets/five/ping", None, "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error_description(status, &body),
        "Invalid parameter ID (path): \"five\" is not an int64"
    );
    let (status, _) = call(&sandbox, "POST", "/widgets/5/ping", None, "").await;
    assert_eq!(status, StatusCode::NOT_IMPLEMENTED);
    let (status, _) = call(&sandbox, "GET", "/core/systemstatus", None, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The 200 and the 400 reached Widgets.Ping; the 501 and the 404 no
    // operation.
    assert_eq!(sandbox.requests("Widgets.Ping"), 2);
    assert_eq!(sandbox.unrouted_requests(), 2);
    assert_eq!(sandbox.total_requests(), 4);
}

#[tokio::test]
async fn a_spec_without_examples_is_refused_with_the_list() {
    let spec = WIDGETS.replace(
        r#""example": {"status": 200, "description": "Operation successful",
                         "response_time": "2024-08-06T07:51:52.2581942Z", "data": "pong"}"#,
        r#""docs": "no example""#,
    );
    let error = Sandbox::builder()
        .spec_text(spec)
        .start()
        .await
        .unwrap_err();
    match &error {
        StartError::MissingExamples(missing) => {
            assert_eq!(missing, &["Widgets.Ping (GET /widgets/{ID}/ping)"]);
        }
        other => panic!("expected missing examples, got {other}"),
    }
    assert!(
        error
            .to_string()
            .contains("  - Widgets.Ping (GET /widgets/{ID}/ping)")
    );

    let error = Sandbox::builder()
        .spec_text("{\"title\": 1}")
        .start()
        .await
        .unwrap_err();
    assert!(matches!(error, StartError::Spec(_)), "{error}");
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let sandbox = start().await;
    let url = format!("{}/core/systemstatus", sandbox.url());
    sandbox.shutdown().await;
    let error = http()
        .get(&url)
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_connect() || error.is_request(), "{error}");
}

#[tokio::test]
async fn garbage_gets_an_answer_from_every_operation_never_a_dropped_connection() {
    let sandbox = start().await;
    let segments = [
        "abc",
        "-1",
        "99999999999999999999",
        "%00",
        "%C3%A9%F0%9F%98%80",
        "a%2Fb",
    ];
    let bodies: [(Option<&str>, &str); 6] = [
        (JSON, "{"),
        (JSON, "[]"),
        (JSON, r#"{"data":null,"x":{"y":[[[[1]]]]}}"#),
        (FORM, "data=%7B%22a%22%3A%5B"),
        (Some("multipart/form-data; boundary=zz"), "--zz\r\nbroken"),
        (Some("application/octet-stream"), "\u{0}\u{1}"),
    ];
    let ops: Vec<(String, String)> = sandbox
        .spec()
        .operations()
        .map(|(_, op)| (op.method.as_str().to_owned(), op.path.raw.clone()))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for (method, template) in &ops {
        for (i, segment) in segments.iter().enumerate() {
            let path: String = template
                .split('/')
                .map(|part| {
                    if part.starts_with('{') {
                        *segment
                    } else {
                        part
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let (content_type, body) = bodies[i];
            let query = "?pageNumber=-5&pageSize=0&status=,,&includeChilds=&objectId=1e9";
            let (status, answer) = call(
                &sandbox,
                method,
                &format!("{path}{query}"),
                content_type,
                body,
            )
            .await;
            assert!(
                [200, 400, 404].contains(&status.as_u16()),
                "{method} {path}: {status} {answer}"
            );
            assert_eq!(answer["status"], status.as_u16(), "{method} {path}");
            seen.insert(status.as_u16());
        }
    }
    assert_eq!(seen, [200, 400, 404].into_iter().collect());
    // Still serving.
    let (status, _) = call(&sandbox, "GET", "/core/systemstatus", None, "").await;
    assert_eq!(status, StatusCode::OK);
}
