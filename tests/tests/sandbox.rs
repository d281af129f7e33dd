//! The sandbox against the typed client, over HTTP on 127.0.0.1.
//!
//! - every operation of `spec/cirrus.json` is called (the test walks the
//!   spec, so a new operation is covered without editing it) and answers
//!   200 with a body that decodes as the spec types it;
//! - every status of the API's table is produced and mapped to its kind;
//! - the conversation flow keeps state: paging, status filter, content,
//!   remarks, the activity log, customers and agents;
//! - faults reach the client as the errors they imitate.

use cirrus_client::types::{ObjectStatus, ObjectType};
use cirrus_client::{Client, ErrorKind, FilePart, ListStyle, RequestParts, RetryPolicy};
use cirrus_sandbox::{Faults, RateLimit, RunningSandbox, SEED_ID, Sandbox};
use cirrus_spec::example::{example_mismatches, mismatches};
use cirrus_spec::{
    EnumCode, Module, Operation, ParamLocation, PathSegment, Spec, TypeKind, TypeRef,
};
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

/// The spec as it is on disk now.
fn spec_text() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/cirrus.json");
    std::fs::read_to_string(path).expect("spec/cirrus.json is readable")
}

/// A client for the sandbox that sends each call once, so that a test sees
/// the sandbox's one answer.
fn client_for(sandbox: &RunningSandbox) -> Client {
    Client::builder()
        .token(sandbox.token())
        .base_url(sandbox.url())
        .retry(RetryPolicy::never())
        .build()
        .expect("a loopback URL is accepted")
}

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

/// The client's description of a spec operation.
fn client_operation(module: &Module, op: &Operation) -> &'static cirrus_client::Operation {
    Box::leak(Box::new(cirrus_client::Operation {
        module: leak(&module.name),
        name: leak(&op.name),
        method: op.method.as_str(),
        path: leak(&op.path.raw),
        body: op.body.as_str(),
        envelope: op.envelope,
    }))
}

/// A valid value of a type: the sandbox's seed id for integers (so that
/// reads find a record), `"1"` for strings, an enumeration's first code,
/// an object with its required fields.
fn sample(spec: &Spec, ty: &TypeRef, depth: usize) -> Value {
    match ty {
        TypeRef::String => json!(SEED_ID.to_string()),
        TypeRef::Boolean => json!(true),
        TypeRef::Int32 | TypeRef::Int64 => json!(SEED_ID),
        TypeRef::Number => json!(1.5),
        TypeRef::Timestamp => json!("2024-08-06T07:51:52.2581942Z"),
        TypeRef::Json => json!({}),
        TypeRef::File => Value::Null,
        TypeRef::List(inner) => json!([sample(spec, inner, depth + 1)]),
        TypeRef::Named(name) => match spec.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Enum(def)) => match def.values.first().map(|v| &v.code) {
                Some(EnumCode::Integer(code)) => json!(code),
                Some(EnumCode::String(code)) => json!(code),
                None => json!(0),
            },
            Some(TypeKind::Object(fields)) => {
                let mut object = Map::new();
                if depth < 4 {
                    for field in fields.iter().filter(|f| f.required) {
                        object.insert(field.json_name.clone(), sample(spec, &field.ty, depth + 1));
                    }
                }
                Value::Object(object)
            }
            None => json!("1"),
        },
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A request for `op` with a valid value for every parameter, required
/// and optional.
fn request_for(spec: &Spec, module: &Module, op: &Operation) -> RequestParts {
    let mut request = RequestParts::new(client_operation(module, op));
    let param = |name: &str| op.parameters.iter().find(|p| p.name == name);
    for segment in &op.path.segments {
        match segment {
            PathSegment::Literal(text) => request.segment(leak(text)),
            PathSegment::Param(name) => {
                let ty = param(name).map_or(TypeRef::String, |p| p.ty.clone());
                let value = text_of(&sample(spec, &ty, 0));
                request
                    .path_param(name, value.as_str())
                    .expect("a sample value is a usable segment");
            }
        }
    }
    for p in op.parameters_in(ParamLocation::Query) {
        match (&p.ty, sample(spec, &p.ty, 0)) {
            (TypeRef::List(_), Value::Array(items)) => {
                let texts: Vec<String> = items.iter().map(text_of).collect();
                let style = match p.style {
                    cirrus_spec::ListStyle::Comma => ListStyle::Comma,
                    cirrus_spec::ListStyle::Repeat => ListStyle::Repeat,
                };
                request.query_list(&p.name, &texts, style);
            }
            (_, value) => request.query(&p.name, text_of(&value).as_str()),
        }
    }
    for p in op.parameters_in(ParamLocation::Body) {
        let is_file_list = matches!(&p.ty, TypeRef::List(inner) if **inner == TypeRef::File);
        if p.ty == TypeRef::File || is_file_list {
            let file =
                FilePart::new("sample.csv", b"phone1\n442079832100\n".to_vec()).mime("text/csv");
            request.body_file(leak(&p.name), &file);
        } else {
            request
                .body_field(leak(&p.name), &sample(spec, &p.ty, 0))
                .expect("a JSON value is a body field");
        }
    }
    request
}

