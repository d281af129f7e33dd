//! The cases of faults real API clients shipped (C1, C2, C4 to C9, C11),
//! each with its exact inputs and answers, over HTTP to wiremock on
//! 127.0.0.1.
//!
//! Real operations of spec/cirrus.json are used where they fit (Objects.Get,
//! Streams.GetObjects, Core.SystemStatus); the data types the cases name and
//! the real API lacks live in `specs/cases.json`, expanded in `cases_api`.

use cirrus_client::types::{ObjectStatus, StreamObject};
use cirrus_client::{Envelope, Error, ErrorKind};
use cirrus_tests::{answer_all, client_for, client_once, envelope, header, only_request};
use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex};
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The data types and operations the cases need beyond the real spec.
mod cases_api {
    cirrus_client::generate!("specs/cases.json");
}

/// A server answering every request with HTTP 200 and `body`.
async fn server_answering(body: Value) -> MockServer {
    let server = MockServer::start().await;
    answer_all(&server, ResponseTemplate::new(200).set_body_json(body)).await;
    server
}

/// A client of the cases spec for `server`.
fn cases_client(server: &MockServer) -> cases_api::Client {
    cases_api::Client::builder()
        .token("test-token")
        .base_url(server.uri())
        .build()
        .unwrap()
}

/// Forgets the requests seen so far, keeping the server's answer.
async fn take_requests(server: &MockServer) -> Vec<Request> {
    let requests = server.received_requests().await.unwrap();
    server.reset().await;
    requests
}

// ---------------------------------------------------------------- C1

#[tokio::test]
async fn c1_reserved_characters_in_a_path_parameter_are_escaped_once() {
    let table = [
        (
            "hNyRN_fLUy7rrOrN9jLpipA==",
            "/streams/hNyRN_fLUy7rrOrN9jLpipA%3D%3D/objects/7",
        ),
        ("a/b", "/streams/a%2Fb/objects/7"),
        ("a b", "/streams/a%20b/objects/7"),
        ("x?y#z", "/streams/x%3Fy%23z/objects/7"),
        ("100%", "/streams/100%25/objects/7"),
        ("é", "/streams/%C3%A9/objects/7"),
    ];
    let server = MockServer::start().await;
    for (stream_id, raw_path) in table {
        answer_all(
            &server,
            ResponseTemplate::new(200).set_body_json(envelope(json!([]))),
        )
        .await;
        let reply = client_for(&server)
            .objects()
            .get(stream_id, 7)
            .await
            .unwrap_or_else(|e| panic!("{stream_id:?}: {e}"));
        assert_eq!(reply.data, Some(vec![]));

        let requests = take_requests(&server).await;
        assert_eq!(requests.len(), 1, "{stream_id:?}");
        let url = &requests[0].url;
        assert_eq!(url.path(), raw_path, "{stream_id:?}");
        assert_eq!(
            url.query(),
            None,
            "{stream_id:?}: nothing leaked into a query"
        );
        assert_eq!(url.fragment(), None, "{stream_id:?}");
        assert!(!url.path().contains("%25") || stream_id == "100%");
        assert_eq!(
            url.path_segments().unwrap().count(),
            4,
            "{stream_id:?} is one segment"
        );
    }
}

#[tokio::test]
async fn c1_a_value_that_cannot_be_one_segment_is_refused_before_sending() {
    // `.` and `..` (also escaped) would be folded away by URL handling and
    // the request would reach another resource; an empty value would drop
    // the segment.
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_json(envelope(json!([]))),
    )
    .await;
    for stream_id in ["..", ".", "%2E%2E", ""] {
        let error = client_for(&server)
            .objects()
            .get(stream_id, 7)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{stream_id:?}");
        assert_eq!(error.status(), None);
        assert_eq!(error.operation().unwrap().name, "Get");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ---------------------------------------------------------------- C2

#[tokio::test]
async fn c2_booleans_empty_values_and_lists_in_the_query() {
    const STREAM: &str = "1402";
    let server = MockServer::start().await;
    let query_of = async |request: cirrus_client::streams::GetObjectsRequest<'_>| {
        answer_all(
            &server,
            ResponseTemplate::new(200).set_body_json(envelope(json!([]))),
        )
        .await;
        request.await.unwrap();
        let requests = take_requests(&server).await;
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].url.path(), "/streams/1402/objects");
        requests[0].url.query().map(str::to_owned)
    };
    let client = client_for(&server);
    let streams = client.streams();

    assert_eq!(
        query_of(streams.get_objects(STREAM).include_childs(false)).await,
        Some("includeChilds=false".to_owned())
    );
    assert_eq!(query_of(streams.get_objects(STREAM)).await, None);
    assert_eq!(
        query_of(streams.get_objects(STREAM).page_number(0)).await,
        Some("pageNumber=0".to_owned())
    );
    let status = query_of(
        streams
            .get_objects(STREAM)
            .status(vec![ObjectStatus::Open, ObjectStatus::InProcess]),
    )
    .await;
    assert!(
        matches!(status.as_deref(), Some("status=1,8" | "status=1%2C8")),
        "{status:?}"
    );
    assert_eq!(
        query_of(streams.get_objects(STREAM).status(vec![])).await,
        None
    );
    assert_eq!(
        query_of(streams.get_objects(STREAM).time_filter("a&b=c+d")).await,
        Some("timeFilter=a%26b%3Dc%2Bd".to_owned())
    );
}

