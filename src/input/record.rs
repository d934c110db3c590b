//! One JSONL line → one [`ArticleRecord`], or the reason it cannot be used.
//!
//! Field names differ between dumps, so each logical field has an ordered list
//! of accepted names ([`FieldMap`]); the first one present with a non-null
//! value wins. Only those fields are materialised; everything else in the
//! object is validated and skipped without allocating.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Ordered accepted names for every logical field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldMap {
    pub id: Vec<String>,
    pub text: Vec<String>,
    pub title: Vec<String>,
    pub outlet: Vec<String>,
    pub published: Vec<String>,
    pub url: Vec<String>,
}

impl Default for FieldMap {
    fn default() -> FieldMap {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        FieldMap {
            id: names(&["id", "article_id", "_id", "uuid", "url"]),
            text: names(&["text", "body", "maintext", "content", "article", "story_text"]),
            title: names(&["title", "headline"]),
            outlet: names(&["outlet", "source", "source_domain", "domain", "publisher", "media"]),
            published: names(&["published", "date_publish", "date", "published_at", "publish_date"]),
            url: names(&["url", "link"]),
        }
    }
}

const ID: usize = 0;
const TEXT: usize = 1;
const TITLE: usize = 2;
const OUTLET: usize = 3;
const PUBLISHED: usize = 4;
const URL: usize = 5;
const FIELDS: usize = 6;

impl FieldMap {
    fn lists(&self) -> [&Vec<String>; FIELDS] {
        [&self.id, &self.text, &self.title, &self.outlet, &self.published, &self.url]
    }
}

/// A usable article, as read from its line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArticleRecord {
    pub id: String,
    pub text: String,
    pub title: String,
    pub outlet: String,
    pub published: String,
    pub url: String,
}

/// A JSON value as far as field mapping cares.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    /// A number, kept in its JSON spelling.
    Number(String),
    Bool(bool),
    Null,
    Array,
    /// An object; `name` is its `"name"` string member if any (NewsAPI's
    /// `"source": {"id": ..., "name": ...}`).
    Object {
        name: Option<String>,
    },
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
            Value::Array => "an array",
            Value::Object { .. } => "an object",
        }
    }

    /// The value as a table cell for metadata fields.
    fn into_cell(self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s),
            Value::Number(n) => Some(n),
            Value::Bool(b) => Some(b.to_string()),
            Value::Object { name } => name,
            Value::Null | Value::Array => None,
        }
    }
}

/// Per logical field, the best (lowest alias rank) non-null value seen, and
/// whether any alias was present at all.
#[derive(Default)]
struct Slots {
    values: [Option<(usize, Value)>; FIELDS],
    present: [bool; FIELDS],
}

impl Slots {
    fn offer(&mut self, field: usize, rank: usize, value: Value) {
        self.present[field] = true;
        if value == Value::Null {
            return;
        }
        match &self.values[field] {
            Some((best, _)) if *best <= rank => {}
            _ => self.values[field] = Some((rank, value)),
        }
    }
}

#[allow(clippy::large_enum_variant)] // built once per line, never stored
enum Parsed {
    Object(Slots),
    NotObject(&'static str),
}

struct LineSeed<'a> {
    fields: &'a FieldMap,
}

impl<'de> DeserializeSeed<'de> for LineSeed<'_> {
    type Value = Parsed;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Parsed, D::Error> {
        d.deserialize_any(LineVisitor { fields: self.fields })
    }
}

struct LineVisitor<'a> {
    fields: &'a FieldMap,
}

