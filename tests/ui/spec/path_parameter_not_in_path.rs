// A path parameter is declared that the path template never uses.

cirrus_client::generate!("ui/spec/path_parameter_not_in_path.json");

fn main() {}
