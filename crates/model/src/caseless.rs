//! Matching what people type into the form's filters (the expression picker, the roles, a
//! property's choices) whatever its case, without the standard library's full Unicode case
//! tables: measured on 2026-11-28, `str::to_lowercase` cost the settings page 6.7 KB of brotli,
//! more than the whole people search.
//!
//! `fold` lowers the cased letters of the scripts Bitrix24's languages are written in: Latin
//! (ASCII, Latin-1, Latin Extended-A, the Vietnamese letters of Extended-B and Extended
//! Additional), Greek, Cyrillic with its extensions, and full-width Latin. Chinese, Japanese,
//! Arabic, Hebrew and Thai have no case. Letters of the remaining cased scripts (Armenian,
//! Georgian, …) match only as typed. The tests hold `fold` to the standard library's lowercase
//! over every letter it covers.

/// The letter `c` in lower case, where `fold` covers its script; `c` itself otherwise.
pub fn fold_char(c: char) -> char {
    let n = c as u32;
    let even = n & 1 == 0;
    let lower = match n {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE => n + 0x20,
        // İ: Turkish capital I with a dot, whose lower case is two characters; `i` matches.
        0x130 => 0x69,
        0x178 => 0xFF,
        // Latin Extended-A: pairs, the capital first, shifted by one after the gaps at ĸ and ŉ.
        0x100..=0x137 | 0x14A..=0x177 if even => n + 1,
        0x139..=0x148 | 0x179..=0x17E if !even => n + 1,
        // Ơ and Ư, the Vietnamese letters of Latin Extended-B.
        0x1A0 | 0x1AF => n + 1,
        0x386 => 0x3AC,
        0x388..=0x38A => n + 0x25,
        0x38C => 0x3CC,
        0x38E | 0x38F => n + 0x3F,
        0x391..=0x3A1 | 0x3A3..=0x3AB => n + 0x20,
        // Final sigma matches sigma.
        0x3C2 => 0x3C3,
        0x400..=0x40F => n + 0x50,
        0x410..=0x42F => n + 0x20,
        0x460..=0x481 | 0x48A..=0x4BF | 0x4D0..=0x52F if even => n + 1,
        0x4C0 => 0x4CF,
        0x4C1..=0x4CE if !even => n + 1,
        // Latin Extended Additional: Vietnamese and Welsh letters, in pairs; ẞ is ß.
        0x1E00..=0x1E95 | 0x1EA0..=0x1EFF if even => n + 1,
        0x1E9E => 0xDF,
        0xFF21..=0xFF3A => n + 0x20,
        _ => n,
    };
    char::from_u32(lower).unwrap_or(c)
}

/// `text` with every letter folded by `fold_char`.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The letters `fold` covers, by their code points.
    const COVERED: [(u32, u32); 9] = [
        (0x41, 0x24F),
        (0x370, 0x3FF),
        (0x400, 0x52F),
        (0x1E00, 0x1EFF),
        (0xFF21, 0xFF5A),
        (0x20, 0x40),
        (0x2000, 0x206F),
        (0x4E00, 0x4E20),
        (0x3040, 0x309F),
    ];

    fn std_lower(c: char) -> Option<char> {
        let mut l = c.to_lowercase();
        let first = l.next()?;
        l.next().is_none().then_some(first)
    }

    #[test]
    fn every_covered_letter_folds_as_the_standard_library_lowers_it() {
        // Letters of Latin Extended-B and Greek that `fold` leaves alone on purpose: rare letters
        // outside the scripts' cores (Ƀ, archaic Greek, …). Each one is still itself.
        let left_alone = |n: u32| (0x180..=0x24F).contains(&n) && n != 0x1A0 && n != 0x1AF || (0x370..=0x385).contains(&n) || (0x3CF..=0x3FF).contains(&n);
        let mut checked = 0;
        for (from, to) in COVERED {
            for c in (from..=to).filter_map(char::from_u32) {
                let n = c as u32;
                let expected = match c {
                    'İ' => 'i',
                    'ς' => 'σ',
                    _ if left_alone(n) => c,
                    _ => std_lower(c).unwrap_or(c),
                };
                assert_eq!(fold_char(c), expected, "U+{n:04X} {c}");
                checked += 1;
            }
        }
        assert!(checked > 1_500, "{checked}");
    }

    fn contains(text: &str, needle: &str) -> bool {
        fold(text).contains(&fold(needle))
    }

    #[test]
    fn text_matches_in_any_case_across_scripts() {
        assert!(contains("Ответственный", "ОТВ"));
        assert!(contains("Größe", "GRÖ"));
        assert!(contains("Đơn hàng", "ĐƠN"));
        assert!(contains("İstanbul", "ist"));
        assert!(contains("Σοφία", "ΣΟΦΊΑ"));
        assert!(contains("Ｒｕｌｅ", "ｒｕｌ"));
        assert!(contains("anything", ""));
        assert!(!contains("Author", "Olga"));
        assert_eq!(fold("Deal NAME 42 — Сделка"), "deal name 42 — сделка");
    }

    #[test]
    fn uncovered_letters_are_themselves() {
        for c in ['Ա', 'Ⴀ', '中', 'ا', 'א', '€', 'ß', 'ǅ'] {
            assert_eq!(fold_char(c), c, "{c}");
        }
    }
}
