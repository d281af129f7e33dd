// JSON fields `self` and `Self` would both be the Rust field `self_`.

cirrus_client::generate!("ui/spec/colliding_rust_names.json");

fn main() {}
