//! Scaling checks: each text-handling function of the model timed at growing input sizes, with
//! inputs built to be its worst case. The figure that matters is the time ratio per doubling
//! within one run (near 2 for a linear cost, near 4 for a quadratic one), so it holds on a noisy
//! or slow machine where absolute times would not. `cargo xtask bench scaling` prints them, and
//! `tests/scaling.rs` holds every case to linear.

use rulekit_model::execution::ExecutionRequest;
use rulekit_model::expression::{segments, Catalog, DocumentField};
use rulekit_model::{dates, form_encoding, validate, PlacementOptions, Property, PropertyValue};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// One function under test: `prepare(n)` builds a worst-case input of about `n` bytes (not timed)
/// and returns the call that is timed.
pub struct Case {
    pub name: &'static str,
    pub prepare: fn(usize) -> Box<dyn FnMut()>,
}

/// A case's times: `(input size, best time)` per size, in growing order.
pub struct Curve {
    pub name: &'static str,
    pub points: Vec<(usize, Duration)>,
}

impl Curve {
    /// The time ratio per doubling of the input over the span measured:
    /// (t_last / t_first) ^ (1 / doublings). `None` with fewer than two sizes.
    pub fn per_doubling(&self) -> Option<f64> {
        let (&(n0, t0), &(n1, t1)) = (self.points.first()?, self.points.last()?);
        let doublings = (n1 as f64 / n0 as f64).log2();
        (doublings > 0.0).then(|| (t1.as_secs_f64() / t0.as_secs_f64().max(1e-9)).powf(1.0 / doublings))
    }

    /// The time ratio of each doubling to the one before, the largest: where a cost turns
    /// quadratic only at large sizes, this shows it first.
    pub fn worst_step(&self) -> Option<f64> {
        self.points.windows(2).map(|w| w[1].1.as_secs_f64() / w[0].1.as_secs_f64().max(1e-9)).max_by(f64::total_cmp)
    }
}

/// Sizes from `from` to `to` bytes, doubling.
pub fn doubling(from: usize, to: usize) -> Vec<usize> {
    std::iter::successors(Some(from), |n| Some(n * 2)).take_while(|n| *n <= to).collect()
}

/// This thread's CPU time, where the platform gives it: time the other builders of a busy
/// machine take from this thread does not count, so the ratios hold on a loaded machine.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn now() -> Duration {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through the pointer, which is valid for it.
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    if ok { Duration::new(t.sec as u64, t.nsec as u32) } else { Instant::now().duration_since(*START.get_or_init(Instant::now)) }
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn now() -> Duration {
    Instant::now().duration_since(*START.get_or_init(Instant::now))
}

static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// Times `case` at each size, best of `runs` calls after a warm-up call. A size whose call takes
/// longer than `budget` is the last one measured (and gets no more calls): a quadratic cost must
/// not hold the bench or a test for minutes, and two sizes already show its ratio.
pub fn measure(case: &Case, sizes: &[usize], runs: usize, budget: Duration) -> Curve {
    let mut points = Vec::new();
    for &n in sizes {
        let mut call = (case.prepare)(n);
        let mut best = Duration::MAX;
        for _ in 0..=runs {
            let start = now();
            call();
            let took = now().saturating_sub(start);
            best = best.min(took);
            if took > budget {
                break;
            }
        }
        points.push((n, best));
        if best > budget && points.len() >= 2 {
            break;
        }
    }
    Curve { name: case.name, points }
}

/// Text of about `n` bytes made of `piece` repeated.
fn repeat(piece: &str, n: usize) -> String {
    piece.repeat(n.div_ceil(piece.len()))
}

/// Opens that never close, mixed: `{{`, `{=` that is no field, and `{=a:` with no field before
/// its modifiers, then spaces up to a lone `}` that every `{=` finds.
fn unclosed(n: usize) -> String {
    repeat("{{a {=d e {=a:>", n / 2) + &" ".repeat(n / 2) + "}"
}

/// The timed call of `f` on `text`.
fn on_text(text: String, f: fn(&str)) -> Box<dyn FnMut()> {
    Box::new(move || f(&text))
}

/// `k` document fields, and a text of about `n` bytes naming `k` display names and `k` field
/// expressions that none of them is.
fn canonical(n: usize) -> Box<dyn FnMut()> {
    let k = n / 36;
    let fields: Vec<DocumentField> =
        (0..k).map(|i| DocumentField { code: format!("F{i}"), name: format!("Field {i}"), kind: "string".into() }).collect();
    let catalog = Catalog::build(&fields, None);
    let text: String = (0..k).map(|i| format!("{{{{Unknown {i}}}}} {{=Document:NO{i}}} ")).collect();
    Box::new(move || {
        black_box(catalog.canonical(&text));
        black_box(catalog.display(&text));
        black_box(catalog.unknown_names(&text));
        black_box(catalog.unknown_expressions(&text));
    })
}

