//! Phase 3: the rules that span the spec.
//!
//! The model phase knows each value's shape; this phase knows how values
//! relate: that a type name resolves, that a path template and its
//! parameters agree, that no two things get the same Rust name, and that
//! each example response decodes into the operation's response type.

use crate::example;
use crate::model::*;
use crate::names;
use crate::problem::{Problem, join};
use std::collections::{HashMap, HashSet};

/// Rust names the generated client uses for itself, which a module's
/// accessor must not take.
const CLIENT_ITEMS: &[&str] = &[
    "types",
    "builder",
    "from_env",
    "from_transport",
    "transport",
];

/// Rust names a request uses for itself (its fields and methods), which no
/// parameter may take.
const REQUEST_ITEMS: &[&str] = &["send", "into_future", "client", "retry", "prepare"];

/// The most required parameters an operation may have. Each becomes an
/// argument and, with `&self`, clippy's `too_many_arguments` lint fires past
/// seven; the generated code must stay clean in a user's crate.
pub const MAX_REQUIRED_PARAMETERS: usize = 6;

/// Runs every cross-cutting rule, recording problems.
pub fn check(spec: &Spec, problems: &mut Vec<Problem>) {
    for ty in &spec.types {
        check_type(spec, ty, problems);
        check_self_containment(spec, ty, problems);
    }
    let mut modules = HashMap::new();
    for module in &spec.modules {
        if !names::is_camel_case(&module.name) {
            problems.push(Problem::at(
                &module.pointer,
                format!(
                    "module name `{}` must be CamelCase: ASCII letters and digits, a capital first",
                    module.name
                ),
            ));
        } else if CLIENT_ITEMS.contains(&module.rust_name.as_str()) {
            problems.push(Problem::at(
                &module.pointer,
                format!("module `{}` would be called `{}`, a name the client uses itself; rename the module", module.name, module.rust_name),
            ));
        } else if let Some(first) = modules.insert(module.rust_name.clone(), &module.name) {
            problems.push(Problem::at(
                &module.pointer,
                format!(
                    "modules `{first}` and `{}` would both be `{}` in Rust; rename one",
                    module.name, module.rust_name
                ),
            ));
        }
        let mut operations = HashMap::new();
        for op in &module.operations {
            if !names::is_camel_case(&op.name) {
                problems.push(Problem::at(
                    &op.pointer,
                    format!("operation name `{}` must be CamelCase: ASCII letters and digits, a capital first", op.name),
                ));
            } else if module.name == format!("{}Request", op.name) {
                problems.push(Problem::at(
                    &op.pointer,
                    format!(
                        "operation `{}` makes a request type `{}Request`, the name of its module; rename one",
                        op.name, op.name
                    ),
                ));
            } else if let Some(first) = operations.insert(op.rust_name.clone(), &op.name) {
                problems.push(Problem::at(
                    &op.pointer,
                    format!(
                        "operations `{first}` and `{}` would both be `{}` in Rust; rename one",
                        op.name, op.rust_name
                    ),
                ));
            }
            check_operation(spec, op, problems);
        }
    }
}