impl<'de> Visitor<'de> for LineVisitor<'_> {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let mut slots = Slots::default();
        let lists = self.fields.lists();
        while let Some(key) = map.next_key_seed(KeySeed { lists: &lists })? {
            match key {
                Some(matches) => {
                    let value = map.next_value_seed(ValueSeed)?;
                    // Clone only for a key that serves several fields (`url`);
                    // the text itself is moved, never copied.
                    let (last, others) = matches.pairs[..matches.len].split_last().expect("a match");
                    for &(field, rank) in others {
                        slots.offer(field, rank, value.clone());
                    }
                    slots.offer(last.0, last.1, value);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Parsed::Object(slots))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Parsed, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Parsed::NotObject("an array"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Parsed, E> {
        Ok(Parsed::NotObject("a string"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Parsed, E> {
        Ok(Parsed::NotObject("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Parsed, E> {
        Ok(Parsed::NotObject("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Parsed, E> {
        Ok(Parsed::NotObject("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Parsed, E> {
        Ok(Parsed::NotObject("a number"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Parsed, E> {
        Ok(Parsed::NotObject("null"))
    }
}

/// Which (field, rank) pairs a key names; one key may serve several fields
/// (`url` is both an id alias and the url field).
#[derive(Default)]
struct KeyMatches {
    pairs: [(usize, usize); FIELDS],
    len: usize,
}

struct KeySeed<'a> {
    lists: &'a [&'a Vec<String>; FIELDS],
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Option<KeyMatches>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Option<KeyMatches>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        let mut matches = KeyMatches::default();
        for (field, list) in self.lists.iter().enumerate() {
            if let Some(rank) = list.iter().position(|name| name == key) {
                matches.pairs[matches.len] = (field, rank);
                matches.len += 1;
            }
        }
        Ok((matches.len > 0).then_some(matches))
    }
}

struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut name = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "name" && name.is_none() {
                if let Value::Str(s) = map.next_value_seed(ValueSeed)? {
                    name = Some(s);
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Value::Object { name })
    }
}

/// Parses one line (without its line ending) into an article.
/// `fallback_id` is used when no id field is present.
pub fn parse_line(
    line: &[u8],
    fields: &FieldMap,
    fallback_id: impl FnOnce() -> String,
) -> Result<ArticleRecord, String> {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let text = std::str::from_utf8(line).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1))?;
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed =
        LineSeed { fields }.deserialize(&mut de).and_then(|p| de.end().map(|_| p)).map_err(|e| json_reason(&e))?;
    let mut slots = match parsed {
        Parsed::Object(slots) => slots,
        Parsed::NotObject(kind) => return Err(format!("not a JSON object (found {kind})")),
    };
    let take = |slots: &mut Slots, field: usize| slots.values[field].take().map(|(_, v)| v);
    let article_text = match take(&mut slots, TEXT) {
        Some(Value::Str(s)) if s.trim().is_empty() => {
            return Err(format!("text is empty (field {})", first_present(fields, TEXT)));
        }
        Some(Value::Str(s)) => s,
        Some(other) => return Err(format!("text is {}, not a string", other.kind())),
        None if slots.present[TEXT] => return Err("text is null".to_string()),
        None => {
            return Err(format!("no text field (looked for: {})", fields.text.join(", ")));
        }
    };
    let id =
        take(&mut slots, ID).and_then(Value::into_cell).filter(|s| !s.trim().is_empty()).unwrap_or_else(fallback_id);
    let mut cell = |field| take(&mut slots, field).and_then(Value::into_cell).unwrap_or_default();
    Ok(ArticleRecord {
        id,
        title: cell(TITLE),
        outlet: cell(OUTLET),
        published: cell(PUBLISHED),
        url: cell(URL),
        text: article_text,
    })
}

fn first_present(fields: &FieldMap, field: usize) -> &str {
    fields.lists()[field].first().map(String::as_str).unwrap_or("text")
}

/// A reason that reads well for a one-line record: the column, not "line 1".
fn json_reason(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(pos) => &message[..pos],
        None => &message,
    };
    match e.classify() {
        serde_json::error::Category::Eof => {
            format!("invalid JSON: line ends inside the object (truncated?) at column {}", e.column())
        }
        _ => format!("invalid JSON at column {}: {message}", e.column()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<ArticleRecord, String> {
        parse_line(line.as_bytes(), &FieldMap::default(), || "fallback".to_string())
    }

    #[test]
    fn standard_fields() {
        let a = parse(r#"{"id":"a1","title":"T","outlet":"o","published":"2020-01-02","url":"http://x","text":"Hello \"there\"","extra":[1,{"a":2}]}"#).unwrap();
        assert_eq!(a.id, "a1");
        assert_eq!(a.text, "Hello \"there\"");
        assert_eq!(a.title, "T");
        assert_eq!(a.outlet, "o");
        assert_eq!(a.published, "2020-01-02");
        assert_eq!(a.url, "http://x");
    }

    #[test]
    fn aliases_first_present_wins_by_list_order() {
        let a = parse(r#"{"body":"B","article":"A","headline":"H","source":{"id":"x","name":"The Pulse"},"date_publish":"2021","_id":7}"#).unwrap();
        assert_eq!(a.text, "B");
        assert_eq!(a.title, "H");
        assert_eq!(a.outlet, "The Pulse");
        assert_eq!(a.published, "2021");
        assert_eq!(a.id, "7");
        let b = parse(r#"{"content":"C","text":null,"url":"u"}"#).unwrap();
        assert_eq!(b.text, "C");
        assert_eq!(b.id, "u");
        assert_eq!(b.url, "u");
    }

    #[test]
    fn fallback_id_and_bom() {
        let a = parse("\u{feff}{\"text\":\"x\"}").unwrap();
        assert_eq!(a.id, "fallback");
    }

    #[test]
    fn reasons() {
        assert_eq!(
            parse(r#"{"id":1}"#).unwrap_err(),
            "no text field (looked for: text, body, maintext, content, article, story_text)"
        );
        assert_eq!(parse(r#"{"text":null}"#).unwrap_err(), "text is null");
        assert_eq!(parse(r#"{"text":42}"#).unwrap_err(), "text is a number, not a string");
        assert_eq!(parse(r#"{"text":"  "}"#).unwrap_err(), "text is empty (field text)");
        assert_eq!(parse(r#"[1,2]"#).unwrap_err(), "not a JSON object (found an array)");
        assert_eq!(parse(r#""str""#).unwrap_err(), "not a JSON object (found a string)");
        assert!(
            parse(r#"{"text":"abc""#).unwrap_err().contains("truncated"),
            "{}",
            parse(r#"{"text":"abc""#).unwrap_err()
        );
        assert!(parse(r#"{"text":"a"} x"#).unwrap_err().starts_with("invalid JSON at column"));
        let bad = parse_line(b"{\"text\":\"a\xff\"}", &FieldMap::default(), String::new).unwrap_err();
        assert_eq!(bad, "invalid UTF-8 at byte 11");
    }
}
