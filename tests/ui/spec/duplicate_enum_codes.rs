// Two variants of one enum share the code 2.

cirrus_client::generate!("ui/spec/duplicate_enum_codes.json");

fn main() {}
