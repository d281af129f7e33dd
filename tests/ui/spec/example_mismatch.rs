// The example's `data.id` is not an int64, so the example would not decode.

cirrus_client::generate!("ui/spec/example_mismatch.json");

fn main() {}
