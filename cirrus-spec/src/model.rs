//! Phase 2: the JSON document becomes a [`Spec`].
//!
//! Each item keeps the JSON pointer it came from, so that the check phase and
//! the code generator can say where a problem lies. A value of the wrong
//! shape is recorded as a problem and replaced by a neutral stand-in, so
//! that one bad value does not hide the problems after it.

use crate::names;
use crate::problem::{Problem, join};
use serde_json::{Map, Value};

/// An API description.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The API's title.
    pub title: String,
    /// The version of the API the spec describes.
    pub version: String,
    /// Documentation of the generated client.
    pub docs: Option<String>,
    /// Named data types, in spec order.
    pub types: Vec<TypeDef>,
    /// The API's modules, in spec order.
    pub modules: Vec<Module>,
}

/// A named data type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The CamelCase name, used in Rust and in type expressions.
    pub name: String,
    /// Documentation.
    pub docs: Option<String>,
    /// What the type is.
    pub kind: TypeKind,
    /// Where it is defined.
    pub pointer: String,
}

/// The two kinds of named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A JSON object with named fields.
    Object(Vec<Field>),
    /// An enumeration of integer or string codes.
    Enum(EnumDef),
}

/// A field of an object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The name on the wire.
    pub json_name: String,
    /// The Rust identifier, as written in source (`r#type`).
    pub rust_name: String,
    /// The field's type.
    pub ty: TypeRef,
    /// Whether the field is always present and not null.
    pub required: bool,
    /// Documentation.
    pub docs: Option<String>,
    /// Where it is defined.
    pub pointer: String,
}

/// An enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// How values are coded on the wire.
    pub repr: EnumRepr,
    /// The known values, in spec order.
    pub values: Vec<EnumValue>,
}

/// How an enumeration's values are coded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// JSON integers.
    Integer,
    /// JSON strings.
    String,
}

/// One known value of an enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The code on the wire.
    pub code: EnumCode,
    /// The CamelCase Rust variant name.
    pub name: String,
    /// Documentation.
    pub docs: Option<String>,
    /// Where it is defined.
    pub pointer: String,
}

/// A code of an enumeration value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EnumCode {
    /// An integer code.
    Integer(i64),
    /// A string code.
    String(String),
}

/// A type expression: what a parameter, field or response holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `int32`.
    Int32,
    /// `int64`.
    Int64,
    /// `number`, a 64-bit float.
    Number,
    /// `timestamp`, ISO 8601.
    Timestamp,
    /// `json`, any JSON value.
    Json,
    /// `file`, a file part of a multipart body.
    File,
    /// `list<T>`.
    List(Box<TypeRef>),
    /// A named type.
    Named(String),
}

/// How deep `list<...>` may nest. Every tool walks a type recursively, so a
/// bound keeps a hostile spec (`list<` a hundred thousand times) from
/// overflowing the stack of the compiler running the macro.
pub const MAX_LIST_NESTING: usize = 32;

impl TypeRef {
    /// Parses a type expression; `None` when it is not one, or when its
    /// lists nest deeper than [`MAX_LIST_NESTING`].
    pub fn parse(text: &str) -> Option<TypeRef> {
        TypeRef::parse_within(text, MAX_LIST_NESTING)
    }

    fn parse_within(text: &str, lists_left: usize) -> Option<TypeRef> {
        let text = text.trim();
        let ty = match text {
            "string" => TypeRef::String,
            "boolean" => TypeRef::Boolean,
            "int32" => TypeRef::Int32,
            "int64" => TypeRef::Int64,
            "number" => TypeRef::Number,
            "timestamp" => TypeRef::Timestamp,
            "json" => TypeRef::Json,
            "file" => TypeRef::File,
            _ => {
                if let Some(inner) = text.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
                    let lists_left = lists_left.checked_sub(1)?;
                    TypeRef::List(Box::new(TypeRef::parse_within(inner, lists_left)?))
                } else if names::is_camel_case(text) {
                    TypeRef::Named(text.to_owned())
                } else {
                    return None;
                }
            }
        };
        Some(ty)
    }

    /// The named types this expression mentions.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::List(inner) => inner.named(),
            _ => None,
        }
    }
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::String => f.write_str("string"),
            TypeRef::Boolean => f.write_str("boolean"),
            TypeRef::Int32 => f.write_str("int32"),
            TypeRef::Int64 => f.write_str("int64"),
            TypeRef::Number => f.write_str("number"),
            TypeRef::Timestamp => f.write_str("timestamp"),
            TypeRef::Json => f.write_str("json"),
            TypeRef::File => f.write_str("file"),
            TypeRef::List(inner) => write!(f, "list<{inner}>"),
            TypeRef::Named(name) => f.write_str(name),
        }
    }
}

