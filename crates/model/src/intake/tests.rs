use super::*;
use crate::execution::ExecutionRequest;
use crate::form_encoding::decode;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_runs_bitrix24_sends_are_read_without_decoding_and_as_decoding_reads_them() {
    for name in ["execution.invoice-deal.form", "execution.invoice-lead.form"] {
        let body = fixture(name);
        assert!(surely_decodes(&body), "{name} takes the short way");
        let intake = Intake::plain(&body).unwrap();
        intake.check().unwrap();
        let full = ExecutionRequest::from_form(&body).unwrap();
        let fields = [
            (&intake.workflow_id, &full.workflow_id),
            (&intake.code, &full.code),
            (&intake.event_token, &full.event_token),
            (&intake.document, &full.document_id[2]),
            (&intake.member_id, &full.auth.member_id),
            (&intake.application_token, &full.auth.application_token),
            (&intake.domain, &full.auth.domain),
            (&intake.client_endpoint, &full.auth.client_endpoint),
        ];
        for (short, long) in fields {
            assert_eq!(short.as_ref(), long.as_str(), "{name}");
        }
    }
}

#[test]
fn bodies_decoding_refuses_never_take_the_short_way() {
    let body = fixture("execution.invoice-deal.form");
    for bad in [format!("auth=1&{body}"), format!("{body}&properties%5Bnote=1"), format!("{body}&note=%FF%FE"), "a[1]=x".into(), "1=x".into(), "a=1&a=2".into()] {
        assert!(!surely_decodes(&bad), "{bad}");
    }
}

/// A small xorshift: the same bodies on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn whatever_takes_the_short_way_decoding_reads_too() {
    // Characters that matter to the decoder, and keys shaped like a run's, shuffled together.
    let atoms = ["a", "b", "_", "0", "1", "2", "01", "[", "]", "%5B", "%5D", "=", "&", "+", "%", "%FF", "%C3%A9", "%C3", "%2", "%zz", ".", " "];
    let names = ["a", "b", "auth", "x_1"];
    let segments = ["0", "1", "2", "3", "k", "m", "01", "_"];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut short = 0;
    for round in 0..60_000 {
        let body: String = if round % 2 == 0 {
            (0..rng.next(10)).map(|_| atoms[rng.next(atoms.len())]).collect()
        } else {
            let pairs: Vec<String> = (0..1 + rng.next(4))
                .map(|_| {
                    let mut key = names[rng.next(names.len())].to_string();
                    for _ in 0..rng.next(4) {
                        let segment = segments[rng.next(segments.len())];
                        key.push_str(&if rng.next(2) == 0 { format!("[{segment}]") } else { format!("%5B{segment}%5D") });
                    }
                    format!("{key}={}", atoms[rng.next(atoms.len())])
                })
                .collect();
            pairs.join("&")
        };
        if surely_decodes(&body) {
            short += 1;
            assert!(decode(&body).is_ok(), "{body:?} took the short way, but decode refuses it: {:?}", decode(&body));
        }
    }
    assert!(short > 2_000, "the test reaches the short way often enough: {short}");
}

#[test]
fn a_field_given_twice_goes_the_long_way_and_a_missing_one_is_refused() {
    let body = fixture("execution.invoice-deal.form");
    // Given twice: not plain, so the handler decodes it in full and reads what the worker reads.
    for twice in [format!("{body}&auth[member_id]=someone-else"), format!("{body}&document_id%5B0%5D=crm")] {
        assert!(Intake::plain(&twice).is_none(), "{twice}");
    }
    for field in ["workflow_id", "code", "event_token"] {
        let without: Vec<&str> = body.split('&').filter(|p| !p.starts_with(&format!("{field}="))).collect();
        assert_eq!(Intake::plain(&without.join("&")).unwrap().check(), Err(ExecutionError::Missing(field)), "{field}");
        assert!(ExecutionRequest::from_form(&without.join("&")).is_err(), "the full reading refuses it too");
    }
    let no_document: Vec<&str> = body.split('&').filter(|p| !p.starts_with("document_id%5B2%5D")).collect();
    assert_eq!(Intake::plain(&no_document.join("&")).unwrap().check(), Err(ExecutionError::Missing("document_id")));
    let four = format!("{body}&document_id%5B3%5D=x");
    assert_eq!(Intake::plain(&four).unwrap().check(), Err(ExecutionError::Missing("document_id")));
    assert!(ExecutionRequest::from_form(&four).is_err());
    let one = "workflow_id=w&code=c&event_token=t&document_id=DEAL_1";
    assert_eq!(Intake::plain(one).unwrap().check(), Err(ExecutionError::Missing("document_id")));
    assert!(ExecutionRequest::from_form(one).is_err());
}

#[test]
fn components_decode_as_the_form_decoder_does() {
    assert_eq!(&*decode_bytes("a+b%26c%7C"), b"a b&c|");
    assert!(matches!(decode_bytes("plain"), Cow::Borrowed(_)));
    assert_eq!(&*decode_bytes("100%"), b"100%");
    assert_eq!(&*decode_bytes("%zz%4"), b"%zz%4");
    assert_eq!(&*decode_bytes("%%C3%A9"), b"%%C3\xA9");
    assert_eq!(&*decode_bytes("%;%5B"), b"%;[");
    assert_eq!(&*decode_bytes("%+"), b"%+");
    assert_eq!(&*decode_bytes("%2%C3%A9"), b"%2%C3\xA9");
    assert_eq!(text("%C3%A9").as_deref(), Some("é"));
    assert_eq!(text("%FF"), None);
}

#[test]
fn keys_are_told_apart_by_their_parts_and_long_lists_stay_plain() {
    // The same letters split differently are different keys, and plain.
    for body in ["ab[c]=1&a[bc]=2", "ab[c]=1&a[bc]=2&a[b][c]=3"] {
        assert!(Intake::plain(body).is_some(), "{body}");
        assert!(decode(body).is_ok(), "{body}");
    }
    // One key written with brackets and with escaped brackets is the same key twice.
    assert!(Intake::plain("a[b]=1&a%5Bb%5D=2").is_none());
    // A value that is also a map, whichever comes first.
    assert!(Intake::plain("a=1&a[b]=2").is_none());
    assert!(Intake::plain("a[b]=2&a=1").is_none());
    assert!(Intake::plain("a[b]=1&a[b][c]=2").is_none());
    // A list of a hundred values in any order is plain; one with a gap or a leading zero is not.
    let mut items: Vec<String> = (0..100).map(|i| format!("p[list][{i}]=v{i}")).collect();
    items.reverse();
    assert!(Intake::plain(&items.join("&")).is_some());
    assert!(decode(&items.join("&")).is_ok());
    items.remove(50);
    assert!(Intake::plain(&items.join("&")).is_none(), "a gap");
    assert!(Intake::plain("p[00]=a&p[1]=b").is_none(), "a leading zero");
    assert!(Intake::plain("p[0]=a&p[x]=b").is_none(), "numbered and named parts in one map");
}
