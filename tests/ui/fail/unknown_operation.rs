// The Objects module has no `Archive` operation, so there is no method for it.

use cirrus_client::Client;

async fn call(client: &Client) {
    let _ = client.objects().archive(7).await;
}

fn main() {
    let _ = call;
}
