// `integer` is not a type expression; int32 and int64 are.

cirrus_client::generate!("ui/spec/bad_type_expression.json");

fn main() {}