/// Options of about `n` bytes: `k` properties whose descriptor keys come in every casing, and
/// saved values under each code and under the code in upper case.
fn options(n: usize) -> Box<dyn FnMut()> {
    let casings = [["NAME", "MULTIPLE"], ["Name", "Multiple"], ["name", "multiple"], ["nAmE", "mUlTiPlE"]];
    let (mut properties, mut values) = (Vec::new(), Vec::new());
    for i in 0..n / 62 {
        let [name, multiple] = casings[i % casings.len()];
        properties.push(format!(r#""p{i}":{{"{name}":"P","{multiple}":"{}"}}"#, ["N", "Y"][i % 2]));
        values.push(format!(r#""P{i}":"v","p{i}":["a"]"#));
    }
    let text = format!(r#"{{"code":"r","properties":{{{}}},"current_values":{{{}}}}}"#, properties.join(","), values.join(","));
    on_text(text, |t| _ = black_box(PlacementOptions::parse_str(t)))
}

/// A run's form body of about `n` bytes, with `k` properties, every other one a list.
fn form_body(n: usize) -> String {
    let head = "workflow_id=w&code=c&event_token=t&document_id[0]=crm&document_id[1]=CCrmDocumentDeal&document_id[2]=DEAL_1";
    let mut body = head.to_string();
    for i in 0..n / 40 {
        body += &if i % 2 == 0 { format!("&properties[p{i}]=value+{i}") } else { format!("&properties[l{i}][0]=a&properties[l{i}][1]=b") };
    }
    body
}

pub fn cases() -> Vec<Case> {
    vec![
        Case { name: "segments {{×n", prepare: |n| on_text(repeat("{{", n), |t| _ = black_box(segments(t))) },
        Case { name: "segments {=×n", prepare: |n| on_text(repeat("{=", n), |t| _ = black_box(segments(t))) },
        Case { name: "segments mixed", prepare: |n| on_text(unclosed(n), |t| _ = black_box(segments(t))) },
        Case {
            name: "validate",
            prepare: |n| {
                let property = Property::parse("p", &serde_json::json!({"Name": "P", "Type": "string"}), &mut vec![]);
                let value = PropertyValue::Single(unclosed(n));
                let catalog = Catalog::build(&[DocumentField { code: "TITLE".into(), name: "Deal name".into(), kind: "string".into() }], None);
                Box::new(move || _ = black_box(validate::validate(&property, &value, &catalog)))
            },
        },
        Case { name: "canonical form", prepare: canonical },
        Case { name: "options", prepare: options },
        Case { name: "form decode", prepare: |n| on_text(form_body(n), |t| _ = black_box(form_encoding::decode(t))) },
        Case { name: "from_form", prepare: |n| on_text(form_body(n), |t| _ = black_box(ExecutionRequest::from_form(t))) },
        // One long text, and each date in it on its own.
        Case {
            name: "dates",
            prepare: |n| on_text(repeat("27.11.2026 10:00 am ", n), |t| _ = black_box((dates::parse(t), t.split(' ').filter_map(dates::parse).count()))),
        },
    ]
}

/// `cargo xtask bench scaling`: per case, ms at each size and the ratio per doubling.
pub fn run() {
    let sizes = doubling(16 << 10, 1 << 20);
    println!("\nscaling: best of 3 calls per size (ms of CPU time), the time ratio per doubling over all sizes, and the worst single doubling (2 is linear, 4 quadratic)");
    print!("{:<16}", "case");
    for n in &sizes {
        print!(" {:>9}", format!("{} KiB", n >> 10));
    }
    println!(" {:>9} {:>9}", "ratio", "worst");
    for case in cases() {
        let curve = measure(&case, &sizes, 3, Duration::from_secs(5));
        print!("{:<16}", curve.name);
        for (_, t) in &curve.points {
            print!(" {:>9.2}", t.as_secs_f64() * 1e3);
        }
        for _ in curve.points.len()..sizes.len() {
            print!(" {:>9}", "-");
        }
        println!(" {:>9.2} {:>9.2}", curve.per_doubling().unwrap_or(f64::NAN), curve.worst_step().unwrap_or(f64::NAN));
    }
}
