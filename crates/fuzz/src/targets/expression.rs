//! Expression text: `{{`, `}}`, `{=`, `}`, `>`, `:`, names and Unicode in any order, floods of
//! one piece (an unclosed `{{` rescanned from every opening costs the square of the text), and
//! many display names against a catalog as long (lookups by label, one scan per name).
//!
//! An input that starts with `@catalog:N` and a line break is checked against N document fields
//! labelled `Field 0`…; any other against the robot designer fixture's catalog.

use crate::rng::Rng;
use crate::text;
use rulekit_model::expression::{self, DocumentField};
use rulekit_model::validate::validate;
use rulekit_model::{Catalog, PlacementOptions, Property, PropertyValue};
use std::sync::OnceLock;

const CATALOG: &str = "@catalog:";
const TYPES: &[&str] = &["string", "int", "double", "bool", "date", "datetime", "select", "user"];

pub fn make(rng: &mut Rng) -> Vec<u8> {
    let size = rng.size();
    if size > 4096 && rng.one_in(3) {
        let k = size / 24;
        let mut s = format!("{CATALOG}{k}\n");
        for i in 0..k {
            s.push_str(&if rng.one_in(2) { format!("{{{{Field {i}}}}} ") } else { format!("{{{{Nobody {i}}}}} ") });
        }
        return s.into_bytes();
    }
    let head = if rng.one_in(10) { format!("{CATALOG}{}\n", rng.below(20)) } else { String::new() };
    (head + &text::text(rng, size)).into_bytes()
}

fn fixture_catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| PlacementOptions::parse_str(include_str!("../../../../fixtures/placement-options.robot-designer.json")).options.catalog())
}

/// One required property of each type that checks literals (a select with two options).
fn properties() -> &'static [Property] {
    static PROPERTIES: OnceLock<Vec<Property>> = OnceLock::new();
    PROPERTIES.get_or_init(|| {
        TYPES
            .iter()
            .map(|kind| {
                let d = serde_json::json!({"Name": kind, "Type": kind, "Required": "Y", "Options": {"a": "A", "b": "B"}});
                Property::parse(kind, &d, &mut Vec::new())
            })
            .collect()
    })
}

pub fn run(input: &[u8]) {
    let all = String::from_utf8_lossy(input);
    let sized = all.strip_prefix(CATALOG).and_then(|rest| rest.split_once('\n'));
    let built;
    let (catalog, text) = match sized.and_then(|(n, text)| Some((n.parse::<usize>().ok()?, text))) {
        Some((n, text)) => {
            let fields: Vec<DocumentField> = (0..n.min(1 << 20))
                .map(|i| DocumentField { code: format!("F{i}"), name: format!("Field {i}"), kind: "string".into() })
                .collect();
            built = Catalog::build(&fields, None);
            (&built, text)
        }
        None => (fixture_catalog(), &*all),
    };
    // The segments cover the text in order, without gaps or overlaps.
    let end = expression::segments(text).iter().try_fold(0, |at, (range, _)| (range.start == at).then_some(range.end));
    assert!(end == Some(text.len()), "the segments do not cover the text");
    expression::is_expression(text);
    expression::has_expression(text);
    let canonical = catalog.canonical(text);
    assert!(catalog.canonical(&catalog.display(text)) == canonical, "canonical(display(t)) differs from canonical(t)");
    catalog.unknown_names(text);
    catalog.unknown_expressions(text);
    catalog.label_of(text);
    for property in properties() {
        validate(property, &PropertyValue::Single(text.to_string()), catalog);
    }
    let lines = PropertyValue::Multiple(text.lines().map(str::to_string).collect());
    validate(&properties()[0], &lines, catalog);
}