/// A module of the API: a group of operations with one accessor on the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// The CamelCase name (`Objects`).
    pub name: String,
    /// The snake_case accessor and Rust module name (`objects`).
    pub rust_name: String,
    /// Documentation.
    pub docs: Option<String>,
    /// The module's operations, in spec order.
    pub operations: Vec<Operation>,
    /// Where it is defined.
    pub pointer: String,
}

/// One operation: an HTTP method on a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The CamelCase name (`CreateChild`).
    pub name: String,
    /// The snake_case method name (`create_child`).
    pub rust_name: String,
    /// The HTTP method.
    pub method: Method,
    /// The path template.
    pub path: PathTemplate,
    /// Documentation.
    pub docs: Option<String>,
    /// Set when the operation is deprecated, with what to use instead if
    /// the spec says.
    pub deprecated: Option<Option<String>>,
    /// Parameters, in spec order.
    pub parameters: Vec<Parameter>,
    /// How body parameters are encoded.
    pub body: BodyEncoding,
    /// The type of the envelope's `data`.
    pub response: Option<TypeRef>,
    /// Whether the response is the usual envelope (`false`: the body is the
    /// data itself).
    pub envelope: bool,
    /// An example response body.
    pub example: Option<Value>,
    /// Where it is defined.
    pub pointer: String,
}

impl Operation {
    /// The parameters in a given place, in spec order.
    pub fn parameters_in(&self, location: ParamLocation) -> impl Iterator<Item = &Parameter> {
        self.parameters
            .iter()
            .filter(move |p| p.location == location)
    }
}

/// An HTTP method the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Reads.
    Get,
    /// Creates or updates.
    Post,
    /// Removes.
    Delete,
    /// Partial update (used once, for an object's stream).
    Patch,
}

impl Method {
    /// The method as HTTP writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }
}

/// A path template such as `/streams/{STREAM_ID}/objects`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// The template as written.
    pub raw: String,
    /// Its segments, in order.
    pub segments: Vec<PathSegment>,
}

/// One `/`-separated segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text.
    Literal(String),
    /// A whole-segment placeholder `{NAME}`.
    Param(String),
}

impl PathTemplate {
    /// Splits a template into segments. Text that is neither literal nor a
    /// whole-segment placeholder is reported by the check phase.
    pub fn parse(raw: &str) -> PathTemplate {
        let segments = raw
            .trim_start_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .map(
                |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) if !name.contains(['{', '}']) => PathSegment::Param(name.to_owned()),
                    _ => PathSegment::Literal(segment.to_owned()),
                },
            )
            .collect();
        PathTemplate {
            raw: raw.to_owned(),
            segments,
        }
    }

    /// The names of the placeholders, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            PathSegment::Param(name) => Some(name.as_str()),
            PathSegment::Literal(_) => None,
        })
    }
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    /// The Rust identifier, as written in source.
    pub rust_name: String,
    /// Where the parameter goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Whether the caller must give it (then it is a method argument).
    pub required: bool,
    /// The server's default, for the docs.
    pub default: Option<Value>,
    /// How a list goes into the query.
    pub style: ListStyle,
    /// Documentation.
    pub docs: Option<String>,
    /// Where it is defined.
    pub pointer: String,
}

/// Where a parameter goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// The request body.
    Body,
}

/// How a list parameter is written in a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// `status=1,8`.
    Comma,
    /// `status=1&status=8`.
    Repeat,
}

/// How an operation's body parameters are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// No body.
    None,
    /// JSON `{"data": {...}}`.
    JsonData,
    /// Form field `data=<JSON text>`.
    FormData,
    /// Flat JSON object.
    Json,
    /// `multipart/form-data`.
    Multipart,
}

