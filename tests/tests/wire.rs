//! What the client puts on the wire, byte for byte, and what it reads back.
//!
//! Every test runs the generated client against a wiremock server on
//! 127.0.0.1 that answers every request, then inspects the request the
//! server received: method, raw (percent-encoded) path, raw query, the
//! bearer token, the content type and the exact body. Each of the 17 modules
//! of spec/cirrus.json has at least one operation here, and each body
//! encoding the API uses has a test: `json-data`, `json` (flat, and with a
//! `data` array), `multipart`, and `form-data` (from a small spec of our
//! own, as spec/cirrus.json has no form operation).

use cirrus_client::types::*;
use cirrus_client::{FilePart, Timestamp};
use cirrus_tests::{
    answer_all, body_text, client_for, envelope, header, multipart_parts, only_request,
};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// An encrypted stream id, as the API hands them out (`=` padding).
const ENCRYPTED: &str = "hNyRN_fLUy7rrOrN9jLpipA==";
/// The same id as one escaped path segment.
const ENCRYPTED_SEGMENT: &str = "hNyRN_fLUy7rrOrN9jLpipA%3D%3D";

/// A server that answers every request with HTTP 200 and `body`.
async fn server_answering(body: Value) -> MockServer {
    let server = MockServer::start().await;
    answer_all(&server, ResponseTemplate::new(200).set_body_json(body)).await;
    server
}

/// Checks the request line (method, raw path, raw query) and the headers
/// every call carries.
fn assert_request(request: &Request, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(request.method.as_str(), method, "method");
    assert_eq!(request.url.path(), path, "raw path");
    assert_eq!(request.url.query(), query, "raw query");
    assert_eq!(
        header(request, "authorization").as_deref(),
        Some("Bearer test-token"),
        "the token travels as a bearer token"
    );
    assert_eq!(
        header(request, "accept").as_deref(),
        Some("application/json")
    );
    let agent = header(request, "user-agent").unwrap_or_default();
    assert!(agent.starts_with("cirrus-client/"), "user agent {agent:?}");
}

/// Checks that a request carries no body and no content type.
fn assert_no_body(request: &Request) {
    assert_eq!(header(request, "content-type"), None, "no body, no type");
    assert!(request.body.is_empty(), "no body: {:?}", body_text(request));
}

/// Checks a JSON body byte for byte, and that it is the JSON meant.
fn assert_json_body(request: &Request, expected: &str) {
    assert_eq!(
        header(request, "content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(body_text(request), expected, "body bytes");
    let sent: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    let meant: Value = serde_json::from_str(expected).expect("the expectation is JSON");
    assert_eq!(sent, meant);
}

fn time(text: &str) -> Timestamp {
    text.parse().expect("a valid time")
}

// ---------------------------------------------------------------- Core

#[tokio::test]
async fn core_system_status_is_a_bare_get_and_reads_the_envelope() {
    let server = server_answering(json!({
        "status": 200,
        "description": "System is up",
        "response_time": "2024-08-06T07:50:59.1234567Z",
        "data": null
    }))
    .await;
    let reply = client_for(&server).core().system_status().await.unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "GET", "/core/systemstatus", None);
    assert_no_body(&request);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.description, "System is up");
    assert_eq!(
        reply.response_time,
        Some(time("2024-08-06T07:50:59.1234567Z"))
    );
    assert_eq!(
        reply
            .response_time
            .unwrap()
            .as_datetime()
            .timestamp_subsec_nanos(),
        123_456_700
    );
}

#[tokio::test]
async fn a_base_url_with_a_path_keeps_its_prefix() {
    let server = server_answering(envelope(json!(null))).await;
    for base in [
        format!("{}/gateway/cirrus", server.uri()),
        format!("{}/gateway/cirrus/", server.uri()),
    ] {
        let client = cirrus_client::Client::builder()
            .token("test-token")
            .base_url(base)
            .build()
            .unwrap();
        client.core().system_status().await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_request(request, "GET", "/gateway/cirrus/core/systemstatus", None);
    }
}

// ---------------------------------------------------------------- Objects

#[tokio::test]
async fn objects_create_sends_json_data_with_only_the_fields_set() {
    let server = server_answering(envelope(json!({ "id": 1839204411 }))).await;
    let reply = client_for(&server)
        .objects()
        .create(ENCRYPTED, "Where is my order?")
        .r#type(ObjectType::Mail)
        .status_id(ObjectStatus::Open)
        .user_stream_provider_id("sam.jones@example.com")
        .user_stream_provider_type(StreamProviderType::Mail)
        .send_to_client(false)
        .user(CustomerInfo {
            first_name: Some("Sam".into()),
            email: Some("sam.jones@example.com".into()),
            ..CustomerInfo::default()
        })
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "POST",
        &format!("/streams/{ENCRYPTED_SEGMENT}/objects"),
        None,
    );
    assert_json_body(
        &request,
        r#"{"data":{"Type":5,"StatusId":1,"UserStreamProviderId":"sam.jones@example.com","UserStreamProviderType":4,"Message":"Where is my order?","sendToClient":false,"User":{"FirstName":"Sam","Email":"sam.jones@example.com"}}}"#,
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.description, "Operation successful");
    assert_eq!(reply.data.unwrap().id, 1839204411);
}

