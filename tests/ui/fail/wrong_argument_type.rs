// `OBJECT_ID` is an int64: a string in its place does not compile.

use cirrus_client::Client;

async fn call(client: &Client) {
    let _ = client.objects().get("hNyRN_fLUy7rrOrN9jLpipA==", "7").await;
}

fn main() {
    let _ = call;
}
