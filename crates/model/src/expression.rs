//! Expressions inside values, and the catalog of what can be inserted.
//!
//! Three forms occur in the portal's values: `{=Object:Field > modifiers}`, the robot designer's display form
//! `{{Deal name}}`, and calculations (`{{= … }}` inline, or a whole value starting with `=`). Text
//! around them is literal and is never touched: only a display form that names a known field is
//! rewritten, into the `{=Object:Field}` form the runtime resolves.

use crate::lenient::{get_ci, list_like, scalar_text};
use serde_json::Value;
use std::collections::HashMap;
use std::ops::Range;

/// One piece of a value's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    Literal(&'a str),
    /// `{=Object:Field > modifiers}`
    Field { object: &'a str, field: &'a str, modifiers: Option<&'a str> },
    /// `{{Name > modifiers}}`
    Display { name: &'a str, modifiers: Option<&'a str> },
    /// `{{= … }}`
    Calc(&'a str),
}

/// Splits a value into literal text and expressions. Unclosed braces are literal text.
///
/// Linear in the text: each open asks a `Closer` for its closer, and a `{=` that is no field
/// expression stops reading at the first character that rules it out, so a run of opens that
/// never close costs no more than plain text (a search from every open would cost its square).
pub fn segments(text: &str) -> Vec<(Range<usize>, Segment<'_>)> {
    let mut out = Vec::new();
    let mut literal_start = 0;
    let mut i = 0;
    let (mut double, mut single) = (Closer::new("}}"), Closer::new("}"));
    while i < text.len() {
        let rest = &text[i..];
        let found = if rest.starts_with("{{") {
            double.at_or_after(text, i).map(|end| (end - i + 2, double_brace(&text[i + 2..end])))
        } else if rest.starts_with("{=") {
            single.at_or_after(text, i).and_then(|end| field(&text[i + 2..end]).map(|seg| (end - i + 1, seg)))
        } else {
            None
        };
        match found {
            Some((len, seg)) => {
                if literal_start < i {
                    out.push((literal_start..i, Segment::Literal(&text[literal_start..i])));
                }
                out.push((i..i + len, seg));
                i += len;
                literal_start = i;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    if literal_start < text.len() {
        out.push((literal_start..text.len(), Segment::Literal(&text[literal_start..])));
    }
    out
}

/// The next place of a closing token at or after a position that only grows: the place found last
/// stays good until the position passes it, so the text is searched once in all.
struct Closer {
    token: &'static str,
    /// `None` before the first search; `Some(None)` once the text has no more of the token.
    next: Option<Option<usize>>,
}

impl Closer {
    fn new(token: &'static str) -> Self {
        Closer { token, next: None }
    }

    fn at_or_after(&mut self, text: &str, from: usize) -> Option<usize> {
        match self.next {
            Some(Some(at)) if at >= from => Some(at),
            Some(None) => None,
            _ => {
                let at = text[from..].find(self.token).map(|at| from + at);
                self.next = Some(at);
                at
            }
        }
    }
}

fn split_modifiers(s: &str) -> (&str, Option<&str>) {
    match s.split_once('>') {
        Some((head, mods)) => (head.trim(), Some(mods.trim())),
        None => (s.trim(), None),
    }
}

fn double_brace(inner: &str) -> Segment<'_> {
    match inner.trim_start().strip_prefix('=') {
        Some(calc) => Segment::Calc(calc.trim()),
        None => {
            let (name, modifiers) = split_modifiers(inner);
            Segment::Display { name, modifiers }
        }
    }
}

fn field(inner: &str) -> Option<Segment<'_>> {
    let colon = object_end(inner)?;
    let rest = &inner[colon + 1..];
    // The field (before any `>`) must be more than spaces. Checked first: `split_modifiers` trims
    // the modifiers too, back from the closing brace, which every failed `{=` would pay again.
    if rest.split('>').next().unwrap_or_default().trim().is_empty() {
        return None;
    }
    let (field, modifiers) = split_modifiers(rest);
    Some(Segment::Field { object: inner[..colon].trim(), field, modifiers })
}

/// Where the object of `{=Object:Field}` ends: at the first `:`, when what stands before it is a
/// word (ASCII letters, digits, `_`) between optional spaces. Reads no further than the first
/// character that rules the object out, so a failed `{=` costs what it read, not the rest of the
/// value (a plain `split_once(':')` would read up to the closing brace).
fn object_end(inner: &str) -> Option<usize> {
    // 0: spaces before the word, 1: in the word, 2: spaces after it.
    let mut state = 0;
    for (i, c) in inner.char_indices() {
        state = match (state, c) {
            (1 | 2, ':') => return Some(i),
            (0 | 2, c) if c.is_whitespace() => state,
            (1, c) if c.is_whitespace() => 2,
            (0 | 1, c) if c.is_ascii_alphanumeric() || c == '_' => 1,
            _ => return None,
        };
    }
    None
}

/// True when the whole value (ignoring surrounding space) is one expression or a calculation:
/// such a value is accepted by every typed field, because the portal resolves it at run time.
pub fn is_expression(text: &str) -> bool {
    let t = text.trim();
    if t.starts_with('=') {
        return true;
    }
    matches!(segments(t).as_slice(), [(_, s)] if !matches!(s, Segment::Literal(_)))
}

/// True when the value holds any expression at all.
pub fn has_expression(text: &str) -> bool {
    text.trim_start().starts_with('=') || segments(text).iter().any(|(_, s)| !matches!(s, Segment::Literal(_)))
}

/// Where an insertable expression comes from; the picker groups by this.
/// A field of the document the rule runs on, as `document_fields` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentField {
    pub code: String,
    pub name: String,
    /// The base type (`BaseType`, else `Type`).
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogGroup {
    Document,
    Parameter,
    Variable,
    Constant,
    GlobalVariable,
    GlobalConstant,
    /// An earlier step's return values; the step's title.
    Step(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogItem {
    pub group: CatalogGroup,
    pub label: String,
    /// The expression to insert, e.g. `{=Document:TITLE}`.
    pub expression: String,
    /// The item's base type, when known (`string`, `user`, …).
    pub kind: String,
}

/// Everything a field can insert: document fields, and from `template` (robot designer only) the
/// template's parameters, variables, constants, global ones, and earlier steps' return values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    pub items: Vec<CatalogItem>,
    /// Built with the items, so a value with k names against k items costs k lookups, not k²:
    /// a label, trimmed and in ASCII lower case, to the item it reads as (`by_label`'s order);
    by_label: HashMap<String, usize>,
    /// and an expression to its first item.
    by_expression: HashMap<String, usize>,
}

impl Catalog {
    pub fn build(fields: &[DocumentField], template: Option<&Value>) -> Catalog {
        let mut items: Vec<CatalogItem> = fields
            .iter()
            .map(|f| CatalogItem {
                group: CatalogGroup::Document,
                label: f.name.clone(),
                expression: format!("{{=Document:{}}}", f.code),
                kind: f.kind.clone(),
            })
            .collect();
        if let Some(Value::Object(t)) = template {
            let groups = [
                ("parameters", "Template", CatalogGroup::Parameter),
                ("variables", "Variable", CatalogGroup::Variable),
                ("constants", "Constant", CatalogGroup::Constant),
                ("global_variables", "GlobalVar", CatalogGroup::GlobalVariable),
                ("global_constants", "GlobalConst", CatalogGroup::GlobalConstant),
            ];
            for (key, object, group) in groups {
                for (id, name, kind) in get_ci(t, key).map(named_entries).unwrap_or_default() {
                    items.push(CatalogItem {
                        group: group.clone(),
                        label: name,
                        expression: format!("{{={object}:{id}}}"),
                        kind,
                    });
                }
            }
            for step in get_ci(t, "return_activities").map(list_like).unwrap_or_default() {
                let Value::Object(step) = step else { continue };
                let Some(step_id) = get_ci(&step, "Id").and_then(scalar_text) else { continue };
                let title = get_ci(&step, "Title").and_then(scalar_text).unwrap_or_else(|| step_id.clone());
                for (id, name, kind) in get_ci(&step, "Return").map(named_entries).unwrap_or_default() {
                    items.push(CatalogItem {
                        group: CatalogGroup::Step(title.clone()),
                        label: name,
                        expression: format!("{{={step_id}:{id}}}"),
                        kind,
                    });
                }
            }
        }
        let (mut by_label, mut by_expression) = (HashMap::new(), HashMap::new());
        for (index, item) in items.iter().enumerate() {
            let document = item.group == CatalogGroup::Document;
            let taken = by_label.entry(label_key(&item.label)).or_insert(index);
            if document && items[*taken].group != CatalogGroup::Document {
                *taken = index;
            }
            by_expression.entry(item.expression.clone()).or_insert(index);
        }
        Catalog { items, by_label, by_expression }
    }

    /// The item a display name (`{{Deal name}}`) stands for: a document field first, as the robot
    /// designer's display form names document fields; compared without regard to case.
    fn by_label(&self, name: &str) -> Option<&CatalogItem> {
        self.by_label.get(&label_key(name)).map(|&i| &self.items[i])
    }

    /// The value with every resolvable display form rewritten as its `{=…}` expression, modifiers
    /// kept. Literal text, other expressions and unknown display names stay exactly as typed.
    pub fn canonical(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for (range, seg) in segments(text) {
            match seg {
                Segment::Display { name, modifiers } => match self.by_label(name) {
                    Some(item) => out.push_str(&with_modifiers(&item.expression, modifiers)),
                    None => out.push_str(&text[range]),
                },
                _ => out.push_str(&text[range]),
            }
        }
        out
    }

    /// Display names in the value that no field or template item carries.
    pub fn unknown_names<'t>(&self, text: &'t str) -> Vec<&'t str> {
        segments(text)
            .into_iter()
            .filter_map(|(_, s)| match s {
                Segment::Display { name, .. } if self.by_label(name).is_none() => Some(name),
                _ => None,
            })
            .collect()
    }

    /// A readable label for an expression: `{=Document:TITLE}` reads "Deal name".
    pub fn label_of(&self, expression: &str) -> Option<&str> {
        match segments(expression.trim()).as_slice() {
            [(_, Segment::Field { object, field, .. })] => self.by_field(object, field).map(|i| i.label.as_str()),
            _ => None,
        }
    }

    fn by_field(&self, object: &str, field: &str) -> Option<&CatalogItem> {
        let bare = ["{=", object, ":", field, "}"].concat();
        self.by_expression.get(&bare).map(|&i| &self.items[i])
    }

    /// The label that shows `{=Object:Field}` as a display form, when reading that label back
    /// gives the same item (two items can share a label; then the expression stays as stored).
    fn display_label(&self, object: &str, field: &str) -> Option<&str> {
        let item = self.by_field(object, field)?;
        let clean = !item.label.contains(['{', '}', '>']);
        (clean && self.by_label(&item.label).is_some_and(|back| back.expression == item.expression)).then_some(item.label.as_str())
    }

    /// The value as people read it: every `{=…}` expression the catalog knows written as its
    /// display form (`{{Deal name}}`), modifiers kept. `canonical` turns it back exactly.
    ///
    /// Text around an expression can change how its display form reads back: an unclosed `{{`
    /// before it (`Price {{ approx {=Document:TITLE}`) would swallow `{{Deal name}}` into one
    /// unknown name, and the field would be lost on the first edit. Such a value is shown as
    /// stored.
    pub fn display(&self, text: &str) -> String {
        let shown = self.display_forms(text);
        if shown != text && self.canonical(&shown) != self.canonical(text) {
            return text.to_string();
        }
        shown
    }

    fn display_forms(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for (range, seg) in segments(text) {
            match seg {
                Segment::Field { object, field, modifiers } => match self.display_label(object, field) {
                    Some(label) => {
                        out.push_str("{{");
                        out.push_str(label);
                        if let Some(m) = modifiers.filter(|m| !m.is_empty()) {
                            out.push_str(" > ");
                            out.push_str(m);
                        }
                        out.push_str("}}");
                    }
                    None => out.push_str(&text[range]),
                },
                _ => out.push_str(&text[range]),
            }
        }
        out
    }

    /// `{=…}` expressions in the value that the catalog does not list: shown as stored, and
    /// worth a warning (a field of another document type, or a template item since removed).
    /// Nothing is said while the catalog is empty: then the portal listed no fields at all.
    pub fn unknown_expressions<'t>(&self, text: &'t str) -> Vec<&'t str> {
        if self.items.is_empty() {
            return Vec::new();
        }
        segments(text)
            .into_iter()
            .filter_map(|(range, s)| match s {
                Segment::Field { object, field, .. } if self.by_field(object, field).is_none() => Some(&text[range]),
                _ => None,
            })
            .collect()
    }
}