#[tokio::test]
async fn objects_get_sends_boolean_queries_and_decodes_conversations() {
    let server = server_answering(envelope(json!([{
        "objectId": 1839204411,
        "streamid": 1402,
        "substreamid": 0,
        "streamProviderType": 4,
        "content": "{\"subject\":\"Order 55120\"}",
        "message": "We have sent a replacement today.",
        "createdTime": "2024-08-05T13:20:11.493",
        "closeTime": null,
        "statusId": 8,
        "type": 5,
        "isManager": false,
        "user": { "id": 88123, "email": "sam.jones@example.com", "numberIdentities": "2" },
        "childs": [
            { "id": 5520193390u64, "message": "Hello", "createdTime": "2024-08-05T13:21:00Z" }
        ]
    }])))
    .await;
    let reply = client_for(&server)
        .objects()
        .get("1402", 1839204411)
        .include_childs(true)
        .include_activity_log(false)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/streams/1402/objects/1839204411",
        Some("includeChilds=true&includeActivityLog=false"),
    );
    assert_no_body(&request);

    let objects = reply.data.unwrap();
    assert_eq!(objects.len(), 1);
    let object = &objects[0];
    assert_eq!(object.object_id, Some(1839204411));
    assert_eq!(object.streamid, Some(1402));
    assert_eq!(object.substreamid, Some(0));
    assert_eq!(object.stream_provider_type, Some(StreamProviderType::Mail));
    assert_eq!(
        object.content,
        Some(Value::String("{\"subject\":\"Order 55120\"}".into()))
    );
    assert_eq!(
        object.message.as_deref(),
        Some("We have sent a replacement today.")
    );
    assert_eq!(object.created_time, Some(time("2024-08-05T13:20:11.493Z")));
    assert_eq!(object.close_time, None);
    assert_eq!(object.status_id, Some(ObjectStatus::InProcess));
    assert_eq!(object.r#type, Some(ObjectType::Mail));
    assert_eq!(object.is_manager, Some(false));
    let user = object.user.as_ref().unwrap();
    assert_eq!(user.id, Some(88123));
    assert_eq!(user.email.as_deref(), Some("sam.jones@example.com"));
    assert_eq!(user.number_identities, Some(2));
    let childs = object.childs.as_ref().unwrap();
    assert_eq!(childs.len(), 1);
    assert_eq!(childs[0].id, 5520193390);
    assert_eq!(childs[0].message.as_deref(), Some("Hello"));
    assert_eq!(childs[0].created_time, Some(time("2024-08-05T13:21:00Z")));
}

#[tokio::test]
async fn objects_set_status_puts_the_enum_code_in_the_path() {
    let server = server_answering(envelope(json!("Status updated"))).await;
    let reply = client_for(&server)
        .objects()
        .set_status(1839204411, ObjectStatus::Resolved)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/objects/1839204411/status/2", None);
    assert_no_body(&request);
    assert_eq!(reply.data.as_deref(), Some("Status updated"));
}

#[tokio::test]
async fn objects_set_content_sends_flat_json_with_its_data_parameter() {
    let server = server_answering(envelope(json!("Content updated"))).await;
    let reply = client_for(&server)
        .objects()
        .set_content(1839204411, json!({ "orderId": "55120", "priority": 2 }))
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/objects/1839204411/content", None);
    assert_json_body(&request, r#"{"data":{"orderId":"55120","priority":2}}"#);
    assert_eq!(reply.data.as_deref(), Some("Content updated"));
}

#[tokio::test]
async fn objects_update_stream_is_a_patch_with_json_data() {
    let server = server_answering(envelope(json!({
        "streamId": 1405,
        "subStreamId": 0,
        "updatedTime": "2024-08-06T07:52:00Z"
    })))
    .await;
    let reply = client_for(&server)
        .objects()
        .update_stream(1839204411, 1405)
        .sub_stream_id(0)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "PATCH", "/objects/1839204411/stream", None);
    assert_json_body(&request, r#"{"data":{"streamId":1405,"subStreamId":0}}"#);
    let data = reply.data.unwrap();
    assert_eq!(data["streamId"], json!(1405));
    assert_eq!(data["updatedTime"], json!("2024-08-06T07:52:00Z"));
}

#[tokio::test]
async fn objects_delete_indicator_escapes_a_string_id_as_one_segment() {
    let server = server_answering(envelope(json!("Indicator deleted"))).await;
    let reply = client_for(&server)
        .objects()
        .delete_indicator(1839204411, "vip/level 1")
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "DELETE",
        "/objects/1839204411/indicators/vip%2Flevel%201",
        None,
    );
    assert_no_body(&request);
    assert_eq!(reply.data.as_deref(), Some("Indicator deleted"));
}

#[tokio::test]
async fn objects_create_child_by_address_puts_the_provider_type_code_in_the_path() {
    let server = server_answering(envelope(json!({ "id": 5520193391u64 }))).await;
    let reply = client_for(&server)
        .objects()
        .create_child_by_address(ENCRYPTED, "447700900123", StreamProviderType::Telephone)
        .message("On my way")
        .is_manager(true)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "POST",
        &format!("/streams/{ENCRYPTED_SEGMENT}/objects/447700900123/5/child"),
        None,
    );
    assert_json_body(
        &request,
        r#"{"data":{"IsManager":true,"Message":"On my way"}}"#,
    );
    assert_eq!(reply.data.unwrap().id, 5520193391);
}

