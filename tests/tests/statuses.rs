//! The API's table of statuses, over HTTP: each failing status becomes an
//! error of the right kind that keeps what the server said.
//!
//! The table (API catalog, "Response envelope and status codes"): 200 OK,
//! 400 invalid parameters, 401 unauthorized, 404 not found, 429 throttling,
//! 500 server error, 501 operation not supported; 502 and 503 come from
//! gateways in front of it, and any other status is unexpected. An envelope
//! whose own `status` says failure under HTTP 200 is an error of that
//! status's kind.

use cirrus_client::{BODY_SNIPPET_LIMIT, Error, ErrorKind};
use cirrus_tests::{answer_all, client_for, client_once, envelope, only_request};
use serde_json::json;
use std::time::Duration;
use wiremock::{MockServer, ResponseTemplate};

const STREAM: &str = "hNyRN_fLUy7rrOrN9jLpipA==";

/// Calls Objects.Get against a server that answers with `response`.
async fn get_object_answered_with(response: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    answer_all(&server, response).await;
    let result = client_once(&server).objects().get(STREAM, 7).await;
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/streams/hNyRN_fLUy7rrOrN9jLpipA%3D%3D/objects/7"
    );
    result.expect_err("the call fails")
}

/// An error envelope, as the API sends one.
fn error_envelope(status: u16, description: &str) -> String {
    json!({
        "status": status,
        "description": description,
        "response_time": "2024-08-06T07:51:52.2581942Z",
        "data": null,
    })
    .to_string()
}

/// Checks that the error names Objects.Get.
fn assert_names_objects_get(error: &Error) {
    let operation = error.operation().expect("the error names its operation");
    assert_eq!(operation.module, "Objects");
    assert_eq!(operation.name, "Get");
    assert_eq!(operation.method, "GET");
    assert_eq!(operation.path, "/streams/{STREAM_ID}/objects/{OBJECT_ID}");
}

#[tokio::test]
async fn each_status_of_the_table_is_an_error_of_its_kind() {
    let table = [
        (400, ErrorKind::BadRequest, "Missing parameter: StreamId"),
        (401, ErrorKind::Unauthorized, "Unauthorized"),
        (404, ErrorKind::NotFound, "Object 7 was not found"),
        (429, ErrorKind::Throttled, "Too many requests"),
        (500, ErrorKind::ServerError, "Internal server error"),
        (501, ErrorKind::NotImplemented, "Operation not supported"),
        (502, ErrorKind::ServerError, "Bad gateway"),
        (503, ErrorKind::ServiceUnavailable, "Service unavailable"),
        (418, ErrorKind::UnexpectedStatus, "I'm a teapot"),
    ];
    for (status, kind, description) in table {
        let body = error_envelope(status, description);
        let request_id = format!("req-{status}-5f2c");
        let error = get_object_answered_with(
            ResponseTemplate::new(status)
                .insert_header("x-request-id", request_id.as_str())
                .set_body_raw(body.clone(), "application/json"),
        )
        .await;

        assert_eq!(error.kind(), kind, "HTTP {status}");
        assert_eq!(error.status(), Some(status), "HTTP {status}");
        assert_eq!(error.description(), Some(description), "HTTP {status}");
        assert_eq!(error.request_id(), Some(request_id.as_str()));
        assert_eq!(error.content_type(), Some("application/json"));
        assert_eq!(
            error.body(),
            Some(body.as_str()),
            "a short body is kept whole"
        );
        assert_eq!(error.json_path(), None);
        assert_eq!(
            error.retry_after(),
            None,
            "HTTP {status} without Retry-After"
        );
        assert!(error.is_status());
        assert_names_objects_get(&error);
        let shown = error.to_string();
        for part in [&status.to_string(), description, &request_id, "Objects.Get"] {
            assert!(shown.contains(part), "{shown:?} lacks {part:?}");
        }
    }
}

#[tokio::test]
async fn throttling_carries_retry_after() {
    let error = get_object_answered_with(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "7")
            .set_body_raw(error_envelope(429, "Too many requests"), "application/json"),
    )
    .await;
    assert_eq!(error.kind(), ErrorKind::Throttled);
    assert!(error.is_throttled());
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(error.description(), Some("Too many requests"));
}

#[tokio::test]
async fn service_unavailable_carries_retry_after() {
    let error = get_object_answered_with(
        ResponseTemplate::new(503)
            .insert_header("Retry-After", "30")
            .set_body_raw("upstream is restarting", "text/plain"),
    )
    .await;
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable);
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(error.description(), None);
    assert_eq!(error.body(), Some("upstream is restarting"));
}