impl BodyEncoding {
    /// The encoding's name in the spec.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyEncoding::None => "none",
            BodyEncoding::JsonData => "json-data",
            BodyEncoding::FormData => "form-data",
            BodyEncoding::Json => "json",
            BodyEncoding::Multipart => "multipart",
        }
    }
}

// ===== building the model from JSON =====

/// An object in the document together with its pointer, which records a
/// problem for every key it was not asked about.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    pointer: String,
}

impl<'a> Obj<'a> {
    fn new(
        value: &'a Value,
        pointer: &str,
        what: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<Self> {
        match value {
            Value::Object(map) => Some(Obj {
                map,
                pointer: pointer.to_owned(),
            }),
            other => {
                problems.push(Problem::at(
                    pointer,
                    format!("{what} must be a JSON object, found {}", kind_of(other)),
                ));
                None
            }
        }
    }

    /// Reports keys outside `known`, naming the ones allowed.
    fn only(&self, known: &[&str], problems: &mut Vec<Problem>) {
        for key in self.map.keys() {
            if !known.contains(&key.as_str()) {
                // A typo is one or two edits away from the key meant.
                let suggestion = crate::check::closest(key, known.iter().copied())
                    .map(|closest| format!(" (did you mean `{closest}`?)"))
                    .unwrap_or_default();
                problems.push(Problem::at(
                    &join(&self.pointer, key),
                    format!(
                        "unknown key `{key}`{suggestion}; expected one of: {}",
                        known.join(", ")
                    ),
                ));
            }
        }
    }

    fn at(&self, key: &str) -> String {
        join(&self.pointer, key)
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    fn string(&self, key: &str, problems: &mut Vec<Problem>) -> Option<String> {
        match self.map.get(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                problems.push(Problem::at(
                    &self.at(key),
                    format!("`{key}` must be a string, found {}", kind_of(other)),
                ));
                None
            }
        }
    }

    fn required_string(&self, key: &str, problems: &mut Vec<Problem>) -> String {
        if !self.map.contains_key(key) {
            problems.push(Problem::at(
                &self.pointer,
                format!("missing required key `{key}`"),
            ));
        }
        self.string(key, problems).unwrap_or_default()
    }

    fn boolean(&self, key: &str, problems: &mut Vec<Problem>) -> Option<bool> {
        match self.map.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                problems.push(Problem::at(
                    &self.at(key),
                    format!("`{key}` must be true or false, found {}", kind_of(other)),
                ));
                None
            }
        }
    }

    /// The entries of an object-valued key, each with its pointer.
    fn entries(
        &self,
        key: &str,
        problems: &mut Vec<Problem>,
    ) -> Vec<(&'a String, &'a Value, String)> {
        let pointer = self.at(key);
        match self.map.get(key) {
            None => Vec::new(),
            Some(Value::Object(map)) => {
                map.iter().map(|(k, v)| (k, v, join(&pointer, k))).collect()
            }
            Some(other) => {
                problems.push(Problem::at(
                    &pointer,
                    format!(
                        "`{key}` must be a JSON object keyed by name, found {}",
                        kind_of(other)
                    ),
                ));
                Vec::new()
            }
        }
    }
}

/// How a JSON value's kind is named in messages (`"a string"`, `"null"`),
/// by the spec checks and by tools that check values against the spec.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads a type expression at `key`, reporting one that does not parse.
fn type_at(obj: &Obj<'_>, key: &str, problems: &mut Vec<Problem>) -> Option<TypeRef> {
    let text = obj.string(key, problems)?;
    let ty = TypeRef::parse(&text);
    if ty.is_none() {
        problems.push(Problem::at(
            &obj.at(key),
            format!(
                "`{text}` is not a type: use string, boolean, int32, int64, number, timestamp, \
                 json, file, list<T>, or the CamelCase name of a type under /types"
            ),
        ));
    }
    ty
}

/// The Rust name of a field or parameter: `rust_name` when given, else
/// derived from the wire name.
fn rust_name_of(obj: &Obj<'_>, wire: &str, problems: &mut Vec<Problem>) -> String {
    if let Some(given) = obj.string("rust_name", problems) {
        if !names::is_snake_ident(&given) {
            problems.push(Problem::at(
                &obj.at("rust_name"),
                format!("`{given}` is not a snake_case Rust identifier (and not a keyword)"),
            ));
        }
        return given;
    }
    match names::snake_ident(wire) {
        Some(name) => name,
        None => {
            problems.push(Problem::at(
                &obj.pointer,
                format!(
                    "`{wire}` has no letter or digit to make a Rust name of; add a `rust_name`"
                ),
            ));
            String::from("unnamed")
        }
    }
}