#[tokio::test]
async fn c2_a_list_parameter_is_comma_joined_or_repeated_as_the_spec_says() {
    let server = server_answering(envelope(json!({ "hits": 2 }))).await;
    let reply = cases_client(&server)
        .search()
        .find()
        .tag(vec![1, 2])
        .status(vec![1, 8])
        .q("a&b=c+d")
        .await
        .unwrap();
    assert_eq!(reply.data, Some(json!({ "hits": 2 })));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/search");
    let query = request.url.query().unwrap();
    assert!(
        matches!(
            query,
            "tag=1&tag=2&status=1,8&q=a%26b%3Dc%2Bd" | "tag=1&tag=2&status=1%2C8&q=a%26b%3Dc%2Bd"
        ),
        "{query}"
    );

    // Empty lists of either style leave their key out.
    let server = server_answering(envelope(json!(null))).await;
    cases_client(&server)
        .search()
        .find()
        .tag(vec![])
        .status(vec![])
        .await
        .unwrap();
    assert_eq!(only_request(&server).await.url.query(), None);
}

// ---------------------------------------------------------------- C4

#[tokio::test]
async fn c4_absent_and_null_optional_fields_are_none() {
    let server = server_answering(envelope(json!({
        "id": 1,
        "owner": { "id": "u1", "name": null },
        "email": null
    })))
    .await;
    let contact = cases_client(&server)
        .contacts()
        .get(1)
        .await
        .unwrap()
        .data
        .unwrap();
    assert_eq!(only_request(&server).await.url.path(), "/contacts/1");
    assert_eq!(contact.id, 1);
    assert_eq!(contact.email, None);
    assert_eq!(contact.phone, None);
    let owner = contact.owner.unwrap();
    assert_eq!(owner.id, "u1");
    assert_eq!(owner.name, None);
}

#[tokio::test]
async fn c4_null_in_a_required_field_is_a_decode_error_naming_its_path() {
    let body = r#"{"status":200,"description":"Operation successful","response_time":"2024-08-06T07:51:52.2581942Z","data":{"id":1,"owner":{"id":null}}}"#;
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_raw(body, "application/json"),
    )
    .await;
    let error = cases_client(&server).contacts().get(1).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.json_path(), Some("data.owner.id"));
    assert_eq!(error.status(), Some(200));
    let operation = error.operation().unwrap();
    assert_eq!((operation.module, operation.name), ("Contacts", "Get"));
    let piece = error.body().expect("a piece of the body");
    assert!(!piece.is_empty() && body.starts_with(piece.trim_end_matches('…')));
    assert!(piece.contains(r#""owner":{"id":null}"#), "{piece}");
    let shown = error.to_string();
    assert!(shown.contains("data.owner.id"), "{shown}");
    assert!(shown.contains("Contacts.Get"), "{shown}");
}

// ---------------------------------------------------------------- C5

#[tokio::test]
async fn c5_numbers_sent_as_strings_decode_like_numbers() {
    let mut decoded = Vec::new();
    for data in [
        json!({ "unreadCount": "18918967", "score": "4.5" }),
        json!({ "unreadCount": 18918967, "score": 4.5 }),
    ] {
        let server = server_answering(envelope(data)).await;
        let counters = cases_client(&server)
            .counters()
            .get()
            .await
            .unwrap()
            .data
            .unwrap();
        assert_eq!(counters.unread_count, Some(18_918_967));
        assert_eq!(counters.score, Some(4.5));
        decoded.push(counters);
    }
    assert_eq!(decoded[0], decoded[1]);
}

#[tokio::test]
async fn c5_a_word_where_a_number_belongs_is_a_decode_error() {
    let server = server_answering(envelope(json!({ "unreadCount": "abc" }))).await;
    let error = cases_client(&server).counters().get().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.json_path(), Some("data.unreadCount"));
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.operation().unwrap().module, "Counters");
}

