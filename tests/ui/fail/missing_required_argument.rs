// `Objects.Get` has two path parameters, both required: the stream id and
// the conversation id. Leaving one out does not compile.

use cirrus_client::Client;

async fn call(client: &Client) {
    let _ = client.objects().get("hNyRN_fLUy7rrOrN9jLpipA==").await;
}

fn main() {
    let _ = call;
}
