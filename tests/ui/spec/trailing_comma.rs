// A comma after the last parameter, on line 12 of the spec: the error gives
// the line and column of that comma.

cirrus_client::generate!("ui/spec/trailing_comma.json");

fn main() {}