fn check_type(spec: &Spec, ty: &TypeDef, problems: &mut Vec<Problem>) {
    if !names::is_camel_case(&ty.name) {
        problems.push(Problem::at(
            &ty.pointer,
            format!(
                "type name `{}` must be CamelCase: ASCII letters and digits, a capital first",
                ty.name
            ),
        ));
    }
    match &ty.kind {
        TypeKind::Object(fields) => {
            let mut seen = HashMap::new();
            for field in fields {
                check_type_ref(spec, &field.ty, &join(&field.pointer, "type"), problems);
                if field.ty.named().is_none() && contains_file(&field.ty) {
                    problems.push(Problem::at(
                        &join(&field.pointer, "type"),
                        "`file` is for multipart body parameters only, not for fields",
                    ));
                }
                if let Some(first) = seen.insert(field.rust_name.clone(), &field.json_name) {
                    problems.push(Problem::at(
                        &field.pointer,
                        format!(
                            "fields `{first}` and `{}` would both be `{}` in Rust; give one a `rust_name`",
                            field.json_name, field.rust_name
                        ),
                    ));
                }
            }
        }
        TypeKind::Enum(def) => {
            let mut names = HashSet::new();
            let mut codes = HashMap::new();
            for value in &def.values {
                if !names.insert(&value.name) {
                    problems.push(Problem::at(
                        &join(&value.pointer, "name"),
                        format!("variant name `{}` is used twice in this enum", value.name),
                    ));
                }
                if let Some(first) = codes.get(&value.code) {
                    let code = match &value.code {
                        EnumCode::Integer(code) => code.to_string(),
                        EnumCode::String(code) => format!("{code:?}"),
                    };
                    problems.push(Problem::at(
                        &join(&value.pointer, "value"),
                        format!(
                            "`{first}` and `{}` both have the code {code}; give each value its own code",
                            value.name
                        ),
                    ));
                } else {
                    codes.insert(&value.code, &value.name);
                }
            }
        }
    }
}

/// A type that holds itself other than through a list would have infinite
/// size in Rust (`Option<T>` is stored inline); the compiler would reject
/// the generated code with a message that names no spec location.
///
/// Known shortcoming: a long chain of distinct types nested through plain
/// fields (dozens deep) is not reported here, yet can exceed the compiler's
/// recursion limit in the generated code (drop checks, `Send` checks). A
/// bound on that depth, found the same way as this cycle, would report it
/// at the spec; real API data nests a few levels, so it waits.
fn check_self_containment(spec: &Spec, ty: &TypeDef, problems: &mut Vec<Problem>) {
    let TypeKind::Object(fields) = &ty.kind else {
        return;
    };
    for field in fields {
        let TypeRef::Named(first) = &field.ty else {
            continue;
        };
        let mut seen = HashSet::new();
        let mut stack = vec![first.as_str()];
        while let Some(name) = stack.pop() {
            if name == ty.name {
                problems.push(Problem::at(
                    &join(&field.pointer, "type"),
                    format!(
                        "type `{}` holds itself through field `{}`; a value cannot contain itself \
                         except through a list: make this field (or one on the way back) a `list<...>`",
                        ty.name, field.json_name
                    ),
                ));
                break;
            }
            if !seen.insert(name) {
                continue;
            }
            if let Some(TypeKind::Object(inner)) = spec.type_named(name).map(|t| &t.kind) {
                stack.extend(inner.iter().filter_map(|f| match &f.ty {
                    TypeRef::Named(next) => Some(next.as_str()),
                    _ => None,
                }));
            }
        }
    }
}

fn contains_file(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::File => true,
        TypeRef::List(inner) => contains_file(inner),
        _ => false,
    }
}

/// Reports a named type that is not defined, suggesting the closest one.
fn check_type_ref(spec: &Spec, ty: &TypeRef, pointer: &str, problems: &mut Vec<Problem>) {
    let Some(name) = ty.named() else { return };
    if spec.type_named(name).is_some() {
        return;
    }
    let suggestion = closest(name, spec.types.iter().map(|t| t.name.as_str()))
        .map(|closest| format!(" (did you mean `{closest}`?)"))
        .or_else(|| {
            let lower = name.to_ascii_lowercase();
            BUILT_IN_NAMES
                .iter()
                .find(|(written, _)| *written == lower)
                .map(|(_, built_in)| format!(" (did you mean the built-in `{built_in}`?)"))
        })
        .unwrap_or_default();
    problems.push(Problem::at(
        pointer,
        format!("type `{name}` is not defined{suggestion}; define it under /types or use a built-in type"),
    ));
}

