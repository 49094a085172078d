//! `--workflows N`: a portal with many running workflows, to try the console (and its planner)
//! at scale. Deterministic for a seed: start dates spread over the two years before now, the demo
//! templates, generated deals and leads as documents, several starters, and about 5% stuck (locked
//! until more than five minutes ago, spec §4c); the others unlocked or locked into the future.

use crate::clock::{iso_at, now_unix};
use crate::state::{Item, State};
use rulekit_model::document::CrmEntity::{Deal, Lead};
use serde_json::json;

/// splitmix64: small, fast, and the same sequence for the same seed on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

const TWO_YEARS: u64 = 2 * 365 * 86_400;

/// Adds `n` running workflows (and one deal or lead for every ten of them) to `state`; their ids
/// are `6a1b<10 hex>.<8 digits>`, the hex part new for every call, so they never collide.
pub fn generate_workflows(state: &mut State, n: usize, seed: u64) {
    if n == 0 {
        return;
    }
    let mut rng = Rng(seed);
    let now = now_unix();
    let prefix = format!("6a1b{:010x}", (rng.next() ^ state.next_id()) & 0xff_ffff_ffff);
    let deal_templates: Vec<u64> = templates_of(state, Deal.document_class());
    let lead_templates: Vec<u64> = templates_of(state, Lead.document_class());
    let starters: Vec<u64> = state.users.iter().map(|u| u.id).chain([0]).collect();
    let mut documents = Vec::new();
    for k in 0..n.div_ceil(10) {
        let entity = if k % 3 == 2 { Lead } else { Deal };
        let id = state.next_id();
        let title = format!("Generated {} #{id}", if entity == Lead { "lead" } else { "deal" });
        let fields = json!({"title": title, "opportunity": 100 + rng.below(9900), "currencyId": "EUR", "assignedById": 9});
        state.items.push(Item { entity_type_id: entity.type_id(), id, fields: fields.as_object().cloned().unwrap_or_default() });
        documents.push((entity, id));
    }
    state.workflows.reserve(n);
    for i in 0..n {
        let (entity, document) = documents[rng.below(documents.len() as u64) as usize];
        let pool = if entity == Lead { &lead_templates } else { &deal_templates };
        let template = pool.get(rng.below(pool.len() as u64) as usize).copied().unwrap_or(12);
        let started = now - 60 - rng.below(TWO_YEARS);
        let modified = started + rng.below(now - started);
        let owned_until = match rng.below(100) {
            0..=4 => Some(iso_at((now - 301 - rng.below(30 * 86_400)) as i64)),
            5..=29 => Some(iso_at((now + 60 + rng.below(600)) as i64)),
            _ => None,
        };
        let by = starters[rng.below(starters.len() as u64) as usize];
        let mut w = crate::demo_workflows::workflow(&format!("{prefix}.{:08}", i + 1), template, entity, document, &iso_at(started as i64), by);
        w.modified = iso_at(modified as i64);
        w.owned_until = owned_until;
        state.workflows.push(w);
    }
}

fn templates_of(state: &State, entity: &str) -> Vec<u64> {
    state.templates.iter().filter(|t| t.entity == entity).map(|t| t.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_thousand_workflows_unique_spread_and_five_percent_stuck() {
        let mut state = crate::demo::portal("http://127.0.0.1:1/", "https://handler.example.com/run");
        let before = state.workflows.len();
        generate_workflows(&mut state, 10_000, 7);
        let made = &state.workflows[before..];
        assert_eq!(made.len(), 10_000);
        let ids: std::collections::HashSet<&str> = made.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids.len(), 10_000);
        let now = now_unix() as i64;
        let stuck = made.iter().filter(|w| w.owned_until.as_deref().and_then(crate::clock::parse_instant).is_some_and(|t| t < now - 300)).count();
        assert!((300..=700).contains(&stuck), "about 5% stuck: {stuck}");
        let old = made.iter().filter(|w| crate::clock::parse_instant(&w.started).is_some_and(|t| t < now - 365 * 86_400)).count();
        assert!((4_000..=6_000).contains(&old), "half in the older year: {old}");
        let items: std::collections::HashSet<(u64, u64)> = state.items.iter().map(|i| (i.entity_type_id, i.id)).collect();
        let documents = made.iter().filter_map(|w| rulekit_model::document::DocumentId::parse(&w.document_id));
        assert_eq!(documents.filter(|d| items.contains(&(d.entity.type_id(), d.id))).count(), 10_000, "documents exist");
        generate_workflows(&mut state, 10, 7);
        let all: std::collections::HashSet<&str> = state.workflows.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(all.len(), state.workflows.len(), "a second call adds new ids");
    }
}
