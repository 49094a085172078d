//! SplitMix64: tiny, fast and good enough to drive generators. Every input is made from a seed of
//! its own (the run's seed, the target's name and the input's number), so that three numbers
//! reproduce any input without keeping it.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `lo..hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo))
    }

    pub fn one_in(&mut self, n: u64) -> bool {
        self.next_u64().is_multiple_of(n.max(1))
    }

    /// One of `items`, which must not be empty.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An input size: mostly small, so that a run sees many inputs; now and then 16–256 KiB, so
    /// that a cost growing with the square of the input shows as a call over its budget.
    pub fn size(&mut self) -> usize {
        match self.below(100) {
            0..=84 => self.below(256),
            85..=97 => self.range(256, 8 << 10),
            _ => self.range(16 << 10, 256 << 10),
        }
    }
}

/// The seed of input `index` of a target in a run seeded with `run`.
pub fn seed_of(run: u64, target: &str, index: u64) -> u64 {
    // The name is hashed in, so each target draws its own inputs whatever the others are.
    Rng::new(run ^ fnv(target.as_bytes()) ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93)).next_u64()
}

/// FNV-1a: the name of a saved input (as 16 hex digits), and a target's part of a seed.
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}
