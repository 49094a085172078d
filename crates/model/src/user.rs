//! The tokens a `user` property holds: `user_7`, a group, a role such as `Author`, an expression,
//! or the portal's own `Name [7]` display. Built and read here only, with the roles a form offers,
//! how a token is shown (`chip`) and how a portal user row is read (`person`).

use crate::caseless::fold;
use crate::expression::{has_expression, segments, Catalog, Segment};
use crate::lenient::uint;
use serde_json::Value;
use std::fmt;

/// The roles a user field offers besides people, in the order the form lists them; their names
/// are `Ui::roles`, in the same order. `Author` and role codes such as `responsible_head` are the
/// workflow's own tokens; the responsible person is the document's field, so it is an expression.
pub const ROLES: [&str; 3] = ["Author", "{=Document:ASSIGNED_BY_ID}", "responsible_head"];

/// Which of `ROLES` a token is (the portal also writes `author`).
pub fn role_index(token: &str) -> Option<usize> {
    ROLES.iter().position(|r| r.eq_ignore_ascii_case(token.trim()))
}

/// The roles whose name (in `names`, ordered as `ROLES`) contains `query`, ignoring case; every
/// role for an empty query.
pub fn matching_roles<'a>(names: &'a [&'a str], query: &str) -> impl Iterator<Item = usize> + 'a {
    let query = fold(query.trim());
    names.iter().enumerate().filter(move |(_, n)| fold(n).contains(&query)).map(|(i, _)| i)
}

/// A role token rather than a name: one of `ROLES`, or a code such as `responsible_head`. A plain
/// word such as `Olga` is a name that names no user.
fn is_role(t: &str) -> bool {
    let code = t.contains('_') && t.starts_with(|c: char| c.is_ascii_lowercase());
    role_index(t).is_some() || (code && t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserToken {
    /// `user_<ID>`: one employee.
    User(u64),
    /// `group_<…>`: a group or department (`group_g1`, `group_d5`).
    Group(String),
    /// A role the workflow resolves: `Author`, `responsible_head`.
    Role(String),
    /// An expression such as `{=Document:ASSIGNED_BY_ID}`.
    Expression(String),
    /// The portal's display form `Ann Lee [7]`.
    Named { name: String, id: u64 },
}

fn digits(s: &str) -> Option<u64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

impl UserToken {
    /// Reads one token; `None` for text that names no user (a plain name such as `Olga`).
    pub fn parse(text: &str) -> Option<UserToken> {
        let t = text.trim();
        if has_expression(t) {
            return Some(UserToken::Expression(t.to_string()));
        }
        if let Some(id) = t.strip_prefix("user_") {
            return digits(id).map(UserToken::User);
        }
        if let Some(group) = t.strip_prefix("group_") {
            return (!group.is_empty()).then(|| UserToken::Group(group.to_string()));
        }
        if let Some((name, id)) = t.strip_suffix(']').and_then(|r| r.rsplit_once('[')) {
            let name = name.trim();
            return (!name.is_empty()).then(|| digits(id).map(|id| UserToken::Named { name: name.to_string(), id })).flatten();
        }
        is_role(t).then(|| UserToken::Role(t.to_string()))
    }

    /// The employee's id, where the token names one.
    pub fn user_id(&self) -> Option<u64> {
        match self {
            UserToken::User(id) | UserToken::Named { id, .. } => Some(*id),
            _ => None,
        }
    }
}

impl fmt::Display for UserToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserToken::User(id) => write!(f, "user_{id}"),
            UserToken::Group(g) => write!(f, "group_{g}"),
            UserToken::Role(r) | UserToken::Expression(r) => f.write_str(r),
            UserToken::Named { name, id } => write!(f, "{name} [{id}]"),
        }
    }
}

/// The tokens of one value: the portal separates several users with `;` (and people type `,`).
pub fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', ',']).map(str::trim).filter(|t| !t.is_empty())
}

/// The employees named in a property's items, in order; roles, groups and text are skipped.
pub fn ids<S: AsRef<str>>(items: &[S]) -> Vec<u64> {
    items.iter().flat_map(|i| split(i.as_ref()).filter_map(|t| UserToken::parse(t)?.user_id()).collect::<Vec<_>>()).collect()
}

/// How a form shows one token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chip {
    /// An employee, named once the portal says who it is.
    User(u64),
    /// One of `ROLES`, by its place there: named in the reader's language.
    Role(usize),
    /// An expression, by its readable label.
    Expression(String),
    /// A group, another role code, or the portal's `Name [ID]`: readable as it is.
    Shown(String),
    /// Text that names no user: kept, and flagged.
    NotAUser,
}

/// How `token` is shown; `catalog` names the fields expressions point at.
pub fn chip(token: &str, catalog: &Catalog) -> Chip {
    if let Some(i) = role_index(token) {
        return Chip::Role(i);
    }
    match UserToken::parse(token) {
        Some(UserToken::User(id)) => Chip::User(id),
        Some(UserToken::Expression(e)) => Chip::Expression(expression_label(&e, catalog)),
        Some(UserToken::Named { name, .. }) => Chip::Shown(name),
        Some(other) => Chip::Shown(other.to_string()),
        None => Chip::NotAUser,
    }
}