// ---------------------------------------------------------------- Streams

#[tokio::test]
async fn streams_get_objects_sends_enum_list_and_number_queries() {
    let server = server_answering(envelope(json!([
        { "objectId": 1839204411, "statusId": 1, "streamId": 1402, "updatedTime": "2024-08-05T14:02:10.117" },
        { "objectId": 1839204412, "statusId": 8, "streamId": 1402 }
    ])))
    .await;
    let reply = client_for(&server)
        .streams()
        .get_objects(ENCRYPTED)
        .identity_stream_provider_type(StreamProviderType::WhatsApp)
        .unix_start_time(1722902400)
        .sort(SortDirection::Asc)
        .order(ObjectOrder::UpdatedTime)
        .page_number(2)
        .page_size(50)
        .status(vec![ObjectStatus::Open, ObjectStatus::InProcess])
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        &format!("/streams/{ENCRYPTED_SEGMENT}/objects"),
        Some(
            "identityStreamProviderType=7&unixStartTime=1722902400&sort=asc&order=updatedtime\
             &pageNumber=2&pageSize=50&status=1,8",
        ),
    );
    assert_no_body(&request);
    let objects = reply.data.unwrap();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[0].object_id, Some(1839204411));
    assert_eq!(objects[0].status_id, Some(ObjectStatus::Open));
    assert_eq!(objects[0].stream_id, Some(1402));
    assert_eq!(
        objects[0].updated_time,
        Some(time("2024-08-05T14:02:10.117Z"))
    );
    assert_eq!(objects[1].object_id, Some(1839204412));
    assert_eq!(objects[1].status_id, Some(ObjectStatus::InProcess));
}

#[tokio::test]
async fn streams_get_availability_takes_a_numeric_stream_id() {
    let server = server_answering(envelope(json!({ "state": 2 }))).await;
    let reply = client_for(&server)
        .streams()
        .get_availability(1402)
        .auto_assign(true)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/streams/1402/streamavailability",
        Some("autoAssign=true"),
    );
    assert_eq!(
        reply.data.unwrap().state,
        Some(StreamAvailabilityState::Busy)
    );
}

// ---------------------------------------------------------------- Tags

#[tokio::test]
async fn tags_update_keeps_a_body_key_with_spaces() {
    let server = server_answering(envelope(json!({ "id": "79" }))).await;
    let reply = client_for(&server)
        .tags()
        .update(79)
        .name("VIP & gold")
        .tag_group_id(3)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/tags/79", None);
    assert_json_body(
        &request,
        r#"{"data":{"Name":"VIP & gold","Tag Group Id":3}}"#,
    );
    assert_eq!(reply.data.unwrap().id, "79");
}

#[tokio::test]
async fn tags_add_to_object_and_delete_send_ids_in_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!("Tag added"))))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!({ "id": "79" }))))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let added = client
        .tags()
        .add_to_object(1402, 1839204411, 79)
        .await
        .unwrap();
    let deleted = client.tags().delete(79).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_request(
        &requests[0],
        "POST",
        "/streams/1402/objects/1839204411/tags/79",
        None,
    );
    assert_no_body(&requests[0]);
    assert_request(&requests[1], "DELETE", "/tags/79", None);
    assert_no_body(&requests[1]);
    assert_eq!(added.data.as_deref(), Some("Tag added"));
    assert_eq!(deleted.data.unwrap().id, "79");
}

#[tokio::test]
async fn tags_list_decodes_tags() {
    let server = server_answering(envelope(json!([
        { "id": 79, "identityId": "90412", "streamProviderId": "sam.jones@example.com" },
        { "id": "80" }
    ])))
    .await;
    let reply = client_for(&server).tags().list().await.unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "GET", "/tags", None);
    let tags = reply.data.unwrap();
    assert_eq!(tags.len(), 2);
    assert_eq!(tags[0].id, 79);
    assert_eq!(tags[0].identity_id.as_deref(), Some("90412"));
    assert_eq!(
        tags[0].stream_provider_id.as_deref(),
        Some("sam.jones@example.com")
    );
    assert_eq!(tags[1].id, 80);
    assert_eq!(tags[1].identity_id, None);
}

#[tokio::test]
async fn tags_create_group_without_fields_sends_an_empty_data_object() {
    let server = server_answering(envelope(json!({ "id": "12" }))).await;
    let reply = client_for(&server).tags().create_group().await.unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/tags/groups", None);
    assert_json_body(&request, r#"{"data":{}}"#);
    assert_eq!(reply.data.unwrap().id, "12");
}

// ---------------------------------------------------------------- Sms

#[tokio::test]
async fn sms_send_sends_json_data_to_an_encrypted_stream() {
    let server = server_answering(envelope(json!("Message sent"))).await;
    let reply = client_for(&server)
        .sms()
        .send(ENCRYPTED)
        .number("447700900123")
        .message("Your code is 1234 & it is valid for \"5\" minutes")
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "POST",
        &format!("/sms/sendsms/{ENCRYPTED_SEGMENT}"),
        None,
    );
    assert_json_body(
        &request,
        r#"{"data":{"Number":"447700900123","Message":"Your code is 1234 & it is valid for \"5\" minutes"}}"#,
    );
    assert_eq!(reply.data.as_deref(), Some("Message sent"));
}

