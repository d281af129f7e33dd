// Seven required parameters would make a method with seven arguments.

cirrus_client::generate!("ui/spec/too_many_required_parameters.json");

fn main() {}
