//! Run bodies built from pieces at random: PHP bracket keys, stray separators, percent-encoded
//! brackets, empty and repeated keys, unicode. None may panic, and a body that reads as a run
//! must read back as the same run from the body `to_form` writes for it.

use rulekit_model::execution::ExecutionRequest;

const BASE: &str = "workflow_id=w&code=c&event_token=t&document_id[0]=crm&document_id[1]=CCrmDocumentDeal&document_id[2]=DEAL_1";

const PIECES: &[&str] = &[
    "properties[a]=1", "properties[a]=2", "properties[b][]=x", "properties[b][]=y", "properties[b][0]=z", "properties[b][1]=w",
    "properties[]", "properties[]=v", "properties", "properties=", "properties=u", "properties[s]", "properties[0]=p",
    "properties[1]=q", "properties[a][b]=c", "properties[a][0][x]=1", "properties%5Bc%5D=2", "properties%5Bc%5D%5B%5D=3",
    "properties[c", "properties]c[=1", "properties[[x]]=1", "properties[x]]=1", "properties[a b]=1", "properties[a+b]=%20",
    "properties[ü]=ä", "properties[日本]=語", "properties[e]=%E2%9C%93", "properties[e]=%FF", "properties[f]=a%26b%3Dc",
    "&", "&&", "=", "==", "%5B", "%5D", "%", "%ZZ", "+", "[", "]", "[]", "[]=", "=v", "é=1", "\u{0}=1",
    "document_type", "document_type=", "document_type[]=", "document_type[0]=crm", "document_type[1]=CCrmDocumentDeal",
    "document_type[2]=DEAL", "document_type=x", "document_type[a]=b", "document_id[3]=x", "document_id=x",
    "auth", "auth=", "auth[]=1", "auth[domain]=d", "auth[member_id]=m", "auth[expires]=99999999999999999999999",
    "use_subscription=Y", "use_subscription=N", "use_subscription[]=Y", "ts=5", "ts=-1", "ts=+7", "timeout_duration= 3 ",
    "code=c2", "code[]=c", "code[0]=c", "workflow_id[x]=w", "event_token=", "event_token=a|b|c.d",
];

/// xorshift64*: the same bodies on every run, with no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }
}

fn body(rng: &mut Rng) -> String {
    let mut out = if rng.below(4) == 0 { String::new() } else { BASE.to_string() };
    for _ in 0..rng.below(7) {
        match rng.below(8) {
            0 => {}
            _ => out.push('&'),
        }
        out.push_str(PIECES[rng.below(PIECES.len())]);
    }
    out
}

#[test]
fn every_body_reads_without_panic_and_an_accepted_one_round_trips() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut accepted, total) = (0, 6_000);
    for _ in 0..total {
        let b = body(&mut rng);
        let read = std::panic::catch_unwind(|| ExecutionRequest::from_form(&b)).unwrap_or_else(|_| panic!("panic on {b:?}"));
        let Ok(r) = read else { continue };
        accepted += 1;
        let written = r.to_form();
        assert_eq!(ExecutionRequest::from_form(&written).as_ref(), Ok(&r), "{b:?} was written as {written:?}");
        assert_eq!(ExecutionRequest::from_form(&written).map(|again| again.to_form()), Ok(written), "{b:?}: writing is stable");
    }
    assert!(accepted > total / 4, "the generator makes runs, not only noise: {accepted} of {total}");
}