#[tokio::test]
async fn sms_send_initial_text_has_only_path_parameters() {
    let server = server_answering(envelope(json!("Initial text sent"))).await;
    let reply = client_for(&server)
        .sms()
        .send_initial_text(ENCRYPTED, 447700900123)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "POST",
        &format!("/sms/sendinitialtext/{ENCRYPTED_SEGMENT}/447700900123"),
        None,
    );
    assert_no_body(&request);
    assert_eq!(reply.data.as_deref(), Some("Initial text sent"));
}

// ---------------------------------------------------------------- WhatsApp

#[tokio::test]
async fn whatsapp_send_template_sends_a_data_array() {
    let server = server_answering(envelope(json!([{
        "recipient": "447700900123",
        "id": "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgSMEQ5QTc2QzM2RjA1RTlGNkI2AA==",
        "status": 200,
        "object_id": 1839204500
    }])))
    .await;
    let message = WhatsAppTemplateMessage {
        schedule: None,
        template_data: WhatsAppTemplateData {
            to: "447700900123".into(),
            template: WhatsAppTemplate {
                name: "order_update".into(),
                language: WhatsAppLanguage {
                    code: Some("en_GB".into()),
                },
                components: Some(vec![WhatsAppComponent {
                    r#type: Some(WhatsAppComponentType::Body),
                    parameters: Some(vec![WhatsAppParameter {
                        r#type: Some(WhatsAppParameterType::Text),
                        text: Some("55120".into()),
                        ..WhatsAppParameter::default()
                    }]),
                    ..WhatsAppComponent::default()
                }]),
            },
        },
        object_data: Some(WhatsAppObjectData {
            create_child_object: Some(true),
            status_id: Some(ObjectStatus::Resolved),
            ..WhatsAppObjectData::default()
        }),
    };
    let reply = client_for(&server)
        .whats_app()
        .send_template(ENCRYPTED, vec![message])
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "POST",
        &format!("/v2/whatsapp/sendtemplatedmessage/{ENCRYPTED_SEGMENT}"),
        None,
    );
    assert_json_body(
        &request,
        r#"{"data":[{"template_data":{"to":"447700900123","template":{"name":"order_update","language":{"code":"en_GB"},"components":[{"type":"body","parameters":[{"type":"text","text":"55120"}]}]}},"object_data":{"createChildObject":true,"StatusId":2}}]}"#,
    );
    let results = reply.data.unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].recipient.as_deref(), Some("447700900123"));
    assert_eq!(
        results[0].id.as_deref(),
        Some("wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgSMEQ5QTc2QzM2RjA1RTlGNkI2AA==")
    );
    assert_eq!(results[0].status, Some(200));
    assert_eq!(results[0].object_id, Some(1839204500));
    assert_eq!(results[0].failed, None);
}

#[tokio::test]
async fn whatsapp_upload_media_sends_one_file_part_named_pic() {
    let server = server_answering(envelope(json!([
        { "filename": "brochure.pdf", "id": "1290384756123456" }
    ])))
    .await;
    let pdf = b"%PDF-1.4\n\x00\xff binary \r\n--not-a-boundary\n%%EOF".to_vec();
    let reply = client_for(&server)
        .whats_app()
        .upload_media(
            ENCRYPTED,
            FilePart::new("brochure.pdf", pdf.clone()).mime("application/pdf"),
        )
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "POST",
        &format!("/whatsapp/uploadmedia/{ENCRYPTED_SEGMENT}"),
        None,
    );
    let parts = multipart_parts(&request);
    assert_eq!(parts.len(), 1);
    assert_eq!(
        parts[0].disposition(),
        r#"form-data; name="pic"; filename="brochure.pdf""#
    );
    assert_eq!(parts[0].header("content-type"), Some("application/pdf"));
    assert_eq!(parts[0].content, pdf);
    let media = reply.data.unwrap();
    assert_eq!(media.len(), 1);
    assert_eq!(media[0].id, "1290384756123456");
    assert_eq!(media[0].filename.as_deref(), Some("brochure.pdf"));
}

