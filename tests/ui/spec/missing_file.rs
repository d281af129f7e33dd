// The spec file does not exist.

cirrus_client::generate!("ui/spec/missing_file.json");

fn main() {}