impl Spec {
    /// Builds the model from a JSON document, recording every value of the
    /// wrong shape in `problems`.
    pub fn from_json(document: &Value, problems: &mut Vec<Problem>) -> Spec {
        let Some(top) = Obj::new(document, "", "the spec", problems) else {
            return Spec::empty();
        };
        if top.get("openapi").is_some()
            || top.get("swagger").is_some()
            || top.get("paths").is_some()
        {
            problems.push(Problem::at(
                "",
                "this is an OpenAPI document, not a cirrus spec: describe the API with `modules` \
                 and `types` as the cirrus spec format describes (spec/README.md in the cirrus repository)",
            ));
            return Spec::empty();
        }
        top.only(
            &["$schema", "title", "version", "docs", "types", "modules"],
            problems,
        );
        let title = top.required_string("title", problems);
        let version = top.required_string("version", problems);
        let docs = top.string("docs", problems);
        let types = top
            .entries("types", problems)
            .into_iter()
            .filter_map(|(name, value, pointer)| {
                TypeDef::from_json(name, value, &pointer, problems)
            })
            .collect();
        if top.get("modules").is_none() {
            problems.push(Problem::at("", "missing required key `modules`"));
        }
        let modules = top
            .entries("modules", problems)
            .into_iter()
            .filter_map(|(name, value, pointer)| Module::from_json(name, value, &pointer, problems))
            .collect();
        Spec {
            title,
            version,
            docs,
            types,
            modules,
        }
    }

    fn empty() -> Spec {
        Spec {
            title: String::new(),
            version: String::new(),
            docs: None,
            types: Vec::new(),
            modules: Vec::new(),
        }
    }

    /// The named type called `name`.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }

    /// Every operation with its module.
    pub fn operations(&self) -> impl Iterator<Item = (&Module, &Operation)> {
        self.modules
            .iter()
            .flat_map(|m| m.operations.iter().map(move |op| (m, op)))
    }
}

impl TypeDef {
    fn from_json(
        name: &str,
        value: &Value,
        pointer: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<TypeDef> {
        let obj = Obj::new(value, pointer, "a type", problems)?;
        let docs = obj.string("docs", problems);
        let kind = match obj.string("kind", problems).as_deref() {
            Some("object") => {
                obj.only(&["kind", "docs", "fields"], problems);
                let fields = obj
                    .entries("fields", problems)
                    .into_iter()
                    .filter_map(|(json_name, value, pointer)| {
                        Field::from_json(json_name, value, &pointer, problems)
                    })
                    .collect();
                TypeKind::Object(fields)
            }
            Some("enum") => {
                obj.only(&["kind", "docs", "repr", "values"], problems);
                TypeKind::Enum(EnumDef::from_json(&obj, problems))
            }
            Some(other) => {
                problems.push(Problem::at(
                    &obj.at("kind"),
                    format!("unknown kind `{other}`: a type is an `object` or an `enum`"),
                ));
                return None;
            }
            None => {
                problems.push(Problem::at(
                    pointer,
                    "missing required key `kind` (`object` or `enum`)",
                ));
                return None;
            }
        };
        Some(TypeDef {
            name: name.to_owned(),
            docs,
            kind,
            pointer: pointer.to_owned(),
        })
    }
}

impl Field {
    fn from_json(
        json_name: &str,
        value: &Value,
        pointer: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<Field> {
        let obj = Obj::new(value, pointer, "a field", problems)?;
        obj.only(&["type", "required", "docs", "rust_name"], problems);
        if obj.get("type").is_none() {
            problems.push(Problem::at(pointer, "missing required key `type`"));
        }
        let ty = type_at(&obj, "type", problems)?;
        Some(Field {
            json_name: json_name.to_owned(),
            rust_name: rust_name_of(&obj, json_name, problems),
            ty,
            required: obj.boolean("required", problems).unwrap_or(false),
            docs: obj.string("docs", problems),
            pointer: pointer.to_owned(),
        })
    }
}

impl EnumDef {
    fn from_json(obj: &Obj<'_>, problems: &mut Vec<Problem>) -> EnumDef {
        let repr = match obj.string("repr", problems).as_deref() {
            Some("integer") => EnumRepr::Integer,
            Some("string") => EnumRepr::String,
            other => {
                let found = other.map_or("nothing".to_owned(), |o| format!("`{o}`"));
                problems.push(Problem::at(
                    &obj.at("repr"),
                    format!("`repr` must be `integer` or `string`, found {found}"),
                ));
                EnumRepr::Integer
            }
        };
        let mut values = Vec::new();
        let pointer = obj.at("values");
        match obj.get("values") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let pointer = join(&pointer, &i.to_string());
                    if let Some(value) = EnumValue::from_json(item, &pointer, repr, problems) {
                        values.push(value);
                    }
                }
            }
            _ => problems.push(Problem::at(
                &pointer,
                "`values` must be an array of {\"value\": ..., \"name\": ...}",
            )),
        }
        EnumDef { repr, values }
    }
}