#[tokio::test]
async fn every_operation_of_the_spec_answers_and_decodes() {
    let text = spec_text();
    let spec = cirrus_spec::load(&text).expect("the spec loads");
    let sandbox = Sandbox::builder()
        .spec_text(text.clone())
        .start()
        .await
        .expect("the sandbox starts");
    let client = client_for(&sandbox);

    let total = spec.operations().count();
    let mut answered = 0;
    let mut failures = Vec::new();
    for (module, op) in spec.operations() {
        let key = format!("{}.{}", module.name, op.name);
        // Each operation meets the seed records as the sandbox starts.
        sandbox.reset();
        let request = request_for(&spec, module, op);
        match client.transport().send::<Value>(request).await {
            Ok(envelope) => {
                let mut reasons = if op.envelope {
                    let mut reasons = match (&op.response, &envelope.data) {
                        (Some(ty), Some(data)) => mismatches(&spec, ty, data, "data"),
                        _ => Vec::new(),
                    };
                    if envelope.status != 200 {
                        reasons.push(format!("envelope status {}", envelope.status));
                    }
                    if envelope.response_time.is_none() {
                        reasons.push("no response_time".to_owned());
                    }
                    reasons
                } else {
                    let body = envelope.data.clone().unwrap_or(Value::Null);
                    example_mismatches(&spec, op, &body)
                };
                if sandbox.requests(&key) != 1 {
                    reasons.push(format!(
                        "routed elsewhere: the sandbox counted {:?}",
                        sandbox
                            .request_counts()
                            .into_iter()
                            .filter(|(_, n)| *n > 0)
                            .collect::<Vec<_>>()
                    ));
                }
                if reasons.is_empty() {
                    answered += 1;
                } else {
                    failures.push(format!("{key}: {}", reasons.join("; ")));
                }
            }
            Err(error) => failures.push(format!("{key}: {error}")),
        }
    }
    println!("{answered} of {total} operations answered 200 and decoded");
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
    assert_eq!(answered, total);
    // The spec describes 76 operations today; the count above follows it.
    assert!(total >= 76, "the spec lost operations: {total}");
}

#[tokio::test]
async fn each_status_of_the_table_comes_from_the_sandbox_as_its_kind() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = client_for(&sandbox);

    // 200
    let ok = client.core().system_status().await.unwrap();
    assert_eq!(ok.status, 200);
    assert_eq!(ok.description, "Operation successful");

    // 400: a parameter the sandbox refuses, named in the description.
    let error = client
        .streams()
        .get_objects("1")
        .page_number(-1)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadRequest);
    assert_eq!(error.status(), Some(400));
    assert_eq!(
        error.description(),
        Some("Invalid parameter pageNumber (query): -1 is below 0 (pages count from 0)")
    );

    // 400: a path segment that is not its type, sent past the typed client.
    let spec = cirrus_spec::load(&spec_text()).unwrap();
    let (module, op) = spec
        .operations()
        .find(|(m, o)| m.name == "Objects" && o.name == "Get")
        .unwrap();
    let mut request = RequestParts::new(client_operation(module, op));
    request.segment("streams");
    request.path_param("STREAM_ID", "1").unwrap();
    request.segment("objects");
    request.path_param("OBJECT_ID", "abc").unwrap();
    let error = client.transport().send::<Value>(request).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BadRequest);
    assert_eq!(
        error.description(),
        Some("Invalid parameter OBJECT_ID (path): \"abc\" is not an int64")
    );

    // 401
    let stranger = Client::builder()
        .token("not-the-token")
        .base_url(sandbox.url())
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let error = stranger.core().system_status().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unauthorized);
    assert_eq!(error.status(), Some(401));
    assert!(error.www_authenticate().unwrap().starts_with("Bearer"));

    // 404: an id that does not exist.
    let error = client.objects().get("1", 424_242).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!(
        error.description(),
        Some("Conversation 424242 does not exist")
    );
    let error = client.managers().get(424_242).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);

    // 429, forced, with Retry-After.
    sandbox.throttle_next(1);
    let error = client.core().system_status().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Throttled);
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
    // Only the next request was throttled.
    client.core().system_status().await.unwrap();

    // 500, a fault.
    sandbox.set_faults(Faults {
        server_error_share: 1.0,
        ..Faults::default()
    });
    let error = client.core().system_status().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServerError);
    assert_eq!(error.status(), Some(500));
    sandbox.set_faults(Faults::default());

    // 501: a method the spec does not list on a known path.
    let not_listed = Box::leak(Box::new(cirrus_client::Operation {
        module: "Core",
        name: "SystemStatusPatch",
        method: "PATCH",
        path: "/core/systemstatus",
        body: "none",
        envelope: true,
    }));
    let mut request = RequestParts::new(not_listed);
    request.segment("core");
    request.segment("systemstatus");
    let error = client.transport().send::<Value>(request).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotImplemented);
    assert_eq!(error.status(), Some(501));
    assert_eq!(
        error.description(),
        Some("PATCH is not supported on /core/systemstatus (the API offers GET there)")
    );
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_whole_seconds() {
    let sandbox = Sandbox::builder()
        .rate_limit(RateLimit {
            requests: 2,
            per: Duration::from_secs(30),
        })
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    client.core().system_status().await.unwrap();
    client.core().system_status().await.unwrap();
    let error = client.core().system_status().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Throttled);
    // The window of 30 s has just begun: the wait is 29 or 30 s.
    let wait = error.retry_after().expect("Retry-After is sent").as_secs();
    assert!((29..=30).contains(&wait), "{wait}");
}

