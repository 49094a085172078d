//! The targets: each makes its inputs from a seeded `Rng` and runs one through the model. A run
//! that goes wrong panics (the model itself, or an invariant the target checks); `check` times it.

pub mod dates;
pub mod expression;
pub mod fixtures;
pub mod form;
pub mod options;

use crate::rng::{seed_of, Rng};

pub struct Target {
    /// One word: saved inputs are named `<name>-<anything>.bin`.
    pub name: &'static str,
    pub make: fn(&mut Rng) -> Vec<u8>,
    pub run: fn(&[u8]),
}

impl Target {
    /// Input `index` of a run seeded with `seed`: the same bytes every time it is asked for.
    pub fn input(&self, seed: u64, index: u64) -> Vec<u8> {
        (self.make)(&mut Rng::new(seed_of(seed, self.name, index)))
    }
}

pub static TARGETS: [Target; 5] = [
    Target { name: "options", make: options::make, run: options::run },
    Target { name: "fixtures", make: fixtures::make, run: options::run },
    Target { name: "form", make: form::make, run: form::run },
    Target { name: "expression", make: expression::make, run: expression::run },
    Target { name: "dates", make: dates::make, run: dates::run },
];

pub fn find(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// The target a saved input's file name names (`dates-i64-max.bin` → `dates`).
pub fn of_file(file_name: &str) -> Option<&'static Target> {
    find(file_name.split(['-', '.']).next()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_is_made_again_from_its_number() {
        for target in &TARGETS {
            for index in 0..30 {
                assert_eq!(target.input(7, index), target.input(7, index), "{} {index}", target.name);
            }
        }
    }

    #[test]
    fn inputs_are_mostly_small_and_sometimes_large() {
        for target in &TARGETS {
            let sizes: Vec<usize> = (0..600).map(|i| target.input(11, i).len()).collect();
            let largest = sizes.iter().max().copied().unwrap_or(0);
            assert!((16 << 10..=320 << 10).contains(&largest), "{}: the largest input has {largest} bytes", target.name);
            let small = sizes.iter().filter(|s| **s < 8 << 10).count();
            assert!(small > 500, "{}: only {small} of 600 inputs are under 8 KiB", target.name);
        }
    }
}