impl EnumValue {
    fn from_json(
        value: &Value,
        pointer: &str,
        repr: EnumRepr,
        problems: &mut Vec<Problem>,
    ) -> Option<EnumValue> {
        let obj = Obj::new(value, pointer, "an enum value", problems)?;
        obj.only(&["value", "name", "docs"], problems);
        let code = match (repr, obj.get("value")) {
            (EnumRepr::Integer, Some(Value::Number(n))) if n.is_i64() => {
                EnumCode::Integer(n.as_i64()?)
            }
            (EnumRepr::String, Some(Value::String(s))) => EnumCode::String(s.clone()),
            (_, found) => {
                let expected = match repr {
                    EnumRepr::Integer => "an integer, as `repr` is `integer`",
                    EnumRepr::String => "a string, as `repr` is `string`",
                };
                let found = found.map_or("nothing", kind_of);
                problems.push(Problem::at(
                    &obj.at("value"),
                    format!("`value` must be {expected}; found {found}"),
                ));
                return None;
            }
        };
        let name = obj.required_string("name", problems);
        if !names::is_camel_case(&name) || name == "Unknown" {
            problems.push(Problem::at(
                &obj.at("name"),
                format!(
                    "`{name}` is not a usable variant name: write it in CamelCase (ASCII letters \
                     and digits, a capital first); `Unknown` is reserved for unlisted values"
                ),
            ));
        }
        Some(EnumValue {
            code,
            name,
            docs: obj.string("docs", problems),
            pointer: pointer.to_owned(),
        })
    }
}

