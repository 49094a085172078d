//! Installs what building and testing need, on a fresh Debian machine that has only the Rust
//! toolchain: each step first checks whether its tool is already there at the right version, so a
//! second run takes seconds.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// trunk 0.22 needs a newer rustc than this project's 1.95.
pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_PACK_VERSION: &str = "0.15.1";
/// What `node_modules/.bin/wasm-opt --version` must print (npm `binaryen`, pinned in package.json
/// and in Trunk.toml). Debian's wasm-opt 108 produces wasm that fails at load.
pub const WASM_OPT_VERSION: &str = "version_132";
/// The official JS SDK the sandbox is tested against (package.json pins the same).
pub const SDK_VERSION: &str = "2.2.0";

pub type Result<T = ()> = std::result::Result<T, String>;

fn home_cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

/// PATH with cargo's bin folder and the npm tools first, so the pinned wasm-opt wins over any
/// other on the machine.
pub fn tool_path() -> String {
    let mut dirs = vec![crate::root().join("node_modules/.bin"), home_cargo_bin()];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
}

/// A command with the tool PATH, run in the repository root.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.env("PATH", tool_path()).current_dir(crate::root());
    c
}

/// Runs a command, failing with its name when it fails.
pub fn run(mut c: Command) -> Result {
    let shown = format!("{c:?}");
    let status = c.status().map_err(|e| format!("cannot start {shown}: {e}"))?;
    status.success().then_some(()).ok_or_else(|| format!("{shown} failed ({status})"))
}

/// The first line a tool prints for `--version`, or `None` when it is not installed.
fn version_of(program: &str, arg: &str) -> Option<String> {
    let out = cmd(program).arg(arg).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").trim().to_string())
}

/// The version of a package in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(crate::root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

fn step(what: &str) {
    eprintln!("setup: {what}");
}

/// Whether this process runs as root (`id -u` is 0).
pub(crate) fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn apt_install(packages: &[&str]) -> Result {
    step(&format!("installing {} from Debian", packages.join(" ")));
    let sudo = !is_root();
    // No questions, debconf's defaults: among them, ucf keeps a config file already there (as the
    // one `keep_postgresql_from_starting_a_cluster` writes). sudo resets the environment, so there
    // it goes as an argument.
    let apt = |args: &[&str]| {
        let mut c = if sudo { Command::new("sudo") } else { Command::new("apt-get") };
        if sudo {
            c.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(apt(&["update", "-qq"]))?;
    let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(packages);
    run(install)
}

/// Debian's postgresql-common creates and starts a 'main' cluster on port 5432 when the server is
/// installed; the tests start clusters of their own (`pg_cluster`), so ask it not to, when nobody
/// has configured it yet. Best effort: the install works either way.
fn keep_postgresql_from_starting_a_cluster() {
    const CONF: &str = "/etc/postgresql-common/createcluster.conf";
    if Path::new(CONF).exists() {
        return;
    }
    let text = "# Written by rulekit's `cargo xtask setup`: its tests start PostgreSQL clusters of their own.\n\
                # The packaged defaults: /usr/share/postgresql-common/createcluster.conf\n\
                create_main_cluster = false\n";
    let written = if is_root() {
        std::fs::create_dir_all("/etc/postgresql-common").and_then(|()| std::fs::write(CONF, text)).map_err(|e| e.to_string())
    } else {
        let mut c = Command::new("sudo");
        c.args(["sh", "-c", &format!("mkdir -p /etc/postgresql-common && printf '%s' \"$1\" > {CONF}"), "sh", text]);
        run(c)
    };
    if let Err(e) = written {
        eprintln!("setup: cannot write {CONF} ({e}); Debian will create a 'main' cluster on port 5432");
    }
}

fn cargo_install(krate: &str, version: &str, locked: bool) -> Result {
    step(&format!("building {krate} {version} (a few minutes, once)"));
    let mut c = cmd("cargo");
    c.args(["install", "--quiet", &format!("{krate}@{version}")]);
    if locked {
        c.arg("--locked");
    }
    run(c)
}

/// Everything `test`, `build`, `run` and `bench` need.
pub fn ensure_all() -> Result {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output();
    match installed {
        Ok(out) if !String::from_utf8_lossy(&out.stdout).contains("wasm32-unknown-unknown") => {
            step("adding the wasm32-unknown-unknown target");
            let mut c = cmd("rustup");
            c.args(["target", "add", "wasm32-unknown-unknown"]).stdout(Stdio::null());
            run(c)?;
        }
        Ok(_) => {}
        Err(_) => eprintln!("setup: rustup not found; assuming the wasm32-unknown-unknown target is installed"),
    }

    let mut debs: Vec<&str> = Vec::new();
    if !PathBuf::from("/usr/bin/chromium").exists() {
        debs.push("chromium");
    }
    if !PathBuf::from("/usr/bin/chromedriver").exists() {
        debs.push("chromium-driver");
    }
    if version_of("npm", "--version").is_none() {
        debs.extend(["nodejs", "npm"]);
    }
    // The server (initdb, pg_ctl, postgres) for the tests' throwaway clusters; Debian 12 gives 15.
    if crate::pg_cluster::server_bindir().is_none() {
        keep_postgresql_from_starting_a_cluster();
        debs.push("postgresql");
    }
    if !debs.is_empty() {
        apt_install(&debs)?;
    }

    if version_of("trunk", "--version").as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
        cargo_install("trunk", TRUNK_VERSION, true)?;
    }
    // Exactly the version in Cargo.lock: trunk, wasm-pack and the test runner all demand a match.
    // Without --locked: the registry here lacks a crate version its lockfile names.
    let bindgen = locked_version("wasm-bindgen")?;
    if version_of("wasm-bindgen", "--version").as_deref() != Some(&format!("wasm-bindgen {bindgen}")) {
        cargo_install("wasm-bindgen-cli", &bindgen, false)?;
    }
    if version_of("wasm-pack", "--version").as_deref() != Some(&format!("wasm-pack {WASM_PACK_VERSION}")) {
        cargo_install("wasm-pack", WASM_PACK_VERSION, true)?;
    }
    let wasm_opt = crate::root().join("node_modules/.bin/wasm-opt");
    let opt_ok = wasm_opt.exists()
        && version_of(&wasm_opt.to_string_lossy(), "--version").is_some_and(|v| v.contains(WASM_OPT_VERSION));
    let sdk = std::fs::read_to_string(crate::root().join("node_modules/@bitrix24/b24jssdk/package.json")).unwrap_or_default();
    let sdk_ok = sdk.contains(&format!("\"version\": \"{SDK_VERSION}\""));
    if !opt_ok || !sdk_ok {
        step("installing npm packages (binaryen's wasm-opt, the official Bitrix24 JS SDK)");
        let mut c = cmd("npm");
        c.args(["ci", "--no-audit", "--no-fund", "--silent"]);
        run(c)?;
    }
    Ok(())
}
