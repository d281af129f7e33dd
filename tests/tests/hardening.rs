//! Responses and arguments that must not pass as what they are not: a 2xx
//! body that is not an envelope, an envelope's failure status under HTTP
//! 200, a file name that would break a multipart header; and errors that
//! stay small whatever the server sends.

use cirrus_client::{ErrorKind, FilePart, TEXT_LIMIT};
use cirrus_tests::{answer_all, client_once};
use wiremock::{MockServer, ResponseTemplate};

#[tokio::test]
async fn a_2xx_body_that_is_not_an_envelope_is_a_decode_error() {
    // A bare object, and a gateway's message: neither has the envelope's
    // `status`, so neither is the API's answer.
    for body in [r#"{"id": 1}"#, r#"{"message": "Internal error"}"#] {
        let server = MockServer::start().await;
        answer_all(
            &server,
            ResponseTemplate::new(200).set_body_raw(body, "application/json"),
        )
        .await;
        let error = client_once(&server).users().get(7).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode, "{body}: {error}");
        assert_eq!(error.status(), Some(200));
        assert!(
            error.to_string().contains("not a response envelope"),
            "{error}"
        );
        assert_eq!(error.body(), Some(body));
    }
}

#[tokio::test]
async fn an_envelope_without_data_is_still_a_success() {
    // The API's `data` is optional: an envelope that says success without it
    // is a success whose data is `None`.
    let server = MockServer::start().await;
    let body = r#"{"status": 200, "description": "Operation successful"}"#;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_raw(body, "application/json"),
    )
    .await;
    let envelope = client_once(&server).users().get(7).await.unwrap();
    assert_eq!((envelope.status, envelope.data), (200, None));
}

#[tokio::test]
async fn a_failure_status_in_the_envelope_keeps_both_statuses() {
    let server = MockServer::start().await;
    let body = r#"{"status": 500, "description": "Database unavailable"}"#;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_raw(body, "application/json"),
    )
    .await;
    let error = client_once(&server).users().get(7).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServerError);
    assert_eq!(error.status(), Some(500));
    assert_eq!(error.http_status(), Some(200));
    let shown = error.to_string();
    assert!(
        shown.contains("status 500 in the envelope of an HTTP 200 response"),
        "{shown}"
    );
    assert!(shown.contains("Database unavailable"), "{shown}");
}

#[tokio::test]
async fn an_error_keeps_the_start_of_a_huge_description() {
    let description = format!("Invalid parameter: {}", "é".repeat(500_000));
    let server = MockServer::start().await;
    let body = serde_json::json!({ "status": 400, "description": description }).to_string();
    answer_all(
        &server,
        ResponseTemplate::new(400).set_body_raw(body, "application/json"),
    )
    .await;
    let error = client_once(&server).users().get(7).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadRequest);
    // "Invalid parameter: " is 19 bytes, each "é" two: 1,024 bytes end in
    // the middle of one, so the cut falls a byte earlier, at 1,023.
    let kept = error.description().unwrap();
    assert_eq!(kept, format!("{}…", &description[..1_023]));
    assert!(error.to_string().len() < 2 * TEXT_LIMIT, "{error}");
}

#[tokio::test]
async fn a_decode_error_quoting_a_huge_value_stays_small() {
    // A megabyte of text where a user's id (an integer) belongs: serde_json
    // quotes the value at fault in its message.
    let server = MockServer::start().await;
    let body = format!(
        r#"{{"status":200,"description":"","data":{{"id":"{}"}}}}"#,
        "9".repeat(1_000_000)
    );
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_raw(body, "application/json"),
    )
    .await;
    let error = client_once(&server).users().get(7).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.json_path(), Some("data.id"));
    let shown = format!("{error} {error:?}");
    assert!(shown.len() < 4 * TEXT_LIMIT, "{} bytes", shown.len());
    assert!(std::error::Error::source(&error).is_none());
}

#[tokio::test]
async fn a_file_name_with_line_breaks_is_refused_before_sending() {
    let server = MockServer::start().await;
    answer_all(&server, ResponseTemplate::new(200)).await;
    let file = FilePart::new("evil\"\r\nX-Injected: 1\r\n\r\nname.png", b"png".to_vec());
    let error = client_once(&server)
        .whats_app()
        .upload_media("hNyRN_fLUy7rrOrN9jLpipA==", file)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    assert!(error.to_string().contains("control characters"), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