#[tokio::test]
async fn the_stream_list_pages_and_filters_by_status() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = client_for(&sandbox);
    let stream = "pages==";
    let mut ids = Vec::new();
    for text in ["first", "second", "third"] {
        let created = client.objects().create(stream, text).await.unwrap();
        ids.push(created.data.unwrap().id);
    }
    // One counter for every record: conversation, customer, identity.
    assert_eq!(ids, [101, 104, 107]);
    client
        .objects()
        .set_status(ids[1], ObjectStatus::Resolved)
        .await
        .unwrap();

    let listed = |page: i32| {
        let client = client.clone();
        async move {
            let answer = client
                .streams()
                .get_objects(stream)
                .page_number(page)
                .page_size(2)
                .await
                .unwrap();
            answer
                .data
                .unwrap()
                .iter()
                .map(|o| o.object_id.unwrap())
                .collect::<Vec<_>>()
        }
    };
    // Newest first by default; pages count from 0.
    assert_eq!(listed(0).await, [107, 104]);
    assert_eq!(listed(1).await, [101]);
    assert_eq!(listed(2).await, Vec::<i64>::new());

    let resolved = client
        .streams()
        .get_objects(stream)
        .status(vec![ObjectStatus::Resolved])
        .await
        .unwrap()
        .data
        .unwrap();
    assert_eq!(resolved.len(), 1);
    assert_eq!(resolved[0].object_id, Some(104));
    assert_eq!(resolved[0].status_id, Some(ObjectStatus::Resolved));
    assert!(resolved[0].closed_time.is_some());

    let oldest_first = client
        .streams()
        .get_objects(stream)
        .sort(cirrus_client::types::SortDirection::Asc)
        .status(vec![ObjectStatus::Open])
        .await
        .unwrap()
        .data
        .unwrap();
    let ids: Vec<_> = oldest_first.iter().map(|o| o.object_id.unwrap()).collect();
    assert_eq!(ids, [101, 107]);
}