/// Names other languages and formats give the built-in types, as written
/// in lower case, with the built-in each means. `Bool` or `DateTime` reads
/// as a named type (it is CamelCase), so it is caught here.
const BUILT_IN_NAMES: &[(&str, &str)] = &[
    ("bool", "boolean"),
    ("boolean", "boolean"),
    ("str", "string"),
    ("string", "string"),
    ("int", "int32"),
    ("int32", "int32"),
    ("integer", "int64"),
    ("long", "int64"),
    ("int64", "int64"),
    ("float", "number"),
    ("double", "number"),
    ("decimal", "number"),
    ("number", "number"),
    ("date", "timestamp"),
    ("datetime", "timestamp"),
    ("timestamp", "timestamp"),
    ("any", "json"),
    ("object", "json"),
    ("json", "json"),
    ("file", "file"),
];

fn check_operation(spec: &Spec, op: &Operation, problems: &mut Vec<Problem>) {
    check_path(op, problems);

    let mut rust_names = HashMap::new();
    let mut required = 0;
    for param in &op.parameters {
        let type_pointer = join(&param.pointer, "type");
        check_type_ref(spec, &param.ty, &type_pointer, problems);
        if let Some(first) = rust_names.insert(param.rust_name.clone(), &param.name) {
            problems.push(Problem::at(
                &param.pointer,
                format!(
                    "parameters `{first}` and `{}` would both be `{}` in Rust; give one a `rust_name`",
                    param.name, param.rust_name
                ),
            ));
        }
        if param.required {
            required += 1;
        }
        if REQUEST_ITEMS.contains(&param.rust_name.as_str()) {
            problems.push(Problem::at(
                &param.pointer,
                format!(
                    "`{}` is taken by every request (a field or method); give this parameter a `rust_name`",
                    param.rust_name
                ),
            ));
        }
        let fits = match param.location {
            ParamLocation::Path => is_scalar(spec, &param.ty),
            ParamLocation::Query => match &param.ty {
                TypeRef::List(inner) => is_scalar(spec, inner),
                ty => is_scalar(spec, ty),
            },
            ParamLocation::Body => match &param.ty {
                TypeRef::File => op.body == BodyEncoding::Multipart,
                TypeRef::List(inner) if **inner == TypeRef::File => {
                    op.body == BodyEncoding::Multipart
                }
                _ => true,
            },
        };
        if !fits {
            let allowed = match param.location {
                ParamLocation::Path => {
                    "a path parameter must be a string, boolean, integer, number or enum"
                }
                ParamLocation::Query => {
                    "a query parameter must be a string, boolean, integer, number, timestamp, enum, or a list of those"
                }
                ParamLocation::Body => {
                    "a `file` parameter needs `\"body\": \"multipart\"` on its operation"
                }
            };
            problems.push(Problem::at(
                &type_pointer,
                format!("`{}` cannot go here: {allowed}", param.ty),
            ));
        }
        if param.location == ParamLocation::Body && op.body == BodyEncoding::None {
            problems.push(Problem::at(
                &join(&param.pointer, "in"),
                "a body parameter needs a body encoding: set the operation's `body` to json-data, form-data, json or multipart",
            ));
        }
        if let Some(default) = &param.default {
            for reason in example::mismatches(spec, &param.ty, default, "") {
                problems.push(Problem::at(
                    &join(&param.pointer, "default"),
                    format!("the default does not fit type `{}`: {reason}", param.ty),
                ));
            }
        }
    }
    if required > MAX_REQUIRED_PARAMETERS {
        problems.push(Problem::at(
            &join(&op.pointer, "parameters"),
            format!(
                "{required} required parameters; an operation may have at most {MAX_REQUIRED_PARAMETERS} \
                 (each is a method argument): make the others optional"
            ),
        ));
    }

    if let Some(response) = &op.response {
        let pointer = join(&op.pointer, "response");
        check_type_ref(spec, response, &pointer, problems);
        if contains_file(response) {
            problems.push(Problem::at(
                &pointer,
                "`file` is for multipart body parameters only",
            ));
        }
    }
    if let Some(body) = &op.example {
        for reason in example::example_mismatches(spec, op, body) {
            problems.push(Problem::at(
                &join(&op.pointer, "example"),
                format!(
                    "the example does not decode as the response: {reason}; fix the example or the response type"
                ),
            ));
        }
    }
}

