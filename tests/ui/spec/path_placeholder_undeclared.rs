// The path has a `{OBJECT_ID}` placeholder, but no parameter declares it.

cirrus_client::generate!("ui/spec/path_placeholder_undeclared.json");

fn main() {}
