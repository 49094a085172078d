//! What a run or install whose body cannot be read is told (issue 11): 400, saying so without
//! quoting the body; 401 stays for credentials that are missing or wrong.

mod common;

use common::*;

const PORTAL: &str = "a223c6b3710f85df22e9377d6c4f7553=51856fefc120afa4b628cc82d3935cce@example.bitrix24.de";
const TOKEN: &str = "51856fefc120afa4b628cc82d3935cce";

fn echoes_a_token(text: &str) -> bool {
    [TOKEN, "FIXTURE-ACCESS-TOKEN", "FIXTURE-REFRESH-TOKEN"].iter().any(|t| text.contains(t))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_cannot_be_read_is_400_and_missing_or_wrong_credentials_401() {
    let h = handler(PORTAL, |c| c.workers = 0).await;
    let fixture = xtask::fixture("execution.invoice-deal.form");
    // Genuine credentials in a body the form decoder refuses: a key both a value and a map, a
    // bracket left open, a value that is not UTF-8 once its escapes are decoded.
    let both = format!("auth=1&{fixture}");
    let open = format!("{fixture}&properties%5Bnote=1");
    let escaped = format!("{fixture}&note=%FF%FE");
    let no_auth: String = fixture.split('&').filter(|p| !p.starts_with("auth%5B")).collect::<Vec<_>>().join("&");
    let wrong_token = fixture.replace(TOKEN, "00000000000000000000000000000000");
    let cases: [(&str, &[u8], u16); 6] = [("a key that is both a value and a map", both.as_bytes(), 400),
        ("a bracket left open", open.as_bytes(), 400), ("an escape that is not UTF-8", escaped.as_bytes(), 400), ("bytes that are not UTF-8", b"auth%5Bmember_id%5D=\xff", 400),
        ("no auth", no_auth.as_bytes(), 401), ("a wrong application token", wrong_token.as_bytes(), 401)];
    for (what, body, status) in cases {
        // An install event that cannot be read is told the same.
        for path in if status == 400 { &["/run", "/install"][..] } else { &["/run"] } {
            let a = oneshot(&h, path, body).await;
            assert_eq!(a.status, status, "{path}, {what}: {}", a.body);
            assert!(!echoes_a_token(&a.body), "{path}, {what}: the answer echoes a token: {}", a.body);
        }
    }
    assert!(job_states(&h).await.is_empty(), "nothing is queued");
}
