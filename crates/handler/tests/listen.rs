//! Starting on a port something else holds: the handler says which port and what to do, not the
//! operating system's bare error.

use std::process::Command;

#[test]
fn a_port_in_use_is_named_with_what_to_do() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port();
    let dir = std::env::temp_dir().join(format!("rulekit-listen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rulekit-handler"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--portal", "m1=app-token-1@portal.example.com"])
        .arg("--db")
        .arg(dir.join("runs.db"))
        .output()
        .expect("the handler binary starts");
    let _ = std::fs::remove_dir_all(&dir);
    let said = [String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)].concat();
    assert!(!out.status.success(), "it does not start: {said}");
    assert!(said.contains(&format!("port {port} is already in use: stop what uses it")), "{said}");
    assert!(said.contains("--listen") && !said.contains("os error"), "{said}");
}