#[tokio::test]
async fn c5_string_ids_accept_numbers_and_keep_every_digit() {
    for (data, id) in [
        (r#"{"id":12345}"#, "12345"),
        (r#"{"id":"12345"}"#, "12345"),
        (r#"{"id":9007199254740993}"#, "9007199254740993"),
    ] {
        let server = MockServer::start().await;
        Mock::given(path_regex("^/refs/"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                format!(r#"{{"status":200,"description":"Operation successful","data":{data}}}"#),
                "application/json",
            ))
            .mount(&server)
            .await;
        Mock::given(path_regex("^/streams/"))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!([]))))
            .mount(&server)
            .await;
        let client = cases_client(&server);
        let decoded = client.refs().get("0").await.unwrap().data.unwrap();
        assert_eq!(decoded.id, id, "{data}");

        // Sent back as a path parameter, it is sent exactly as received.
        client.refs().get(decoded.id.clone()).await.unwrap();
        client_for(&server)
            .objects()
            .get(decoded.id.clone(), 7)
            .await
            .unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 3);
        assert_eq!(requests[0].url.path(), "/refs/0");
        assert_eq!(requests[1].url.path(), format!("/refs/{id}"));
        assert_eq!(requests[2].url.path(), format!("/streams/{id}/objects/7"));
    }
}

// ---------------------------------------------------------------- C6

#[tokio::test]
async fn c6_large_integers_and_long_floats_keep_every_bit() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).set_body_raw(
            r#"{"status":200,"description":"Operation successful","response_time":"2024-08-06T07:51:52.2581942Z","data":{"objectId":9223372036854775807,"rate":117.63331139400017}}"#,
            "application/json",
        ),
    )
    .await;
    let sizes = cases_client(&server)
        .sizes()
        .get()
        .await
        .unwrap()
        .data
        .unwrap();
    assert_eq!(sizes.object_id, Some(i64::MAX));
    assert_eq!(
        sizes.rate.unwrap().to_bits(),
        "117.63331139400017".parse::<f64>().unwrap().to_bits()
    );
}

#[tokio::test]
async fn c6_an_integer_too_large_for_its_field_is_a_decode_error() {
    for too_large in ["123456789012345678901234567890", "9223372036854775808"] {
        let server = MockServer::start().await;
        answer_all(
            &server,
            ResponseTemplate::new(200).set_body_raw(
                format!(
                    r#"{{"status":200,"description":"Operation successful","data":{{"objectId":{too_large},"rate":1.5}}}}"#
                ),
                "application/json",
            ),
        )
        .await;
        let error = cases_client(&server).sizes().get().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Decode, "{too_large}");
        assert_eq!(error.json_path(), Some("data.objectId"), "{too_large}");
        assert_eq!(error.status(), Some(200));
    }
}

// ---------------------------------------------------------------- C7

#[tokio::test]
async fn c7_times_without_a_zone_are_utc_and_the_dotnet_minimum_decodes() {
    let server = server_answering(envelope(json!([{
        "objectId": 1839204411,
        "createdTime": "2024-08-06T07:51:52.2581942",
        "closeTime": "0001-01-01T00:00:00"
    }])))
    .await;
    let reply: Envelope<Vec<StreamObject>> = client_for(&server)
        .objects()
        .get("1402", 1839204411)
        .await
        .unwrap();
    let object = &reply.data.unwrap()[0];

    // 2024-08-06T07:51:52Z is 1722930712 s after the epoch, in UTC.
    let created = object.created_time.unwrap();
    assert_eq!(created.unix_seconds(), 1_722_930_712);
    assert_eq!(created.as_datetime().timestamp_subsec_nanos(), 258_194_200);
    assert_eq!(created.to_string(), "2024-08-06T07:51:52.2581942Z");

    // Documented: the .NET minimum date is kept as it is.
    let closed = object.close_time.expect("0001-01-01T00:00:00 decodes");
    assert!(closed.is_dotnet_min());
    assert_eq!(closed.unix_seconds(), -62_135_596_800);
}

// ---------------------------------------------------------------- C8

#[tokio::test]
async fn c8_an_empty_success_is_fine_where_no_data_is_expected() {
    for status in [204, 200] {
        let server = MockServer::start().await;
        answer_all(&server, ResponseTemplate::new(status)).await;
        let client = client_for(&server);

        let reply = client
            .core()
            .system_status()
            .await
            .unwrap_or_else(|e| panic!("HTTP {status}: {e}"));
        assert_eq!(reply.status, status);
        assert_eq!(reply.data, None);

        let reply = client
            .surveys()
            .add_external_response(1839204411, 1410, "q1", "How was it?", vec![], "Good")
            .await
            .unwrap_or_else(|e| panic!("HTTP {status}: {e}"));
        assert_eq!(reply.status, status);
    }
}

