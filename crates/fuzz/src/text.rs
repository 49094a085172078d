//! Text made of the pieces the model's scanners look for: expression braces, names the fixtures'
//! catalog knows, dates, user tokens, and Unicode that is wider than a byte or changes its length
//! when its case changes. Floods (one piece repeated) are where a rescan per piece costs the most.

use crate::rng::Rng;

pub const PIECES: &[&str] = &[
    "{{", "}}", "{=", "}", "{", ">", ":", "=", " ", "  ", "\n", "\t", ",", ".", "/", "-", "Document", "TITLE",
    "Deal name", "deal NAME", "Variable", "Approver", "Constant", "VatRate", "printable", "A71026_84473_24610_19894",
    "Comments", "user_1", "group_g1", "user_", "2026-11-27", "27.11.2026", "11/27/2026 10:00 am", "3,5", "-12", "Y",
    "N", "ё", "€", "😀", "\u{301}", "\u{202e}", "\u{0}", "\"", "\\", "&", "%", "[", "]", "ß", "İ", "\u{212a}", "ǅ",
    "Ω", "١٢٣", "{=Document:TITLE}", "{=Document:TITLE > printable}", "{{Deal name}}", "{{VAT rate > x}}",
    "{=Variable:Approver}", "{=Document:GONE}",
];

/// Names as a portal spells them: codes, labels with spaces, and the odd one out.
pub const NAMES: &[&str] = &[
    "title", "TITLE", "Deal name", "Amount", "ID", "CLOSEDATE", "Approver", "VatRate", "approvers", "p0", "0", "1", "",
    " ", "名前", "Ünïcödé", "a b", "{{x}}", "{=A:B}", "a>b", "x:y", "UF_CRM_1", "PROPERTY_12",
];

pub fn piece<'a>(rng: &mut Rng) -> &'a str {
    rng.pick(PIECES)
}

pub fn name(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("p{}", rng.below(50)),
        1 => (0..rng.range(1, 8)).map(|_| piece(rng)).collect(),
        _ => rng.pick(NAMES).to_string(),
    }
}

/// Text of about `len` bytes: mostly pieces in any order, now and then a flood of one or two.
pub fn text(rng: &mut Rng, len: usize) -> String {
    let mut out = String::with_capacity(len + 8);
    if rng.one_in(3) {
        let unit: String = (0..rng.range(1, 3)).map(|_| piece(rng)).collect();
        while out.len() < len {
            out.push_str(&unit);
        }
        return out;
    }
    while out.len() < len {
        match rng.below(10) {
            0 => out.push_str(&format!("{{{{{}}}}}", name(rng))),
            1 => out.push_str(&format!("{{={}:{}}}", name(rng), name(rng))),
            _ => out.push_str(piece(rng)),
        }
    }
    out
}

/// A short text: what most values are.
pub fn short(rng: &mut Rng) -> String {
    let len = rng.below(24);
    text(rng, len)
}

/// A key in one of the casings the portal sends (`NAME`, `Name`, `name`) or one it never does.
pub fn cased(rng: &mut Rng, key: &str) -> String {
    match rng.below(8) {
        0..=2 => key.to_string(),
        3 | 4 => key.to_ascii_uppercase(),
        5 => key.to_ascii_lowercase(),
        6 => {
            let mut cs = key.chars();
            cs.next().map(|c| c.to_ascii_uppercase().to_string() + &cs.as_str().to_ascii_lowercase()).unwrap_or_default()
        }
        _ => key.chars().map(|c| if rng.one_in(2) { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }).collect(),
    }
}