impl Module {
    fn from_json(
        name: &str,
        value: &Value,
        pointer: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<Module> {
        let obj = Obj::new(value, pointer, "a module", problems)?;
        obj.only(&["docs", "operations"], problems);
        if obj.get("operations").is_none() {
            problems.push(Problem::at(pointer, "missing required key `operations`"));
        }
        let operations = obj
            .entries("operations", problems)
            .into_iter()
            .filter_map(|(op_name, value, pointer)| {
                Operation::from_json(name, op_name, value, &pointer, problems)
            })
            .collect();
        Some(Module {
            name: name.to_owned(),
            rust_name: names::snake_ident(name).unwrap_or_default(),
            docs: obj.string("docs", problems),
            operations,
            pointer: pointer.to_owned(),
        })
    }
}

impl Operation {
    fn from_json(
        module: &str,
        name: &str,
        value: &Value,
        pointer: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<Operation> {
        let obj = Obj::new(value, pointer, "an operation", problems)?;
        obj.only(
            &[
                "method",
                "path",
                "docs",
                "deprecated",
                "parameters",
                "body",
                "response",
                "envelope",
                "example",
            ],
            problems,
        );
        let method = match obj.required_string("method", problems).as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "DELETE" => Method::Delete,
            "PATCH" => Method::Patch,
            "" => Method::Get,
            other => {
                problems.push(Problem::at(
                    &obj.at("method"),
                    format!("unknown HTTP method `{other}`: use GET, POST, DELETE or PATCH"),
                ));
                Method::Get
            }
        };
        let path = obj
            .string("path", problems)
            .unwrap_or_else(|| format!("/{module}/{name}"));
        let deprecated = match obj.get("deprecated") {
            None | Some(Value::Bool(false)) => None,
            Some(Value::Bool(true)) => Some(None),
            Some(Value::String(note)) => Some(Some(note.clone())),
            Some(other) => {
                problems.push(Problem::at(
                    &obj.at("deprecated"),
                    format!("`deprecated` must be true or a string saying what to use instead, found {}", kind_of(other)),
                ));
                None
            }
        };
        let parameters = obj
            .entries("parameters", problems)
            .into_iter()
            .filter_map(|(param, value, pointer)| {
                Parameter::from_json(param, value, &pointer, problems)
            })
            .collect();
        let body = match obj.string("body", problems).as_deref() {
            None | Some("none") => BodyEncoding::None,
            Some("json-data") => BodyEncoding::JsonData,
            Some("form-data") => BodyEncoding::FormData,
            Some("json") => BodyEncoding::Json,
            Some("multipart") => BodyEncoding::Multipart,
            Some(other) => {
                problems.push(Problem::at(
                    &obj.at("body"),
                    format!("unknown body encoding `{other}`: use none, json-data, form-data, json or multipart"),
                ));
                BodyEncoding::None
            }
        };
        let response = match obj.get("response") {
            None => None,
            Some(Value::String(s)) if s == "none" => None,
            Some(_) => type_at(&obj, "response", problems),
        };
        Some(Operation {
            name: name.to_owned(),
            rust_name: names::snake_ident(name).unwrap_or_default(),
            method,
            path: PathTemplate::parse(&path),
            docs: obj.string("docs", problems),
            deprecated,
            parameters,
            body,
            response,
            envelope: obj.boolean("envelope", problems).unwrap_or(true),
            example: obj.get("example").cloned(),
            pointer: pointer.to_owned(),
        })
    }
}

impl Parameter {
    fn from_json(
        name: &str,
        value: &Value,
        pointer: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<Parameter> {
        let obj = Obj::new(value, pointer, "a parameter", problems)?;
        obj.only(
            &[
                "in",
                "type",
                "required",
                "default",
                "style",
                "docs",
                "rust_name",
            ],
            problems,
        );
        let location = match obj.required_string("in", problems).as_str() {
            "path" => ParamLocation::Path,
            "query" => ParamLocation::Query,
            "body" => ParamLocation::Body,
            "" => return None,
            other => {
                problems.push(Problem::at(
                    &obj.at("in"),
                    format!("`in` must be path, query or body, found `{other}`"),
                ));
                return None;
            }
        };
        if obj.get("type").is_none() {
            problems.push(Problem::at(pointer, "missing required key `type`"));
        }
        // A parameter whose type is missing or bad is kept, as a string, so
        // that the path check still finds it declared; its type was reported.
        let ty = type_at(&obj, "type", problems);
        let known_type = ty.is_some();
        let ty = ty.unwrap_or(TypeRef::String);
        let required = obj.boolean("required", problems);
        if location == ParamLocation::Path && required == Some(false) {
            problems.push(Problem::at(
                &obj.at("required"),
                "a path parameter is always required: remove `\"required\": false`",
            ));
        }
        let style = match obj.string("style", problems).as_deref() {
            None | Some("comma") => ListStyle::Comma,
            Some("repeat") => ListStyle::Repeat,
            Some(other) => {
                problems.push(Problem::at(
                    &obj.at("style"),
                    format!("unknown list style `{other}`: use comma or repeat"),
                ));
                ListStyle::Comma
            }
        };
        if obj.get("style").is_some()
            && known_type
            && !(location == ParamLocation::Query && matches!(ty, TypeRef::List(_)))
        {
            problems.push(Problem::at(
                &obj.at("style"),
                "`style` applies only to list parameters in the query",
            ));
        }
        Some(Parameter {
            name: name.to_owned(),
            rust_name: rust_name_of(&obj, name, problems),
            location,
            ty,
            required: location == ParamLocation::Path || required.unwrap_or(false),
            default: obj.get("default").filter(|_| known_type).cloned(),
            style,
            docs: obj.string("docs", problems),
            pointer: pointer.to_owned(),
        })
    }
}