/// Whether a type can be written as one path segment or query value.
fn is_scalar(spec: &Spec, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String
        | TypeRef::Boolean
        | TypeRef::Int32
        | TypeRef::Int64
        | TypeRef::Number
        | TypeRef::Timestamp => true,
        TypeRef::Named(name) => {
            matches!(
                spec.type_named(name).map(|t| &t.kind),
                Some(TypeKind::Enum(_)) | None
            )
        }
        TypeRef::Json | TypeRef::File | TypeRef::List(_) => false,
    }
}

fn check_path(op: &Operation, problems: &mut Vec<Problem>) {
    let pointer = join(&op.pointer, "path");
    let path = &op.path;
    if !path.raw.starts_with('/') {
        problems.push(Problem::at(
            &pointer,
            format!("path `{}` must start with `/`", path.raw),
        ));
    }
    if path.raw.contains("//") || (path.raw.len() > 1 && path.raw.ends_with('/')) {
        problems.push(Problem::at(
            &pointer,
            format!(
                "path `{}` has an empty segment (`//` or a trailing `/`): remove it",
                path.raw
            ),
        ));
    }
    let mut placeholders = HashSet::new();
    for segment in &path.segments {
        match segment {
            PathSegment::Literal(text) => {
                let url_safe = text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c));
                if !url_safe || text == "." || text == ".." {
                    problems.push(Problem::at(
                        &pointer,
                        format!(
                            "path segment `{text}` must be a whole `{{NAME}}` placeholder or literal \
                             text of letters, digits and `-._~`"
                        ),
                    ));
                }
            }
            PathSegment::Param(name) => {
                if !placeholders.insert(name.as_str()) {
                    problems.push(Problem::at(
                        &pointer,
                        format!("placeholder `{{{name}}}` appears twice"),
                    ));
                }
                let declared = op.parameters.iter().find(|p| &p.name == name);
                match declared {
                    Some(p) if p.location == ParamLocation::Path => {}
                    Some(p) => problems.push(Problem::at(
                        &join(&p.pointer, "in"),
                        format!("`{name}` is a placeholder in the path, so it must be `\"in\": \"path\"`"),
                    )),
                    None => {
                        // A declared path parameter missing from the path,
                        // spelt nearly alike, is most likely the same one.
                        let in_path = |param: &str| {
                            path.segments
                                .iter()
                                .any(|s| matches!(s, PathSegment::Param(n) if n == param))
                        };
                        let misspelt = closest(
                            name,
                            op.parameters_in(ParamLocation::Path)
                                .map(|p| p.name.as_str())
                                .filter(|declared| !in_path(declared)),
                        );
                        let message = match misspelt {
                            Some(declared) => format!(
                                "the path has `{{{name}}}` but no parameter `{name}` is declared; \
                                 did you mean the path parameter `{declared}`? Spell both alike"
                            ),
                            None => format!(
                                "the path has `{{{name}}}` but no parameter `{name}` is declared: \
                                 add \"{name}\": {{\"in\": \"path\", \"type\": ...}} to `parameters`"
                            ),
                        };
                        problems.push(Problem::at(&pointer, message));
                    }
                }
            }
        }
    }
    for param in op.parameters_in(ParamLocation::Path) {
        if !placeholders.contains(param.name.as_str()) {
            problems.push(Problem::at(
                &param.pointer,
                format!(
                    "path parameter `{}` is not in the path `{}`: add `{{{}}}` to the path or remove the parameter",
                    param.name, path.raw, param.name
                ),
            ));
        }
    }
}

