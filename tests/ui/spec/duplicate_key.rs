// The operation `SystemStatus` written twice in one module, the second on
// line 12 of the spec: a JSON reader would keep one and drop the other
// without a word, so the macro refuses it and names the second.

cirrus_client::generate!("ui/spec/duplicate_key.json");

fn main() {}