#[tokio::test]
async fn whatsapp_send_campaign_sends_text_parts_and_a_file_part_in_spec_order() {
    let server = server_answering(envelope(json!("Campaign created"))).await;
    let reply = client_for(&server)
        .whats_app()
        .send_campaign()
        .audience_file(FilePart::new("audience.csv", "phone1\n447700900123\n"))
        .notify_mail("ops@example.com")
        .scheduled_date(1722930712)
        .save_as_new_audience(true)
        .template_name("spring_sale")
        .language_code("en")
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/whatsapp/campaign", None);
    let parts = multipart_parts(&request);
    let seen: Vec<(&str, &str)> = parts.iter().map(|p| (p.disposition(), p.text())).collect();
    assert_eq!(
        seen,
        [
            (
                r#"form-data; name="audience_file"; filename="audience.csv""#,
                "phone1\n447700900123\n"
            ),
            (r#"form-data; name="notify_mail""#, "ops@example.com"),
            (r#"form-data; name="scheduled_date""#, "1722930712"),
            (r#"form-data; name="save_as_new_audience""#, "true"),
            (r#"form-data; name="template_name""#, "spring_sale"),
            (r#"form-data; name="language_code""#, "en"),
        ]
    );
    // FilePart documents `application/octet-stream` when no type is set.
    assert_eq!(
        parts[0].header("content-type"),
        Some("application/octet-stream")
    );
    for text_part in &parts[1..] {
        assert_eq!(text_part.header("content-type"), None);
    }
    assert_eq!(reply.data.as_deref(), Some("Campaign created"));
}

#[tokio::test]
async fn whatsapp_send_emarsys_template_sends_flat_json_with_dotted_keys() {
    let server = server_answering(envelope(json!([
        { "recipient": "447700900123", "status": "200", "object_id": "1839204501" }
    ])))
    .await;
    let reply = client_for(&server)
        .whats_app()
        .send_emarsys_template(ENCRYPTED, "447700900123", "welcome", "en")
        .header_type(EmarsysHeaderType::Image)
        .header_value("https://cdn.example.com/a.png")
        .body_1_value("Sam")
        .object_status_id(ObjectStatus::Open)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "POST",
        &format!("/emarsys/sendwhatsapptemplate/{ENCRYPTED_SEGMENT}"),
        None,
    );
    assert_json_body(
        &request,
        r#"{"to":"447700900123","templateName":"welcome","template.language.code":"en","header.type":"image","header.value":"https://cdn.example.com/a.png","body.1.value":"Sam","object.statusid":1}"#,
    );
    let results = reply.data.unwrap();
    assert_eq!(results[0].recipient.as_deref(), Some("447700900123"));
    assert_eq!(results[0].status, Some(200));
    assert_eq!(results[0].object_id, Some(1839204501));
}

#[tokio::test]
async fn whatsapp_list_templates_joins_string_and_enum_lists() {
    let server = server_answering(envelope(json!([
        { "name": "order_update", "category": "UTILITY" }
    ])))
    .await;
    let reply = client_for(&server)
        .whats_app()
        .list_templates(ENCRYPTED)
        .language(vec!["en_GB".to_owned(), "pt BR".to_owned()])
        .category(vec![
            WhatsAppTemplateCategory::Marketing,
            WhatsAppTemplateCategory::Utility,
        ])
        .limit(200)
        .offset(0)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        &format!("/whatsapp/templates/{ENCRYPTED_SEGMENT}"),
        Some("language=en_GB,pt%20BR&category=MARKETING,UTILITY&limit=200&offset=0"),
    );
    let templates = reply.data.unwrap();
    assert_eq!(
        templates,
        [json!({ "name": "order_update", "category": "UTILITY" })]
    );
}

// ---------------------------------------------------------------- Users

#[tokio::test]
async fn users_get_decodes_a_customer_with_identities() {
    let server = server_answering(envelope(json!({
        "id": 88123,
        "firstName": "Sam",
        "lastName": "Jones",
        "phone1": "447700900123",
        "permissionId": 1,
        "numIdentities": 2,
        "identities": [
            { "identityId": 90412, "streamProviderId": "sam.jones@example.com", "streamProviderType": 4 },
            { "identityId": "90413", "streamProviderType": 99 }
        ]
    })))
    .await;
    let reply = client_for(&server)
        .users()
        .get(88123)
        .stream_provider_type(StreamProviderType::Mail)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/users/88123",
        Some("streamProviderType=4"),
    );
    let customer = reply.data.unwrap();
    assert_eq!(customer.id, 88123);
    assert_eq!(customer.first_name.as_deref(), Some("Sam"));
    assert_eq!(customer.phone1.as_deref(), Some("447700900123"));
    assert_eq!(customer.permission_id, Some(PermissionType::Customer));
    assert_eq!(customer.num_identities, Some(2));
    let identities = customer.identities.unwrap();
    assert_eq!(identities[0].identity_id, Some(90412));
    assert_eq!(
        identities[0].stream_provider_type,
        Some(StreamProviderType::Mail)
    );
    assert_eq!(identities[1].identity_id, Some(90413));
    assert_eq!(
        identities[1].stream_provider_type,
        Some(StreamProviderType::Unknown(99))
    );
}

#[tokio::test]
async fn users_update_sends_json_data_with_a_json_field() {
    let server = server_answering(envelope(json!({ "Id": 88123 }))).await;
    let reply = client_for(&server)
        .users()
        .update(88123)
        .first_name("Sam")
        .email("sam.jones@example.com")
        .content(json!({ "tier": "gold" }))
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/users/88123", None);
    assert_json_body(
        &request,
        r#"{"data":{"FirstName":"Sam","Email":"sam.jones@example.com","Content":{"tier":"gold"}}}"#,
    );
    assert_eq!(reply.data.unwrap().id, 88123);
}

#[tokio::test]
async fn users_get_objects_v2_reads_a_body_that_is_not_an_envelope() {
    let server = server_answering(json!({
        "totalUnreadChatMessages": 2,
        "status": 200,
        "description": "Operation successful",
        "response_time": "2024-08-06T07:51:43.2922459Z",
        "data": [{ "objectId": 1839204411, "moduleId": 9, "statusId": 1 }]
    }))
    .await;
    let reply = client_for(&server)
        .users()
        .get_objects_v2(90413)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "GET", "/v2/users/identities/90413/objects", None);
    assert_eq!(reply.status, 200);
    let page = reply.data.unwrap();
    assert_eq!(page.total_unread_chat_messages, Some(2));
    assert_eq!(page.status, Some(200));
    assert_eq!(
        page.response_time,
        Some(time("2024-08-06T07:51:43.2922459Z"))
    );
    let objects = page.data.unwrap();
    assert_eq!(objects[0].object_id, Some(1839204411));
    assert_eq!(objects[0].module_id, Some(ModuleType::Chat));
}

#[tokio::test]
#[allow(deprecated)]
async fn users_get_by_address_escapes_query_values() {
    let server = server_answering(envelope(
        json!({ "id": 88123, "email": "sam+shop@example.com" }),
    ))
    .await;
    let reply = client_for(&server)
        .users()
        .get_by_address("sam+shop@example.com", StreamProviderType::Mail)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/users",
        Some("streamProviderId=sam%2Bshop%40example.com&streamProviderType=4"),
    );
    let customer = reply.data.unwrap();
    assert_eq!(customer.id, 88123);
    assert_eq!(customer.email.as_deref(), Some("sam+shop@example.com"));
}

