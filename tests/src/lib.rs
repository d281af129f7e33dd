//! Shared helpers for the workspace's tests.

use cirrus_client::Client;
use wiremock::MockServer;

/// The envelope the API's documentation shows, around `data`.
pub fn envelope(data: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "status": 200,
        "description": "Operation successful",
        "response_time": "2024-08-06T07:51:52.2581942Z",
        "data": data,
    })
}

/// A client for a mock server on 127.0.0.1, with the token `test-token`.
pub fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .token("test-token")
        .base_url(server.uri())
        .build()
        .expect("a loopback base URL is accepted")
}
