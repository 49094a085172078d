//! The shared fixtures, mutated byte by byte: flips, JSON's own bytes put in and taken out,
//! ranges deleted, spliced from another fixture, repeated (up to 256 KiB) or changed in case.
//! They run through the options target.

use crate::rng::Rng;
use std::sync::OnceLock;

const ROBOT: &str = include_str!("../../../../fixtures/placement-options.robot-designer.json");
const WORKFLOW: &str = include_str!("../../../../fixtures/placement-options.workflow-designer.json");
const INIT: &str = include_str!("../../../../fixtures/init-data.robot-designer.json");

/// Bytes that mean something to JSON, to the expressions inside it, or to UTF-8.
const INTERESTING: &[u8] = b"{}[]\":,\\-+.eE0129 \n\tYN=>%&\x00\x7f\xc3\xa9\xe2\x82\xac\xf0\xff";

/// The options as the fixtures hold them, and as `getInitData` hands them (inside the init data).
fn bases() -> &'static [String] {
    static BASES: OnceLock<Vec<String>> = OnceLock::new();
    BASES.get_or_init(|| {
        let init: serde_json::Value = serde_json::from_str(INIT).unwrap_or_default();
        vec![ROBOT.into(), WORKFLOW.into(), INIT.into(), init["PLACEMENT_OPTIONS"].to_string()]
    })
}

pub fn make(rng: &mut Rng) -> Vec<u8> {
    let bases = bases();
    let base = rng.pick_ref(bases).as_bytes().to_vec();
    let donors: Vec<&[u8]> = bases.iter().map(|b| b.as_bytes()).collect();
    mutate(rng, base, &donors)
}

/// A few byte-level changes to `data`; `donors` give the ranges spliced in.
pub fn mutate(rng: &mut Rng, mut data: Vec<u8>, donors: &[&[u8]]) -> Vec<u8> {
    let rounds = if rng.one_in(4) { rng.range(2, 16) } else { 1 };
    for _ in 0..rounds {
        let len = data.len();
        let at = rng.below(len + 1);
        let span = rng.range(1, 64).min(len - at);
        match rng.below(8) {
            0 if at < len => data[at] ^= 1 << rng.below(8),
            1 if at < len => data[at] = rng.pick(INTERESTING),
            2 => {
                let bytes: Vec<u8> = (0..rng.range(1, 8)).map(|_| rng.pick(INTERESTING)).collect();
                data.splice(at..at, bytes);
            }
            3 => drop(data.drain(at..at + span)),
            4 => {
                let donor = rng.pick(donors);
                let from = rng.below(donor.len());
                let piece = &donor[from..(from + rng.range(1, 256)).min(donor.len())];
                let replaced = if rng.one_in(2) { span } else { 0 };
                data.splice(at..at + replaced, piece.iter().copied());
            }
            5 => {
                // The same range many times over: how a large input reaches the parsers.
                let piece = data[at..at + span].to_vec();
                let times = (rng.size() / piece.len().max(1)).max(2);
                data.splice(at..at, piece.iter().copied().cycle().take(piece.len() * times));
            }
            6 => data[at..at + span].iter_mut().for_each(|b| *b = if b.is_ascii_lowercase() { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() }),
            _ => data.truncate(at),
        }
    }
    data
}