// ---------------------------------------------------------------- Managers

#[tokio::test]
async fn managers_create_sends_required_body_arguments() {
    let server = server_answering(envelope(json!({ "id": 311 }))).await;
    let reply = client_for(&server)
        .managers()
        .create("Dana", "Levi", "dana@example.com", false, "S3cret!pass")
        .team_id(12)
        .permission_id(PermissionType::Agent)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/managers", None);
    assert_json_body(
        &request,
        r#"{"data":{"FirstName":"Dana","LastName":"Levi","Email":"dana@example.com","IsAdmin":false,"Password":"S3cret!pass","TeamId":12,"PermissionId":2}}"#,
    );
    assert_eq!(reply.data.unwrap().id, 311);
}

#[tokio::test]
async fn managers_get_decodes_a_manager() {
    let server = server_answering(envelope(json!({
        "id": 311,
        "firstName": "Dana",
        "permissionId": 3,
        "teamId": 12,
        "teamName": "Support",
        "maxSyncObjectsAssignments": "5"
    })))
    .await;
    let reply = client_for(&server).managers().get(311).await.unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "GET", "/managers/311", None);
    assert_no_body(&request);
    let manager = reply.data.unwrap();
    assert_eq!(manager.id, 311);
    assert_eq!(manager.first_name.as_deref(), Some("Dana"));
    assert_eq!(manager.permission_id, Some(PermissionType::Admin));
    assert_eq!(manager.team_id, Some(12));
    assert_eq!(manager.team_name.as_deref(), Some("Support"));
    assert_eq!(manager.max_sync_objects_assignments, Some(5));
    assert_eq!(manager.email, None);
}

// ---------------------------------------------------------------- Profiles

#[tokio::test]
async fn profiles_add_to_manager_joins_ids_and_leaves_out_an_empty_list() {
    let server = server_answering(envelope(json!([
        { "id": 4, "name": "Billing", "UniqueName": "billing" },
        { "id": 9, "name": "Returns" }
    ])))
    .await;
    let reply = client_for(&server)
        .profiles()
        .add_to_manager(311)
        .add(vec![4, 9])
        .set(vec![])
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/managers/311/profiles", Some("add=4,9"));
    assert!(request.body.is_empty());
    let profiles = reply.data.unwrap();
    assert_eq!(profiles.len(), 2);
    assert_eq!(profiles[0].id, 4);
    assert_eq!(profiles[0].name.as_deref(), Some("Billing"));
    assert_eq!(profiles[0].unique_name.as_deref(), Some("billing"));
    assert_eq!(profiles[1].id, 9);
    assert_eq!(profiles[1].unique_name, None);
}

// ---------------------------------------------------------------- Presence

#[tokio::test]
async fn presence_set_posts_to_the_activity_path() {
    let server = server_answering(envelope(json!({
        "presence_type": 2,
        "type_id": 2,
        "name": "Busy"
    })))
    .await;
    let reply = client_for(&server).presence().set(311, 2).await.unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/managers/311/presence/2", None);
    assert_no_body(&request);
    let presence = reply.data.unwrap();
    assert_eq!(presence.presence_type, Some(PresenceType::Busy));
    assert_eq!(presence.type_id, Some(2));
    assert_eq!(presence.name.as_deref(), Some("Busy"));
}

// ---------------------------------------------------------------- Assignments

#[tokio::test]
async fn assignments_assign_and_unassign_send_the_object_in_the_query() {
    let server = server_answering(envelope(json!("OK"))).await;
    let client = client_for(&server);
    let assigned = client.assignments().assign(311, 1839204411).await.unwrap();
    let unassigned = client
        .assignments()
        .unassign(311, 1839204411)
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_request(
        &requests[0],
        "POST",
        "/managers/311/assignments",
        Some("objectId=1839204411"),
    );
    assert_request(
        &requests[1],
        "DELETE",
        "/managers/311/assignments",
        Some("objectId=1839204411"),
    );
    assert_eq!(assigned.data.as_deref(), Some("OK"));
    assert_eq!(unassigned.data.as_deref(), Some("OK"));
}

