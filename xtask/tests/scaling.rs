//! Every text-handling function of the model stays linear in its input (issue 11): the time for
//! 8× the input must stay under 24× the time for 1×. A linear cost gives about 8×, a quadratic one
//! 64×, and the margin between them absorbs a noisy machine. The figures are CPU time of the test's
//! own thread, best of several calls per size and the median of three tries.

use std::sync::Mutex;
use std::time::Duration;
use xtask::scaling::{cases, doubling, measure};

/// One case at a time: the tests of this file would otherwise time each other.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// 8× the input may take at most 24× the time: 24^(1/3) per doubling.
const MAX_PER_DOUBLING: f64 = 2.884;

fn stays_linear(name: &str) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let case = cases().into_iter().find(|c| c.name == name).expect("a case of that name");
    let sizes = doubling(64 << 10, 512 << 10);
    let mut ratios: Vec<f64> = (0..3)
        .map(|_| {
            let curve = measure(&case, &sizes, 5, Duration::from_secs(2));
            let ratio = curve.per_doubling().expect("two sizes at least");
            let ms: Vec<String> = curve.points.iter().map(|(n, t)| format!("{} KiB {:.2} ms", n >> 10, t.as_secs_f64() * 1e3)).collect();
            eprintln!("{name}: {} → {ratio:.2} per doubling", ms.join(", "));
            ratio
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let median = ratios[1];
    assert!(median < MAX_PER_DOUBLING, "{name} grows {median:.2}× per doubling (linear is 2, quadratic 4)");
}

#[test]
fn expression_scanning_of_unclosed_double_braces_is_linear() {
    stays_linear("segments {{×n");
}

#[test]
fn expression_scanning_of_unclosed_field_braces_is_linear() {
    stays_linear("segments {=×n");
}

#[test]
fn expression_scanning_of_mixed_unclosed_braces_is_linear() {
    stays_linear("segments mixed");
}

#[test]
fn validation_is_linear() {
    stays_linear("validate");
}

#[test]
fn the_canonical_form_is_linear() {
    stays_linear("canonical form");
}

#[test]
fn options_parsing_is_linear() {
    stays_linear("options");
}

#[test]
fn form_decoding_is_linear() {
    stays_linear("form decode");
}

#[test]
fn execution_requests_from_forms_are_linear() {
    stays_linear("from_form");
}

#[test]
fn date_reading_is_linear() {
    stays_linear("dates");
}
