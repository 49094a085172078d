//! The tokens a `user` property holds: `user_7`, a group, a role such as `Author`, an expression,
//! or the portal's own `Name [7]` display. Built and read here only.

use crate::expression::has_expression;
use std::fmt;

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
        let mut chars = t.chars();
        let role = chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        role.then(|| UserToken::Role(t.to_string()))
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
        for text in ["Ann Lee", "user_", "user_x", "user_1x", "[7]", "Ann [x]", "", "group_"] {
            assert_eq!(UserToken::parse(text), None, "{text}");
        }
    }

    #[test]
    fn ids_come_from_every_item_and_separator() {
        let items = vec!["user_1; user_2".to_string(), "Author".into(), "user_7,Ann [9]".into(), "".into()];
        assert_eq!(ids(&items), vec![1, 2, 7, 9]);
        assert_eq!(split(" a ;; b,").collect::<Vec<_>>(), ["a", "b"]);
    }
}