#[tokio::test]
async fn assignments_get_decodes_counts() {
    let server = server_answering(envelope(json!([
        { "AssignedObjectsCount": 3, "StreamTypeId": 4, "ModuleId": 6, "ModuleUniqueName": "mailbox" }
    ])))
    .await;
    let reply = client_for(&server).assignments().get(311).await.unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "GET", "/managers/311/assignments", None);
    let counts = reply.data.unwrap();
    assert_eq!(counts[0].assigned_objects_count, Some(3));
    assert_eq!(counts[0].stream_type_id, Some(4));
    assert_eq!(counts[0].module_id, Some(ModuleType::MailboxConnector));
    assert_eq!(counts[0].module_unique_name.as_deref(), Some("mailbox"));
}

// ---------------------------------------------------------------- Teams

#[tokio::test]
async fn teams_create_escapes_the_name_in_the_query() {
    let server = server_answering(envelope(json!({ "id": 12 }))).await;
    let reply = client_for(&server)
        .teams()
        .create("Night shift & weekends")
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "POST",
        "/managers/teams",
        Some("Name=Night%20shift%20%26%20weekends"),
    );
    assert!(request.body.is_empty());
    assert_eq!(reply.data.unwrap().id, 12);
}

#[tokio::test]
async fn teams_list_without_the_optional_name_has_no_query() {
    let server = server_answering(envelope(json!([
        { "teamId": 12, "name": "Night shift" },
        { "teamId": "13", "name": "Day shift" }
    ])))
    .await;
    let reply = client_for(&server).teams().list().await.unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "GET", "/managers/teams", None);
    let teams = reply.data.unwrap();
    assert_eq!(teams[0].team_id, 12);
    assert_eq!(teams[0].name.as_deref(), Some("Night shift"));
    assert_eq!(teams[1].team_id, 13);
}

// ---------------------------------------------------------------- Forms

#[tokio::test]
async fn forms_create_predefined_link_sends_the_file_under_an_empty_name() {
    let server = server_answering(envelope(json!({
        "conversation_id": "1839204621",
        "form_link": "https://forms.commbox.io/f/8e1d0c7a4b3f4f9c9a1e2d3c4b5a6978"
    })))
    .await;
    let reply = client_for(&server)
        .forms()
        .create_predefined_link(
            28,
            "sam.jones@example.com",
            StreamProviderType::Mail,
            FilePart::new("contract.pdf", b"%PDF-1.7 contract".to_vec()).mime("application/pdf"),
        )
        .referring_object_id(1839204411)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/forms/createpredefinedlink/28", None);
    let parts = multipart_parts(&request);
    let seen: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|p| (p.disposition(), p.content.as_slice()))
        .collect();
    assert_eq!(
        seen,
        [
            (
                r#"form-data; name="streamProviderId""#,
                b"sam.jones@example.com".as_slice()
            ),
            (r#"form-data; name="streamProviderType""#, b"4".as_slice()),
            (
                r#"form-data; name="referringObjectId""#,
                b"1839204411".as_slice()
            ),
            (
                r#"form-data; name=""; filename="contract.pdf""#,
                b"%PDF-1.7 contract".as_slice()
            ),
        ]
    );
    assert_eq!(parts[3].header("content-type"), Some("application/pdf"));
    let link = reply.data.unwrap();
    assert_eq!(link.conversation_id.as_deref(), Some("1839204621"));
    assert_eq!(
        link.form_link.as_deref(),
        Some("https://forms.commbox.io/f/8e1d0c7a4b3f4f9c9a1e2d3c4b5a6978")
    );
}

#[tokio::test]
async fn forms_create_link_sends_json_data() {
    let server = server_answering(envelope(json!({
        "conversation_id": 1839204620u64,
        "form_link": "https://forms.commbox.io/f/1"
    })))
    .await;
    let reply = client_for(&server)
        .forms()
        .create_link(28)
        .stream_provider_id("447700900123")
        .stream_provider_type(StreamProviderType::Telephone)
        .auto_upload(false)
        .properties(json!({ "name": "Sam" }))
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/forms/createlink/28", None);
    assert_json_body(
        &request,
        r#"{"data":{"streamProviderId":"447700900123","streamProviderType":5,"autoUpload":false,"properties":{"name":"Sam"}}}"#,
    );
    let link = reply.data.unwrap();
    // A string field keeps an id sent as a number, digit for digit.
    assert_eq!(link.conversation_id.as_deref(), Some("1839204620"));
    assert_eq!(
        link.form_link.as_deref(),
        Some("https://forms.commbox.io/f/1")
    );
}

// ---------------------------------------------------------------- Authentication

#[tokio::test]
async fn authentication_create_ticket_sends_json_data() {
    let server = server_answering(envelope(json!({
        "encpryptedString": "q8Jz1xV0c2VyPTQ0Nw=="
    })))
    .await;
    let reply = client_for(&server)
        .authentication()
        .create_ticket()
        .brand("shop")
        .email("sam.jones@example.com")
        .one_time_use(true)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/auth/ticket", None);
    assert_json_body(
        &request,
        r#"{"data":{"brand":"shop","email":"sam.jones@example.com","oneTimeUse":true}}"#,
    );
    assert_eq!(
        reply.data.unwrap().encprypted_string.as_deref(),
        Some("q8Jz1xV0c2VyPTQ0Nw==")
    );
}

// ---------------------------------------------------------------- Automation

