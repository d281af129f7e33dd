// `Core.SystemStatus` is a GET with no parameters: its request has no way
// to become a POST, and no body to fill.

use cirrus_client::Client;
use serde_json::json;

async fn call(client: &Client) {
    let _ = client.core().system_status().post().await;
    let status = client.core().system_status();
    let _ = status.body(json!({"status": "up"})).await;
}

fn main() {
    let _ = call;
}