/// The candidate a misspelling of `name` most likely meant: one or two
/// edits away (the nearest; among equals, the first by name), for "did you mean"
/// hints.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .map(|candidate| (edit_distance(candidate, name), candidate))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems_of(text: &str) -> Vec<String> {
        match crate::load(text) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.0.iter().map(ToString::to_string).collect(),
        }
    }

    fn spec_with_operation(op: &str) -> String {
        format!(
            r#"{{"title": "t", "version": "1",
               "types": {{"Contact": {{"kind": "object", "fields": {{"id": {{"type": "int64", "required": true}}}}}}}},
               "modules": {{"Objects": {{"operations": {{"Get": {op}}}}}}}}}"#
        )
    }

    #[test]
    fn undefined_type_suggests_the_closest() {
        let problems = problems_of(&spec_with_operation(
            r#"{"method": "GET", "response": "Contcat"}"#,
        ));
        assert_eq!(
            problems,
            [
                "/modules/Objects/operations/Get/response: type `Contcat` is not defined (did you mean \
              `Contact`?); define it under /types or use a built-in type"
            ]
        );
    }

    #[test]
    fn another_language_s_name_for_a_built_in_is_pointed_to_it() {
        for (written, built_in) in [
            ("Bool", "boolean"),
            ("DateTime", "timestamp"),
            ("Long", "int64"),
        ] {
            let problems = problems_of(&spec_with_operation(&format!(
                r#"{{"method": "GET", "response": "list<{written}>"}}"#
            )));
            assert_eq!(
                problems,
                [format!(
                    "/modules/Objects/operations/Get/response: type `{written}` is not defined \
                     (did you mean the built-in `{built_in}`?); define it under /types or use a \
                     built-in type"
                )]
            );
        }
    }

    #[test]
    fn path_and_parameters_must_agree() {
        let problems = problems_of(&spec_with_operation(
            r#"{"method": "GET", "path": "/objects/{OBJECT_ID}",
                "parameters": {"STREAM_ID": {"in": "path", "type": "string"}}}"#,
        ));
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(
            problems[0]
                .starts_with("/modules/Objects/operations/Get/path: the path has `{OBJECT_ID}`")
        );
        assert!(problems[1].starts_with(
            "/modules/Objects/operations/Get/parameters/STREAM_ID: path parameter `STREAM_ID` is not in the path"
        ));
    }

    #[test]
    fn a_misspelt_placeholder_points_to_the_parameter_it_means() {
        let problems = problems_of(&spec_with_operation(
            r#"{"method": "GET", "path": "/people/{PERSONID}",
                "parameters": {"PERSON_ID": {"in": "path", "type": "int64"}}}"#,
        ));
        assert_eq!(
            problems,
            [
                "/modules/Objects/operations/Get/path: the path has `{PERSONID}` but no parameter \
                 `PERSONID` is declared; did you mean the path parameter `PERSON_ID`? Spell both \
                 alike",
                "/modules/Objects/operations/Get/parameters/PERSON_ID: path parameter `PERSON_ID` \
                 is not in the path `/people/{PERSONID}`: add `{PERSON_ID}` to the path or remove \
                 the parameter"
            ]
        );
    }

    #[test]
    fn colliding_rust_names_ask_for_rust_name() {
        let problems = problems_of(
            r#"{"title": "t", "version": "1", "modules": {},
                "types": {"T": {"kind": "object", "fields": {
                  "self": {"type": "string"}, "Self": {"type": "string"}}}}}"#,
        );
        assert_eq!(
            problems,
            [
                "/types/T/fields/Self: fields `self` and `Self` would both be `self_` in Rust; give one a `rust_name`"
            ]
        );
    }

    #[test]
    fn too_many_required_parameters() {
        let params: Vec<String> = (0..7)
            .map(|i| format!(r#""p{i}": {{"in": "query", "type": "int32", "required": true}}"#))
            .collect();
        let op = format!(
            r#"{{"method": "GET", "parameters": {{{}}}}}"#,
            params.join(",")
        );
        let problems = problems_of(&spec_with_operation(&op));
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("7 required parameters"));
    }

    #[test]
    fn a_bad_parameter_type_is_reported_once() {
        let problems = problems_of(&spec_with_operation(
            r#"{"method": "GET", "path": "/objects/{OBJECT_ID}",
                "parameters": {"OBJECT_ID": {"in": "path", "type": "integer"}}}"#,
        ));
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with(
                "/modules/Objects/operations/Get/parameters/OBJECT_ID/type: `integer` is not a type"
            ),
            "{problems:#?}"
        );
    }

    #[test]
    fn a_misspelt_key_suggests_the_right_one() {
        let problems = problems_of(&spec_with_operation(
            r#"{"method": "GET", "parameters": {"q": {"in": "query", "type": "string", "requird": true}}}"#,
        ));
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].contains("unknown key `requird` (did you mean `required`?)"),
            "{problems:#?}"
        );
    }

    #[test]
    fn duplicate_enum_codes_name_both_values() {
        let problems = problems_of(
            r#"{"title": "t", "version": "1", "modules": {},
                "types": {"S": {"kind": "enum", "repr": "string", "values": [
                  {"value": "a", "name": "A"}, {"value": "a", "name": "B"}]}}}"#,
        );
        assert_eq!(
            problems,
            [
                "/types/S/values/1/value: `A` and `B` both have the code \"a\"; give each value its own code"
            ]
        );
    }

    #[test]
    fn a_type_holding_itself_is_a_problem_unless_through_a_list() {
        let problems = problems_of(
            r#"{"title": "t", "version": "1", "modules": {}, "types": {
                "A": {"kind": "object", "fields": {"b": {"type": "B"}, "many": {"type": "list<A>"}}},
                "B": {"kind": "object", "fields": {"a": {"type": "A"}}}}}"#,
        );
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(
            problems[0]
                .starts_with("/types/A/fields/b/type: type `A` holds itself through field `b`")
        );
        assert!(
            problems[1]
                .starts_with("/types/B/fields/a/type: type `B` holds itself through field `a`")
        );
    }

    #[test]
    fn empty_path_segments_and_glued_placeholders_are_problems() {
        let problems = problems_of(&spec_with_operation(
            r#"{"method": "GET", "path": "/tags//x/", "response": "Contact"}"#,
        ));
        assert_eq!(
            problems,
            [
                "/modules/Objects/operations/Get/path: path `/tags//x/` has an empty segment (`//` or a trailing `/`): remove it"
            ]
        );
        let problems = problems_of(&spec_with_operation(
            r#"{"method": "GET", "path": "/x/{A}{B}", "response": "Contact"}"#,
        ));
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("path segment `{A}{B}` must be a whole `{NAME}` placeholder"));
    }

    #[test]
    fn a_request_type_may_not_take_its_module_name() {
        let problems = problems_of(
            r#"{"title": "t", "version": "1", "modules": {"ListRequest": {"operations": {
                "List": {"method": "GET"}}}}}"#,
        );
        assert_eq!(
            problems,
            [
                "/modules/ListRequest/operations/List: operation `List` makes a request type `ListRequest`, the name of its module; rename one"
            ]
        );
    }

    #[test]
    fn parameters_may_not_take_the_request_names() {
        for name in ["client", "retry", "send"] {
            let op = format!(
                r#"{{"method": "GET", "parameters": {{"{name}": {{"in": "query", "type": "string", "required": true}}}}}}"#
            );
            let problems = problems_of(&spec_with_operation(&op));
            assert_eq!(problems.len(), 1, "{name}: {problems:#?}");
            assert!(
                problems[0].contains("is taken by every request"),
                "{problems:?}"
            );
        }
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("Contact", "Contcat"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