#[tokio::test]
async fn c8_an_empty_200_where_data_is_expected_is_a_decode_error() {
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(200).insert_header("x-request-id", "req-empty"),
    )
    .await;
    let error = client_for(&server)
        .objects()
        .get("1402", 7)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.request_id(), Some("req-empty"));
    assert_eq!(error.operation().unwrap().name, "Get");
    let shown = error.to_string();
    assert!(shown.contains("empty"), "says the body was empty: {shown}");
}

// ---------------------------------------------------------------- C9

#[tokio::test]
async fn c9_an_html_502_is_a_server_error_with_a_bounded_piece_of_the_page() {
    let page = format!(
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
         <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
         <!-- {} -->\r\n</body>\r\n</html>\r\n",
        "padding ".repeat(400)
    );
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(502).set_body_raw(page.clone(), "text/html"),
    )
    .await;
    let error = client_once(&server)
        .objects()
        .get("1402", 7)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServerError);
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.content_type(), Some("text/html"));
    assert_eq!(error.json_path(), None);
    assert_eq!(error.description(), None);
    let piece = error.body().unwrap();
    assert_eq!(piece.trim_end_matches('…'), &page[..512]);
}

#[tokio::test]
async fn c9_an_empty_401_is_unauthorized_with_its_challenge() {
    let challenge = r#"Bearer realm="api.commbox.io", error="invalid_token", error_description="The access token expired""#;
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(401).insert_header("WWW-Authenticate", challenge),
    )
    .await;
    let error = client_once(&server)
        .objects()
        .get("1402", 7)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unauthorized);
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.www_authenticate(), Some(challenge));
    assert_eq!(error.content_type(), None);
    assert_eq!(error.body().unwrap_or(""), "");
    assert_eq!(error.description(), None);
}

#[tokio::test]
async fn c9_a_plain_text_500_is_a_server_error_with_its_text() {
    let text = "Internal Server Error: the database did not answer in time";
    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(500).set_body_raw(text, "text/plain"),
    )
    .await;
    let error = client_once(&server)
        .objects()
        .get("1402", 7)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServerError);
    assert_eq!(error.status(), Some(500));
    assert_eq!(error.content_type(), Some("text/plain"));
    assert_eq!(error.body(), Some(text));
    assert_eq!(error.json_path(), None);
}

// ---------------------------------------------------------------- C11

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[tokio::test]
async fn c11_the_token_is_in_no_debug_display_or_log() {
    const TOKEN: &str = "sk_live_DO_NOT_LEAK_42";
    const SECRET: &str = "DO_NOT_LEAK_42";

    // Records of crates that log through `log` reach `tracing` too.
    let _ = tracing_log::LogTracer::init();
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);
    // With one scoped subscriber alive, tracing takes a callsite's interest
    // from the default of whichever thread reaches it first; a callsite first
    // reached by a test on another thread would stay disabled here. A second
    // live dispatcher makes tracing ask every live one.
    let _second = tracing::Dispatch::new(tracing_subscriber::registry());

    let server = MockServer::start().await;
    answer_all(
        &server,
        ResponseTemplate::new(401)
            .insert_header("WWW-Authenticate", r#"Bearer error="invalid_token""#)
            .set_body_raw(
                r#"{"status":401,"description":"Unauthorized","data":null}"#,
                "application/json",
            ),
    )
    .await;
    let builder = cirrus_client::Client::builder()
        .token(TOKEN)
        .base_url(server.uri());
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let error: Error = client.objects().get("1402", 7).await.unwrap_err();
    drop(_default);

    // The token did travel, where it belongs.
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "authorization").as_deref(),
        Some("Bearer sk_live_DO_NOT_LEAK_42")
    );
    assert_eq!(error.kind(), ErrorKind::Unauthorized);

    let log = capture.text();
    assert!(
        log.contains("cirrus.call"),
        "the capture saw the call: {log}"
    );
    assert!(log.contains("401"), "the capture saw the status: {log}");
    let outputs = [
        ("client Debug", format!("{client:?}")),
        ("client Debug (pretty)", format!("{client:#?}")),
        ("transport Debug", format!("{:?}", client.transport())),
        (
            "request Debug",
            format!("{:?}", client.objects().get("1402", 7).include_childs(true)),
        ),
        ("builder Debug", builder_debug),
        ("error Debug", format!("{error:?}")),
        ("error Debug (pretty)", format!("{error:#?}")),
        ("error Display", format!("{error}")),
        ("tracing capture", log),
    ];
    for (what, text) in outputs {
        assert!(!text.is_empty(), "{what} is empty");
        assert!(!text.contains(SECRET), "{what} leaks the token: {text}");
    }
}