/// `{{Responsible person}}` reads as its inner name, `{=Document:ASSIGNED_BY_ID}` as the catalog's
/// label for it; anything else (a calculation, an unknown field) as written.
fn expression_label(expression: &str, catalog: &Catalog) -> String {
    match segments(expression).as_slice() {
        [(_, Segment::Display { name, .. })] => name.to_string(),
        _ => catalog.label_of(expression).unwrap_or(expression).to_string(),
    }
}

/// A portal user row (`user.get`, `user.search`): its id, a number or its text, and the person's
/// name (first and last, else the e-mail; empty when the row has neither).
pub fn person(row: &Value) -> Option<(u64, String)> {
    let id = uint(row.get("ID")?)?;
    let text = |k: &str| row.get(k).and_then(Value::as_str).map_or("", str::trim);
    let name = [text("NAME"), text("LAST_NAME")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    Some((id, if name.is_empty() { text("EMAIL").to_string() } else { name }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_token_reads_and_writes_back() {
        for text in ["user_7", "group_g1", "Author", "responsible_head", "{=Document:ASSIGNED_BY_ID}", "Ann Lee [7]"] {
            let token = UserToken::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(token.to_string(), text);
        }
        assert_eq!(UserToken::parse(" user_7 "), Some(UserToken::User(7)));
        assert_eq!(UserToken::User(12).to_string(), "user_12");
        assert_eq!(UserToken::parse("Ann Lee [7]").and_then(|t| t.user_id()), Some(7));
        assert_eq!(UserToken::parse("Author").and_then(|t| t.user_id()), None);
    }

    #[test]
    fn names_and_malformed_ids_are_no_users() {
        for text in ["Ann Lee", "Olga", "Olga_Ivanova", "user_", "user_x", "user_1x", "[7]", "Ann [x]", "", "group_"] {
            assert_eq!(UserToken::parse(text), None, "{text}");
        }
    }

    #[test]
    fn ids_come_from_every_item_and_separator() {
        let items = vec!["user_1; user_2".to_string(), "Author".into(), "user_7,Ann [9]".into(), "".into()];
        assert_eq!(ids(&items), vec![1, 2, 7, 9]);
        assert_eq!(split(" a ;; b,").collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn roles_are_known_tokens_in_any_case_and_codes() {
        assert_eq!(role_index("author"), Some(0));
        assert_eq!(role_index(" {=Document:ASSIGNED_BY_ID} "), Some(1));
        assert_eq!(role_index("responsible_head"), Some(2));
        assert_eq!(role_index("Olga"), None);
        assert_eq!(UserToken::parse("author"), Some(UserToken::Role("author".into())));
        assert_eq!(UserToken::parse("head_of_sales2"), Some(UserToken::Role("head_of_sales2".into())));
        for token in ROLES {
            assert!(UserToken::parse(token).is_some(), "{token} is a valid value");
        }
    }

    #[test]
    fn roles_are_found_by_their_names_in_any_case() {
        let names = ["Author", "Responsible person", "Responsible person's supervisor"];
        assert_eq!(matching_roles(&names, "").collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(matching_roles(&names, " RESPONS").collect::<Vec<_>>(), [1, 2]);
        assert_eq!(matching_roles(&["Автор", "Ответственный"], "отв").collect::<Vec<_>>(), [1]);
        assert_eq!(matching_roles(&names, "Olga").count(), 0);
    }

    #[test]
    fn each_kind_of_token_has_its_chip() {
        let fields = [crate::DocumentField { code: "ASSIGNED_BY_ID".into(), name: "Responsible person".into(), kind: "user".into() }];
        let catalog = Catalog::build(&fields, None);
        assert_eq!(chip("user_7", &catalog), Chip::User(7));
        assert_eq!(chip("Author", &catalog), Chip::Role(0));
        assert_eq!(chip("{=Document:ASSIGNED_BY_ID}", &catalog), Chip::Role(1), "the responsible person is a role");
        assert_eq!(chip("{=Document:CREATED_BY}", &catalog), Chip::Expression("{=Document:CREATED_BY}".into()), "an unknown field reads as written");
        assert_eq!(chip("{{Responsible person}}", &catalog), Chip::Expression("Responsible person".into()));
        assert_eq!(chip("{=Document:ASSIGNED_BY_ID > printable}", &catalog), Chip::Expression("Responsible person".into()));
        assert_eq!(chip("Ann Lee [7]", &catalog), Chip::Shown("Ann Lee".into()));
        assert_eq!(chip("group_d5", &catalog), Chip::Shown("group_d5".into()));
        assert_eq!(chip("Olga", &catalog), Chip::NotAUser);
    }

    #[test]
    fn a_user_row_is_read_whatever_the_id_s_type() {
        assert_eq!(person(&serde_json::json!({"ID": "7", "NAME": " Olga ", "LAST_NAME": "Ivanova"})), Some((7, "Olga Ivanova".into())));
        assert_eq!(person(&serde_json::json!({"ID": 9, "NAME": "", "EMAIL": "nina@example.com"})), Some((9, "nina@example.com".into())));
        assert_eq!(person(&serde_json::json!({"ID": 3})), Some((3, String::new())));
        assert_eq!(person(&serde_json::json!({"ID": "x", "NAME": "A"})), None);
        assert_eq!(person(&serde_json::json!({"NAME": "A"})), None);
    }
}
