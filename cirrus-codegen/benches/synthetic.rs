//! Synthetic specs of any size, shaped like the real one: modules of 25
//! operations, each with path and query parameters, POST bodies, a named
//! response type and an example; object types with scalar, enum, list and
//! nested fields. Shared by the expansion benchmark and the
//! `synthetic_spec` example, which writes one to a file.

use serde_json::{Map, Value, json};

/// A spec with `operations` operations and `types` named types (at least 2).
pub fn synthetic_spec(operations: usize, types: usize) -> String {
    let types = types.max(2);
    let mut type_defs = Map::new();
    type_defs.insert(
        "Status".into(),
        json!({"kind": "enum", "repr": "integer", "docs": "A status.", "values": [
            {"value": 1, "name": "Open"}, {"value": 2, "name": "Resolved"}, {"value": 3, "name": "Pending"}
        ]}),
    );
    for t in 1..types {
        // Objects nest the one defined before them in chains of at most
        // eight, as real data nests a few levels, not hundreds.
        let mut fields = json!({
            "id": {"type": "int64", "required": true, "docs": "Id."},
            "name": {"type": "string", "docs": "Name."},
            "score": {"type": "number", "docs": "Score."},
            "createdTime": {"type": "timestamp", "docs": "When created."},
            "statusId": {"type": "Status", "docs": "Status."},
            "tags": {"type": "list<string>", "docs": "Tags."},
            "isActive": {"type": "boolean", "docs": "Active."},
        });
        if t % 8 != 1 {
            fields["parent"] = json!({"type": format!("Type{}", t - 1), "docs": "Parent."});
        }
        type_defs.insert(
            format!("Type{t}"),
            json!({"kind": "object", "docs": format!("Type number {t}."), "fields": fields}),
        );
    }
    let mut modules = Map::new();
    for m in 0..operations.div_ceil(25) {
        let mut ops = Map::new();
        for o in 0..25.min(operations - m * 25) {
            let n = m * 25 + o;
            let ty = format!("Type{}", 1 + n % (types - 1));
            let post = n % 2 == 1;
            let mut op = json!({
                "method": if post { "POST" } else { "GET" },
                "path": format!("/module{m}/items/{{ITEM_ID}}/op{o}"),
                "docs": format!("Operation {o} of module {m}."),
                "parameters": {
                    "ITEM_ID": {"in": "path", "type": "int64", "docs": "Item id."},
                    "pageNumber": {"in": "query", "type": "int32", "default": 1, "docs": "Page."},
                    "status": {"in": "query", "type": "list<Status>", "style": "comma", "docs": "Filter."}
                },
                "response": ty,
                "example": {"status": 200, "description": "Operation successful",
                            "response_time": "2024-08-06T07:51:52.2581942Z",
                            "data": {"id": n, "name": "x", "statusId": 1}}
            });
            if post {
                op["body"] = json!("json-data");
                let params = op["parameters"].as_object_mut().expect("an object");
                params.insert(
                    "Message".into(),
                    json!({"in": "body", "type": "string", "required": true, "docs": "Text."}),
                );
                params.insert(
                    "StatusId".into(),
                    json!({"in": "body", "type": "Status", "docs": "Status."}),
                );
                params.insert(
                    "Content".into(),
                    json!({"in": "body", "type": "json", "docs": "Content."}),
                );
            }
            ops.insert(format!("Op{o}"), op);
        }
        modules.insert(
            format!("Module{m}"),
            json!({"docs": format!("Module {m}."), "operations": ops}),
        );
    }
    let spec = json!({
        "title": "Synthetic API", "version": "1", "docs": "A generated spec for benchmarks.",
        "types": Value::Object(type_defs), "modules": Value::Object(modules),
    });
    serde_json::to_string_pretty(&spec).expect("a JSON value serializes")
}