#[tokio::test]
async fn content_remarks_and_the_activity_log_show_on_the_next_read() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = client_for(&sandbox);
    let id = client
        .objects()
        .create("1", "Printer on fire")
        .r#type(ObjectType::Mail)
        .content(json!({"subject": "Help"}))
        .await
        .unwrap()
        .data
        .unwrap()
        .id;
    client
        .objects()
        .set_content(id, json!({"priority": "high"}))
        .await
        .unwrap();
    client
        .objects()
        .add_remark(id)
        .text("Called the customer back")
        .manager_id(SEED_ID)
        .await
        .unwrap();
    client
        .objects()
        .add_activity_log(id)
        .text("Ticket opened")
        .source("CRM")
        .await
        .unwrap();

    let read = client.objects().get("1", id).await.unwrap().data.unwrap();
    let content = read[0].content.clone().unwrap();
    let content: Value = serde_json::from_str(content.as_str().unwrap()).unwrap();
    assert_eq!(content, json!({"subject": "Help", "priority": "high"}));

    let log = client
        .objects()
        .get_activities(id)
        .await
        .unwrap()
        .data
        .unwrap();
    let entries: Vec<_> = log
        .iter()
        .map(|e| (e.r#type.unwrap().code(), e.data.clone().unwrap()))
        .collect();
    assert_eq!(
        entries,
        [
            (1, "Called the customer back".to_owned()),
            (12, "[CRM] Ticket opened".to_owned())
        ]
    );
    assert_eq!(
        log[0].user.as_ref().unwrap().first_name.as_deref(),
        Some("Dana")
    );

    let remarks_only = client
        .objects()
        .get_activities(id)
        .activity_type(cirrus_client::types::ObjectActivityType::Remark)
        .await
        .unwrap()
        .data
        .unwrap();
    assert_eq!(remarks_only.len(), 1);
}

#[tokio::test]
async fn agents_are_created_read_updated_and_deleted() {
    let sandbox = Sandbox::builder().seed(false).start().await.unwrap();
    let client = client_for(&sandbox);
    assert!(
        client
            .managers()
            .list()
            .await
            .unwrap()
            .data
            .unwrap()
            .is_empty()
    );

    let id = client
        .managers()
        .create("Ada", "Byron", "ada@example.com", false, "s3cret!")
        .user_name("ada")
        .await
        .unwrap()
        .data
        .unwrap()
        .id;
    assert_eq!(id, 101);
    let agent = client.managers().get(id).await.unwrap().data.unwrap();
    assert_eq!(agent.first_name.as_deref(), Some("Ada"));
    assert_eq!(agent.user_name.as_deref(), Some("ada"));

    client
        .managers()
        .update(id)
        .last_name("Lovelace")
        .await
        .unwrap();
    let agent = client.managers().get(id).await.unwrap().data.unwrap();
    assert_eq!(agent.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(
        client.managers().list().await.unwrap().data.unwrap().len(),
        1
    );

    client.managers().delete(id).await.unwrap();
    let error = client.managers().get(id).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!(error.description(), Some("Manager 101 does not exist"));
    let error = client.managers().delete(id).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn customers_are_read_and_updated() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = client_for(&sandbox);
    let user = client.users().get(SEED_ID).await.unwrap().data.unwrap();
    assert_eq!(user.first_name.as_deref(), Some("Sam"));
    client
        .users()
        .update(SEED_ID)
        .first_name("Samantha")
        .remarks("Prefers e-mail")
        .await
        .unwrap();
    // By the address of one of the customer's identities.
    let user = client
        .users()
        .get(0)
        .stream_provider_id("sam.jones@example.com")
        .stream_provider_type(cirrus_client::types::StreamProviderType::Mail)
        .await
        .unwrap()
        .data
        .unwrap();
    assert_eq!(user.id, SEED_ID);
    assert_eq!(user.first_name.as_deref(), Some("Samantha"));
    assert_eq!(user.remarks.as_deref(), Some("Prefers e-mail"));

    let error = client.users().get(777).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
    let objects = client
        .users()
        .get_objects(SEED_ID)
        .await
        .unwrap()
        .data
        .unwrap();
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].object_id, Some(SEED_ID));
}

#[tokio::test]
async fn faults_reach_the_client_as_the_errors_they_imitate() {
    let sandbox = Sandbox::builder().start().await.unwrap();

    // Latency.
    sandbox.set_faults(Faults {
        latency: Duration::from_millis(300),
        ..Faults::default()
    });
    let client = client_for(&sandbox);
    let started = Instant::now();
    client.core().system_status().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));

    // A closed connection: no answer at all.
    sandbox.set_faults(Faults {
        close_share: 1.0,
        ..Faults::default()
    });
    let error = client.core().system_status().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");

    // A stall after the headers: the client's timeout ends the call.
    sandbox.set_faults(Faults {
        stall_share: 1.0,
        stall: Duration::from_secs(5),
        ..Faults::default()
    });
    let impatient = Client::builder()
        .token(sandbox.token())
        .base_url(sandbox.url())
        .timeout(Duration::from_millis(400))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = impatient.core().system_status().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(started.elapsed() < Duration::from_secs(3));

    // A share of 500s: exactly every other request.
    sandbox.set_faults(Faults {
        server_error_share: 0.5,
        ..Faults::default()
    });
    let mut kinds = Vec::new();
    for _ in 0..4 {
        kinds.push(client.core().system_status().await.err().map(|e| e.kind()));
    }
    assert_eq!(
        kinds,
        [
            None,
            Some(ErrorKind::ServerError),
            None,
            Some(ErrorKind::ServerError)
        ]
    );

    // The client's own retries get past a 500 on a read: the 5th request
    // passes, the 6th fails and its retry (the 7th) passes.
    client.core().system_status().await.unwrap();
    let before = sandbox.requests("Core.SystemStatus");
    let patient = Client::builder()
        .token(sandbox.token())
        .base_url(sandbox.url())
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    patient.core().system_status().await.unwrap();
    assert_eq!(sandbox.requests("Core.SystemStatus"), before + 2);
}
