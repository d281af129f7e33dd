//! Answers as the API writes them: the envelope, its `response_time`, and
//! the headers every response carries.

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// A time in the API's format: UTC, exactly seven fractional digits, `Z`
/// (`2024-08-06T07:51:52.2581942Z`).
pub(crate) fn api_time(time: DateTime<Utc>) -> String {
    // A leap second shows as nanos past 1e9; keep the seven digits.
    let ticks = (time.timestamp_subsec_nanos() / 100).min(9_999_999);
    format!("{}.{ticks:07}Z", time.format("%Y-%m-%dT%H:%M:%S"))
}

/// The current time in the API's format.
pub(crate) fn now_text() -> String {
    api_time(Utc::now())
}

/// The envelope around `data`.
pub(crate) fn envelope_value(status: StatusCode, description: &str, data: Value) -> Value {
    json!({
        "status": status.as_u16(),
        "description": description,
        "response_time": now_text(),
        "data": data,
    })
}

/// A JSON response with the sandbox's headers.
pub(crate) fn json_response(status: StatusCode, body: &Value, request_id: u64) -> Response<Body> {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Ok(id) = HeaderValue::try_from(format!("sandbox-{request_id}")) {
        headers.insert("x-request-id", id);
    }
    response
}

/// An error envelope: `data` is `null`, the description says what went
/// wrong.
pub(crate) fn error(status: StatusCode, description: &str, request_id: u64) -> Response<Body> {
    json_response(
        status,
        &envelope_value(status, description, Value::Null),
        request_id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn time_has_seven_fraction_digits_and_z() {
        let time = Utc
            .timestamp_opt(1_722_930_712, 258_194_200)
            .single()
            .unwrap();
        assert_eq!(api_time(time), "2024-08-06T07:51:52.2581942Z");
        let whole = Utc.timestamp_opt(1_722_930_712, 0).single().unwrap();
        assert_eq!(api_time(whole), "2024-08-06T07:51:52.0000000Z");
    }

    #[test]
    fn now_matches_the_shape() {
        let text = now_text();
        assert_eq!(text.len(), "2024-08-06T07:51:52.2581942Z".len());
        assert!(text.ends_with('Z'));
        assert_eq!(&text[19..20], ".");
    }
}
