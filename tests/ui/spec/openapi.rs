// An OpenAPI document is not a cirrus spec.

cirrus_client::generate!("ui/spec/openapi.json");

fn main() {}