/// Labels match trimmed and without regard to ASCII case: equal keys are labels that
/// `eq_ignore_ascii_case` finds equal.
fn label_key(label: &str) -> String {
    label.trim().to_ascii_lowercase()
}

fn with_modifiers(expression: &str, modifiers: Option<&str>) -> String {
    match modifiers {
        Some(m) if !m.is_empty() => format!("{} > {}}}", &expression[..expression.len() - 1], m),
        _ => expression.to_string(),
    }
}

/// `{Id, Name, Type}` entries from a list, or from a map keyed by id (PHP's own shape).
fn named_entries(value: &Value) -> Vec<(String, String, String)> {
    let keyed: Vec<(Option<String>, Value)> = match value {
        Value::Object(m) => m.iter().map(|(k, v)| (Some(k.clone()), v.clone())).collect(),
        other => list_like(other).into_iter().map(|v| (None, v)).collect(),
    };
    keyed
        .into_iter()
        .filter_map(|(key, v)| {
            let Value::Object(entry) = v else { return None };
            let id = get_ci(&entry, "Id").and_then(scalar_text).filter(|s| !s.is_empty()).or(key)?;
            let name = get_ci(&entry, "Name").and_then(scalar_text).filter(|s| !s.is_empty()).unwrap_or_else(|| id.clone());
            let kind = get_ci(&entry, "Type").and_then(scalar_text).unwrap_or_default();
            Some((id, name, kind))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields() -> Vec<DocumentField> {
        vec![
            DocumentField { code: "TITLE".into(), name: "Deal name".into(), kind: "string".into() },
            DocumentField { code: "ASSIGNED_BY_ID".into(), name: "Responsible person".into(), kind: "user".into() },
        ]
    }

    /// The scan as it was before it was made linear, kept as the specification: `segments` must
    /// give exactly what this gives, for every text.
    fn reference_segments(text: &str) -> Vec<(Range<usize>, Segment<'_>)> {
        let reference_field = |inner| {
            let (object, rest) = str::split_once(inner, ':')?;
            let object = object.trim();
            if object.is_empty() || !object.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return None;
            }
            let (field, modifiers) = split_modifiers(rest);
            (!field.is_empty()).then_some(Segment::Field { object, field, modifiers })
        };
        let (mut out, mut literal_start, mut i) = (Vec::new(), 0, 0);
        while i < text.len() {
            let rest = &text[i..];
            let found = match () {
                _ if rest.starts_with("{{") => rest.find("}}").map(|end| (end + 2, double_brace(&rest[2..end]))),
                _ if rest.starts_with("{=") => rest.find('}').and_then(|end| reference_field(&rest[2..end]).map(|seg| (end + 1, seg))),
                _ => None,
            };
            let Some((len, seg)) = found else {
                i += rest.chars().next().map_or(1, char::len_utf8);
                continue;
            };
            if literal_start < i {
                out.push((literal_start..i, Segment::Literal(&text[literal_start..i])));
            }
            out.push((i..i + len, seg));
            (i, literal_start) = (i + len, i + len);
        }
        if literal_start < text.len() {
            out.push((literal_start..text.len(), Segment::Literal(&text[literal_start..])));
        }
        out
    }

    /// Texts of up to `max` pieces drawn from those that matter to the scan, from a fixed seed.
    fn generated_texts(count: usize, max: usize) -> Vec<String> {
        const PIECES: [&str; 20] =
            ["{{", "}}", "{=", "}", "{", "=", ":", ">", "a", "Z", "_", " ", "é", "€", "😀", "\t", "{=a:", "{= Doc_1 :", "{{x", "> m"];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |below: usize| {
            // xorshift64: plenty for drawing pieces, and no dependency.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        (0..count).map(|_| (0..next(max + 1)).map(|_| PIECES[next(PIECES.len())]).collect()).collect()
    }

    #[test]
    fn segments_are_what_the_old_scan_gave_for_every_text() {
        let mut seen = [0; 4];
        for text in generated_texts(200_000, 24) {
            let segs = segments(&text);
            assert_eq!(segs, reference_segments(&text), "{text:?}");
            for (_, seg) in segs {
                seen[match seg { Segment::Literal(_) => 0, Segment::Field { .. } => 1, Segment::Display { .. } => 2, Segment::Calc(_) => 3 }] += 1;
            }
        }
        assert!(seen.iter().all(|n| *n > 1000), "every kind of segment is generated: {seen:?}");
        // Opens whose closers are far, or whose field is only spaces before modifiers.
        for text in ["{=a:>{=a:>     }", "{=a:   }", "{= a :b}", "{=a b:c}", "{=:b}", "{{{{a}}}}", "{={=a:b}}", "{=a:\u{a0}}"] {
            assert_eq!(segments(text), reference_segments(text), "{text:?}");
        }
    }

    #[test]
    fn opens_that_never_close_cost_no_more_than_plain_text() {
        let spaces = " ".repeat(100_000);
        let texts = ["{{".repeat(100_000), "{=".repeat(100_000), "{{a {=d e ".repeat(20_000) + "}", "{=a:>".repeat(40_000) + &spaces + "}"];
        for text in texts {
            let segs = crate::test_support::finishes_within(5, move || segments(&text).len());
            assert_eq!(segs, 1, "all literal");
        }
    }

    #[test]
    fn segments_split_literals_and_every_expression_form() {
        let s = segments("Hi {=Document:TITLE > printable}, {{Deal name}} {{= 1 + 2 }} {oops");
        let kinds: Vec<_> = s.iter().map(|(_, seg)| seg.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                Segment::Literal("Hi "),
                Segment::Field { object: "Document", field: "TITLE", modifiers: Some("printable") },
                Segment::Literal(", "),
                Segment::Display { name: "Deal name", modifiers: None },
                Segment::Literal(" "),
                Segment::Calc("1 + 2"),
                Segment::Literal(" {oops"),
            ]
        );
    }

    #[test]
    fn braces_that_are_not_expressions_stay_literal() {
        assert_eq!(segments("{=}").len(), 1);
        assert_eq!(segments("{= not an object}").len(), 1);
        assert!(!has_expression("{ json: 1 }"));
        assert!(!has_expression("price = 3"));
    }

    #[test]
    fn whole_value_expressions_are_recognised() {
        assert!(is_expression("{=Document:ID}"));
        assert!(is_expression(" {{Deal name}} "));
        assert!(is_expression("=5*2"));
        assert!(is_expression("{{= 2 + 2 }}"));
        assert!(!is_expression("ID {=Document:ID}"));
        assert!(!is_expression("42"));
        assert!(has_expression("ID {=Document:ID}"));
    }

    #[test]
    fn display_forms_become_expressions_and_the_rest_stays_as_typed() {
        let c = Catalog::build(&fields(), None);
        assert_eq!(c.canonical("Invoice for {{Deal name}}"), "Invoice for {=Document:TITLE}");
        assert_eq!(c.canonical("{{deal NAME > printable}}!"), "{=Document:TITLE > printable}!");
        assert_eq!(c.canonical("{{Unknown}} and {=Document:ID} {{= 1}}"), "{{Unknown}} and {=Document:ID} {{= 1}}");
        assert_eq!(c.canonical("Ünïcode {{Deal name}} ✓"), "Ünïcode {=Document:TITLE} ✓");
        assert_eq!(c.unknown_names("{{Unknown}} {{Deal name}}"), vec!["Unknown"]);
    }

    #[test]
    fn stored_expressions_read_as_display_forms_and_back() {
        let template = json!({"constants": [{"Id": "VatRate", "Name": "VAT rate", "Type": "double"}],
            "variables": [{"Id": "Title2", "Name": "Deal name", "Type": "string"}]});
        let c = Catalog::build(&fields(), Some(&template));
        assert_eq!(c.display("Invoice for {=Document:TITLE}"), "Invoice for {{Deal name}}");
        assert_eq!(c.display("{=Document:TITLE > printable}!"), "{{Deal name > printable}}!");
        assert_eq!(c.display("{=Constant:VatRate}"), "{{VAT rate}}");
        // A variable that shares the document field's label would read back as the field.
        assert_eq!(c.display("{=Variable:Title2}"), "{=Variable:Title2}");
        assert_eq!(c.display("{=Document:NOPE} {{= 1 }} {{Unknown}}"), "{=Document:NOPE} {{= 1 }} {{Unknown}}");
        for stored in ["Invoice for {=Document:TITLE}", "{=Document:TITLE > printable}!", "{=Constant:VatRate}",
            "{=Variable:Title2}", "{=Document:NOPE}", "a {=Document:ASSIGNED_BY_ID} b {=Constant:VatRate}", "{{= 1 }}"] {
            assert_eq!(c.canonical(&c.display(stored)), stored, "round trip of {stored}");
        }
        assert_eq!(c.unknown_expressions("{=Document:NOPE} and {=Document:TITLE}"), vec!["{=Document:NOPE}"]);
        assert!(Catalog::default().unknown_expressions("{=Document:NOPE}").is_empty(), "no catalog, no warning");
    }

    #[test]
    fn an_unclosed_brace_before_an_expression_keeps_it_as_stored() {
        let c = Catalog::build(&fields(), None);
        for text in ["Price {{ approx {=Document:TITLE}", "{{{=Document:TITLE}", "a {{ b {=Document:TITLE} c }"] {
            assert_eq!(c.display(text), text, "{text}");
            assert_eq!(c.canonical(&c.display(text)), c.canonical(text), "{text}");
        }
        assert_eq!(c.display("{{ closed }} {=Document:TITLE}"), "{{ closed }} {{Deal name}}", "a closed pair leaves the rest readable");
    }

    #[test]
    fn labels_and_expressions_are_looked_up_as_the_scans_did() {
        let fields = [("TITLE", "Deal name"), ("TITLE_2", " deal NAME "), ("RATE", "Rate"), ("TITLE", "Other")]
            .map(|(code, name)| DocumentField { code: code.into(), name: name.into(), kind: "string".into() });
        let template = json!({"variables": [{"Id": "V", "Name": "DEAL NAME"}, {"Id": "W", "Name": "Wish"}],
            "constants": [{"Id": "C", "Name": " wish"}, {"Id": "V", "Name": "Rate"}],
            "global_variables": [{"Id": "V", "Name": "Ünï"}], "global_constants": [{"Id": "G", "Name": "ünï"}]});
        let c = Catalog::build(&fields, Some(&template));
        // The scans the maps replaced: a document field first, then any item, the first that matches.
        let by_label = |name: &str| {
            let find = |doc_only: bool| {
                c.items.iter().find(|i| (!doc_only || i.group == CatalogGroup::Document) && i.label.trim().eq_ignore_ascii_case(name.trim()))
            };
            find(true).or_else(|| find(false))
        };
        for name in ["Deal name", "deal name", " DEAL NAME", "rate", "Wish", "WISH ", "Ünï", "ünï", "ÜNÏ", "Other", "none", ""] {
            assert_eq!(c.by_label(name), by_label(name), "{name:?}");
        }
        for (object, field) in [("Document", "TITLE"), ("Variable", "V"), ("Constant", "V"), ("GlobalVar", "V"), ("Document", "NO")] {
            let bare = format!("{{={object}:{field}}}");
            assert_eq!(c.by_field(object, field), c.items.iter().find(|i| i.expression == bare), "{bare}");
        }
        assert_eq!(c.by_label("DEAL NAME").map(|i| i.expression.as_str()), Some("{=Document:TITLE}"));
        assert_eq!(c.by_field("Document", "TITLE").map(|i| i.label.as_str()), Some("Deal name"), "the first of two");
    }

    #[test]
    fn many_names_against_many_items_cost_no_more_than_one_each() {
        let k = 5_000;
        let fields: Vec<DocumentField> = (0..k).map(|i| DocumentField { code: format!("F{i}"), name: format!("Field {i}"), kind: "string".into() }).collect();
        let text: String = (0..k).map(|i| format!("{{{{Unknown {i}}}}} {{=Document:NO{i}}} {{{{field {i}}}}} ")).collect();
        let (unknown, expressions) = crate::test_support::finishes_within(5, move || {
            let c = Catalog::build(&fields, None);
            let display = c.display(&c.canonical(&text));
            (c.unknown_names(&display).len(), c.unknown_expressions(&text).len())
        });
        assert_eq!((unknown, expressions), (k, k));
    }

    #[test]
    fn the_template_supplies_parameters_variables_constants_and_steps() {
        let template = json!({
            "parameters": [{"Id": "P1", "Name": "Param", "Type": "string"}],
            "variables": {"Approver": {"Name": "Approver", "Type": "user"}},
            "constants": [{"Id": "VatRate", "Name": "VAT rate", "Type": "double"}],
            "global_variables": [], "global_constants": [{"Id": "G", "Type": "int"}],
            "return_activities": [{"Id": "A1_2", "Title": "Ask", "Return": [{"Id": "Comments", "Name": "Comment", "Type": "string"}]}]
        });
        let c = Catalog::build(&fields(), Some(&template));
        let exprs: Vec<_> = c.items.iter().map(|i| i.expression.as_str()).collect();
        assert_eq!(
            exprs,
            vec![
                "{=Document:TITLE}", "{=Document:ASSIGNED_BY_ID}", "{=Template:P1}", "{=Variable:Approver}",
                "{=Constant:VatRate}", "{=GlobalConst:G}", "{=A1_2:Comments}"
            ]
        );
        assert_eq!(c.items.last().unwrap().group, CatalogGroup::Step("Ask".into()));
        assert_eq!(c.label_of("{=Variable:Approver}"), Some("Approver"));
        assert_eq!(c.label_of("{=Document:TITLE > printable}"), Some("Deal name"));
        assert_eq!(c.canonical("{{VAT rate}}"), "{=Constant:VatRate}");
    }
}