#[tokio::test]
async fn the_request_id_is_read_from_its_usual_headers() {
    let error = get_object_answered_with(
        ResponseTemplate::new(500)
            .insert_header("x-correlation-id", "corr-81")
            .set_body_raw(
                error_envelope(500, "Internal server error"),
                "application/json",
            ),
    )
    .await;
    assert_eq!(error.request_id(), Some("corr-81"));
    let error = get_object_answered_with(ResponseTemplate::new(500).set_body_raw(
        error_envelope(500, "Internal server error"),
        "application/json",
    ))
    .await;
    assert_eq!(error.request_id(), None);
}

#[tokio::test]
async fn a_failing_envelope_status_under_http_200_is_an_error_of_that_kind() {
    let body = error_envelope(404, "Object 7 was not found");
    let error = get_object_answered_with(
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "req-env-404")
            .set_body_raw(body.clone(), "application/json"),
    )
    .await;
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.description(), Some("Object 7 was not found"));
    assert_eq!(error.request_id(), Some("req-env-404"));
    assert_eq!(error.body(), Some(body.as_str()));
    assert_names_objects_get(&error);
}

#[tokio::test]
async fn an_envelope_status_written_as_a_string_counts_too() {
    let body = r#"{"status":"400","description":"Invalid OBJECT_ID","response_time":"2024-08-06T07:51:52.2581942Z","data":null}"#;
    let error =
        get_object_answered_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .await;
    assert_eq!(error.kind(), ErrorKind::BadRequest);
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.description(), Some("Invalid OBJECT_ID"));
    assert_eq!(error.body(), Some(body));
    assert_names_objects_get(&error);
}

#[tokio::test]
async fn a_successful_envelope_under_http_200_is_a_success() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_json(envelope(json!([{ "objectId": 7 }]))),
    )
    .await;
    let reply = client_for(&server).objects().get(STREAM, 7).await.unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.data.unwrap()[0].object_id, Some(7));
}

#[tokio::test]
async fn partial_success_206_is_a_success_with_its_results() {
    // 206: some recipients of a WhatsApp send failed; the results say which.
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(206).set_body_json(json!({
            "status": 206,
            "description": "Partial success",
            "response_time": "2024-08-06T07:51:52.2581942Z",
            "data": [
                { "recipient": "447700900123", "status": 200, "object_id": 1839204500 },
                { "recipient": "447700900999", "status": 400, "failed": { "reason": "not on WhatsApp" } }
            ]
        })),
    )
    .await;
    let reply = client_for(&server)
        .whats_app()
        .send_template(STREAM, vec![])
        .await
        .unwrap();
    assert_eq!(reply.status, 206);
    assert_eq!(reply.description, "Partial success");
    let results = reply.data.unwrap();
    assert_eq!(results[0].status, Some(200));
    assert_eq!(results[1].status, Some(400));
    assert_eq!(
        results[1].failed,
        Some(json!({ "reason": "not on WhatsApp" }))
    );
}

/// The kept part of a snippet: the body's start, maybe followed by a mark
/// that it was cut.
fn kept(snippet: &str) -> &str {
    snippet.strip_suffix('…').unwrap_or(snippet)
}

#[tokio::test]
async fn a_large_error_body_is_kept_as_a_bounded_snippet() {
    let page = format!(
        "<!DOCTYPE html><html><body>{}</body></html>",
        "x".repeat(20_000)
    );
    let error = get_object_answered_with(
        ResponseTemplate::new(500).set_body_raw(page.clone(), "text/html"),
    )
    .await;
    assert_eq!(error.kind(), ErrorKind::ServerError);
    let snippet = error.body().expect("a piece of the body is kept");
    // ASCII: exactly the first BODY_SNIPPET_LIMIT bytes.
    assert_eq!(BODY_SNIPPET_LIMIT, 512);
    assert_eq!(kept(snippet), &page[..512]);
    assert!(snippet.len() <= 512 + '…'.len_utf8());
    assert!(format!("{error:?}").len() < 2_000, "Debug stays small");
    assert!(error.to_string().len() < 1_000, "Display stays small");
}

#[tokio::test]
async fn a_snippet_is_cut_at_a_character_boundary() {
    // "€" is three bytes: 512 bytes hold 170 of them and two bytes of the 171st.
    let body = "€".repeat(1_000);
    let error = get_object_answered_with(
        ResponseTemplate::new(500).set_body_raw(body, "text/plain; charset=utf-8"),
    )
    .await;
    let snippet = error.body().unwrap();
    assert_eq!(kept(snippet), "€".repeat(170));
}
