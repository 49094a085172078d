//! A user field's people: each token of its value as a chip, and the search box that finds people
//! and roles by name. Who an id names, and which ids name no one, come from `users`.

pub mod chip;
pub mod search;
