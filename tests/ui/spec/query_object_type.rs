// An object cannot be written as one query value.

cirrus_client::generate!("ui/spec/query_object_type.json");

fn main() {}
