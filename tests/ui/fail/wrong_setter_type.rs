// Optional parameters are typed too: `includeChilds` is a boolean and
// `pageSize` an int32.

use cirrus_client::Client;

async fn call(client: &Client) {
    let _ = client
        .objects()
        .get("hNyRN_fLUy7rrOrN9jLpipA==", 7)
        .include_childs("true")
        .await;
    let _ = client
        .streams()
        .get_objects("hNyRN_fLUy7rrOrN9jLpipA==")
        .page_size(50_i64)
        .await;
}

fn main() {
    let _ = call;
}