#[tokio::test]
async fn automation_get_context_sends_a_required_string_list() {
    let server = server_answering(envelope(
        json!({ "orderId": "55120", "customer name": "Sam" }),
    ))
    .await;
    let reply = client_for(&server)
        .automation()
        .get_context(
            1839204411,
            vec!["orderId".to_owned(), "customer name".to_owned()],
        )
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/automation/objects/1839204411/context",
        Some("properties=orderId,customer%20name"),
    );
    assert_eq!(
        reply.data,
        Some(json!({ "orderId": "55120", "customer name": "Sam" }))
    );
}

#[tokio::test]
async fn automation_jump_to_node_sends_json_data() {
    let server = server_answering(envelope(json!({ "id": "1839204411" }))).await;
    let reply = client_for(&server)
        .automation()
        .jump_to_node(1839204411)
        .address("node/7")
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "POST",
        "/automation/objects/1839204411/context/jump",
        None,
    );
    assert_json_body(&request, r#"{"data":{"address":"node/7"}}"#);
    assert_eq!(reply.data.unwrap().id, "1839204411");
}

// ---------------------------------------------------------------- AiServices

#[tokio::test]
async fn ai_services_request_summary_sends_flat_json_and_reads_a_bare_body() {
    let server = server_answering(json!({
        "status": "Initialized",
        "answer": "",
        "action_id": "AI_API_SUMMARY_3f0c2a9e-7b41-4d8e-9c55-1e2f6a7b8c90"
    }))
    .await;
    let reply = client_for(&server)
        .ai_services()
        .request_summary("Agent: hello\nCustomer: my order is late", "en")
        .callback_url("https://hooks.example.com/summary")
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/ai-services/summary_conversation", None);
    assert_json_body(
        &request,
        r#"{"text":"Agent: hello\nCustomer: my order is late","language":"en","callback_url":"https://hooks.example.com/summary"}"#,
    );
    assert_eq!(reply.status, 200);
    let summary = reply.data.unwrap();
    assert_eq!(summary.status, Some(AiSummaryStatus::Initialized));
    assert_eq!(summary.answer.as_deref(), Some(""));
    assert_eq!(
        summary.action_id,
        "AI_API_SUMMARY_3f0c2a9e-7b41-4d8e-9c55-1e2f6a7b8c90"
    );
}

#[tokio::test]
async fn ai_services_get_summary_sends_the_action_in_the_query() {
    let server = server_answering(json!({
        "status": "Completed",
        "answer": "The customer asks about a late order.",
        "action_id": "AI_API_SUMMARY_1"
    }))
    .await;
    let reply = client_for(&server)
        .ai_services()
        .get_summary("AI_API_SUMMARY_1")
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/ai-services/summary_conversation",
        Some("action_id=AI_API_SUMMARY_1"),
    );
    let summary = reply.data.unwrap();
    assert_eq!(summary.status, Some(AiSummaryStatus::Completed));
    assert_eq!(
        summary.answer.as_deref(),
        Some("The customer asks about a late order.")
    );
}

// ---------------------------------------------------------------- Surveys

#[tokio::test]
async fn surveys_add_external_response_sends_json_data_and_expects_no_data() {
    let server = server_answering(json!({
        "status": 200,
        "description": "Survey response saved",
        "response_time": "2024-08-06T07:52:10.0000001Z"
    }))
    .await;
    let reply = client_for(&server)
        .surveys()
        .add_external_response(
            1839204411,
            1410,
            "q1",
            "How was it?",
            vec!["Good".to_owned(), "Bad".to_owned()],
            "Good",
        )
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(&request, "POST", "/objects/1839204411/survey", None);
    assert_json_body(
        &request,
        r#"{"data":{"surveyStreamId":1410,"questionId":"q1","questionText":"How was it?","answerOptions":["Good","Bad"],"selectedAnswer":"Good"}}"#,
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.description, "Survey response saved");
    assert_eq!(
        reply.response_time,
        Some(time("2024-08-06T07:52:10.0000001Z"))
    );
}

// ---------------------------------------------------------------- form-data

/// A spec of our own: spec/cirrus.json has no `form-data` operation.
mod form_api {
    cirrus_client::generate!("specs/wire-form.json");
}

#[tokio::test]
async fn form_data_sends_one_urlencoded_field_holding_the_json_object() {
    let server = server_answering(envelope(json!({ "id": 1839204412 }))).await;
    let client = form_api::Client::builder()
        .token("test-token")
        .base_url(server.uri())
        .build()
        .unwrap();
    let reply = client
        .legacy()
        .create_object(ENCRYPTED, "a b&c=d+é")
        .status_id(1)
        .send_to_client(true)
        .content(json!({ "channel": "web" }))
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "POST",
        &format!("/streams/{ENCRYPTED_SEGMENT}/objects"),
        None,
    );
    assert_eq!(
        header(&request, "content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    // {"Message":"a b&c=d+é","StatusId":1,"sendToClient":true,"Content":{"channel":"web"}}
    // encoded as an HTML form value: space as `+`, everything else escaped.
    assert_eq!(
        body_text(&request),
        "data=%7B%22Message%22%3A%22a+b%26c%3Dd%2B%C3%A9%22%2C%22StatusId%22%3A1%2C\
         %22sendToClient%22%3Atrue%2C%22Content%22%3A%7B%22channel%22%3A%22web%22%7D%7D"
    );
    assert_eq!(reply.data.unwrap().id, 1839204412);
}
