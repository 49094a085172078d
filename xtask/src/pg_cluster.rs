//! A throwaway PostgreSQL cluster for tests and benches: `initdb` into a temporary directory, a
//! server on a free loopback port with its Unix socket in that directory, stopped and removed on
//! drop. Several may run at once, from parallel threads and parallel processes.
//!
//! `initdb` and the server refuse to run as root, so as root the directory belongs to `nobody` and
//! the server's programs run through `runuser -u nobody --`. Clients (`createdb`, `psql`) connect
//! over TCP with `trust` authentication, as any user.
//!
//! `cargo xtask setup` installs Debian's `postgresql` where the server is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Each cluster's directory is `rulekit-pg-<pid>-<counter>` in the temporary directory.
const DIR_PREFIX: &str = "rulekit-pg-";
static COUNTER: AtomicUsize = AtomicUsize::new(0);
/// Tries of a start whose port another process took between `free_port` and the server's bind.
const START_TRIES: usize = 4;
/// What the server's programs must not pick up from the environment.
const PG_ENV: &[&str] = &[
    "PGDATA", "PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS", "PGSERVICE", "PGSSLMODE",
    "PGPASSWORD", "PGPASSFILE", "PGTZ", "PGCLIENTENCODING",
];

/// A PostgreSQL cluster of its own in a temporary directory, on a free loopback port; stopped and
/// removed on drop.
#[derive(Debug)]
pub struct PgCluster {
    /// PostgreSQL's bin directory: initdb, pg_ctl, postgres, createdb, psql.
    bin: PathBuf,
    /// The temporary directory: `data/` (the cluster), `sock/` (the Unix socket), `log`.
    dir: PathBuf,
    port: u16,
    /// Whether the server's programs run as `nobody` (this process is root).
    as_nobody: bool,
}

/// The bin directory of an installed PostgreSQL server (with `initdb`, `pg_ctl` and `postgres`):
/// `pg_config --bindir` when that has them, else the newest `/usr/lib/postgresql/*/bin` that does,
/// else the first such directory on PATH. `None` when the server is not installed.
pub fn server_bindir() -> Option<PathBuf> {
    let has_server = |d: &Path| ["initdb", "pg_ctl", "postgres"].iter().all(|p| d.join(p).is_file());
    let from_pg_config = Command::new("pg_config").arg("--bindir").stderr(Stdio::null()).output().ok();
    if let Some(out) = from_pg_config.filter(|o| o.status.success()) {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_server(&dir) {
            return Some(dir);
        }
    }
    // Debian's layout, one directory per major version ("15", or "9.6" for old ones).
    let mut versions: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version: Vec<u32> = name.split('.').map(str::parse).collect::<Result<_, _>>().ok()?;
            let bin = entry.path().join("bin");
            has_server(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    // Elsewhere: the directory the `initdb` on PATH really lives in (it may be a symlink).
    let path = std::env::var_os("PATH")?;
    let dir = std::env::split_paths(&path).find(|d| has_server(d))?;
    let real = std::fs::canonicalize(dir.join("initdb")).ok()?;
    real.parent().filter(|d| has_server(d)).map(Path::to_path_buf).or(Some(dir))
}

impl PgCluster {
    /// Starts one. Fails with a message naming what to install or run when PostgreSQL's server is
    /// missing, and with the tail of the server's log when it does not start.
    pub fn start() -> Result<PgCluster, String> {
        let bin = server_bindir().ok_or_else(|| {
            "PostgreSQL's server is not installed: no initdb and pg_ctl in `pg_config --bindir`, \
             /usr/lib/postgresql/*/bin or PATH. Run `cargo xtask setup` (it installs Debian's \
             `postgresql` package), or `apt-get install postgresql`."
                .to_string()
        })?;
        let as_nobody = crate::setup::is_root();
        let dir = make_dir(as_nobody)?;
        reap_stale_clusters(&bin, as_nobody, &dir);
        // From here on, dropping `cluster` (on any error below) removes the directory.
        let mut cluster = PgCluster { bin, dir, port: 0, as_nobody };
        cluster.initdb()?;
        for attempt in 1..=START_TRIES {
            cluster.port = crate::free_port().map_err(|e| format!("no free loopback port for PostgreSQL: {e}"))?;
            let log_before = std::fs::metadata(cluster.log()).map(|m| m.len()).unwrap_or(0);
            match cluster.pg_ctl_start() {
                Ok(()) => return Ok(cluster),
                Err(e) => {
                    let log = std::fs::read(cluster.log()).unwrap_or_default();
                    let this_try = String::from_utf8_lossy(log.get(log_before as usize..).unwrap_or_default());
                    let port_taken = this_try.contains("Address already in use")
                        || this_try.contains("could not create any TCP/IP sockets");
                    if !port_taken || attempt == START_TRIES {
                        return Err(e);
                    }
                    // Another process took the port: stop a half-started server, if any, and retry.
                    let _ = cluster.stop();
                }
            }
        }
        unreachable!("the last try returns")
    }

    /// Creates database `name` (an error if it exists) and returns its URL,
    /// `postgres://postgres@127.0.0.1:PORT/name`.
    pub fn create_database(&self, name: &str) -> Result<String, String> {
        let mut c = self.client("createdb");
        c.args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "--", name]);
        let out = output(c)?;
        if !out.status.success() {
            return Err(format!("createdb {name} failed ({}): {}", out.status, both(&out)));
        }
        Ok(self.url(name))
    }

    /// The URL of database `name` in this cluster (percent-encoding what a URL path needs).
    pub fn url(&self, name: &str) -> String {
        let mut encoded = String::new();
        for b in name.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                encoded.push(b as char);
            } else {
                encoded.push_str(&format!("%{b:02X}"));
            }
        }
        format!("postgres://postgres@127.0.0.1:{}/{encoded}", self.port)
    }

    /// The server's TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The temporary directory, removed on drop.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The server's process id (its first line of `postmaster.pid`), while it runs: the bench pins
    /// it, and the processes it starts later, to a core.
    pub fn server_pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.data().join("postmaster.pid")).ok()?.lines().next()?.trim().parse().ok()
    }

    /// Where a PostgreSQL program lives (`psql`, `pg_dump`, …), from the same installation.
    pub fn program(&self, name: &str) -> PathBuf {
        self.bin.join(name)
    }

    /// Stops the server at once (`pg_ctl stop -m immediate`); the directory stays until drop. A
    /// server that is not running is fine.
    pub fn stop(&self) -> Result<(), String> {
        if !self.data().join("postmaster.pid").exists() {
            return Ok(());
        }
        let mut c = self.server("pg_ctl");
        c.args(["stop", "-m", "immediate", "-w", "-D"]).arg(self.data());
        let out = output(c)?;
        if !out.status.success() {
            return Err(format!("pg_ctl stop failed ({}): {}", out.status, both(&out)));
        }
        Ok(())
    }

    /// Turns TLS on with this certificate and key (PEM text), as the server's own files; clients
    /// may then ask for it (`sslmode=require`). Reloaded, not restarted: the port stays.
    pub fn enable_tls(&self, cert_pem: &str, key_pem: &str) -> Result<(), String> {
        for (name, text) in [("server.crt", cert_pem), ("server.key", key_pem)] {
            let path = self.data().join(name);
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            // The server refuses a key that others may read, or that is not its own.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(|e| e.to_string())?;
            if self.as_nobody {
                let mut chown = Command::new("chown");
                chown.arg("nobody:").arg(&path);
                output(chown)?;
            }
        }
        let mut c = self.client("psql");
        c.args(["-X", "-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1"]);
        c.args(["-c", "ALTER SYSTEM SET ssl = on", "-c", "SELECT pg_reload_conf()"]);
        let out = output(c)?;
        if !out.status.success() {
            return Err(format!("TLS could not be turned on: {}", both(&out)));
        }
        // The reload is asynchronous: wait until the server says it is on.
        for _ in 0..100 {
            let mut c = self.client("psql");
            c.args(["-X", "-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-d", "postgres", "-tAc", "SHOW ssl"]);
            if output(c).is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "on") {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(format!("TLS did not come on; the server's log: {}", std::fs::read_to_string(self.log()).unwrap_or_default()))
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn log(&self) -> PathBuf {
        self.dir.join("log")
    }

    /// A server program (initdb, pg_ctl), as `nobody` when this process is root.
    fn server(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        let mut c = if self.as_nobody {
            let mut c = Command::new("runuser");
            c.args(["-u", "nobody", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        };
        // English messages (the retry looks for one), and a working directory `nobody` may enter.
        c.env("LC_ALL", "C").current_dir(&self.dir);
        for var in PG_ENV {
            c.env_remove(var);
        }
        c.stdin(Stdio::null());
        c
    }

    /// A client program (createdb, psql), as this process's user.
    fn client(&self, program: &str) -> Command {
        let mut c = Command::new(self.bin.join(program));
        for var in PG_ENV {
            c.env_remove(var);
        }
        c.stdin(Stdio::null());
        c
    }

    fn initdb(&self) -> Result<(), String> {
        let mut c = self.server("initdb");
        c.arg("-D").arg(self.data());
        // The C locale: the same collation everywhere, whatever locales the machine has.
        c.args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
        let out = output(c)?;
        if !out.status.success() {
            return Err(format!("initdb failed ({}): {}", out.status, both(&out)));
        }
        Ok(())
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200",
            self.port,
            shell_quote(&self.dir.join("sock").to_string_lossy())
        );
        let mut c = self.server("pg_ctl");
        c.arg("start").arg("-D").arg(self.data()).arg("-l").arg(self.log()).args(["-w", "-t", "60", "-o", &options]);
        let out = output(c)?;
        if !out.status.success() {
            return Err(format!(
                "PostgreSQL did not start on port {} ({}): {}\nthe end of its log {}:\n{}",
                self.port,
                out.status,
                both(&out),
                self.log().display(),
                log_tail(&self.log(), 30)
            ));
        }
        Ok(())
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            eprintln!("pg_cluster: {e}");
        }
        // A just-stopped server's last processes may still be leaving files: one more try.
        if std::fs::remove_dir_all(&self.dir).is_err() && self.dir.exists() {
            std::thread::sleep(Duration::from_millis(200));
            match std::fs::remove_dir_all(&self.dir) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    eprintln!("pg_cluster: cannot remove {}: {e}", self.dir.display())
                }
                _ => {}
            }
        }
    }
}

/// The temporary directories clusters may live in: the system's, and /tmp when root's is one
/// `nobody` cannot reach.
fn bases(as_nobody: bool) -> Vec<PathBuf> {
    let mut bases = vec![std::env::temp_dir()];
    if as_nobody && bases[0] != Path::new("/tmp") {
        bases.push(PathBuf::from("/tmp"));
    }
    bases
}

/// A new, unique directory with `data/` (mode 0700, as the server demands) and `sock/`, owned by
/// `nobody` when the server runs as `nobody`.
fn make_dir(as_nobody: bool) -> Result<PathBuf, String> {
    use std::os::unix::fs::DirBuilderExt;
    let mut failures = Vec::new();
    'bases: for base in bases(as_nobody) {
        let dir = loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let dir = base.join(format!("{DIR_PREFIX}{}-{n}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => break dir,
                // Left by an earlier process with this pid (reaped later): take the next number.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    failures.push(format!("cannot create {}: {e}", dir.display()));
                    continue 'bases;
                }
            }
        };
        let made = std::fs::DirBuilder::new()
            .mode(0o700)
            .create(dir.join("data"))
            .and_then(|()| std::fs::create_dir(dir.join("sock")));
        if let Err(e) = made {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(format!("cannot create {}: {e}", dir.display()));
        }
        if !as_nobody {
            return Ok(dir);
        }
        // `initdb` refuses root: the directory becomes nobody's (nobody's own group: nogroup).
        let mut chown = Command::new("chown");
        chown.arg("-R").arg("nobody:").arg(&dir);
        let owned = output(chown).and_then(|o| {
            o.status.success().then_some(()).ok_or_else(|| format!("chown -R nobody: failed: {}", both(&o)))
        });
        let mut test = Command::new("runuser");
        test.args(["-u", "nobody", "--", "test", "-w"]).arg(&dir).arg("-a").arg("-x").arg(&dir);
        let reachable = owned.and_then(|()| {
            let o = output(test)?;
            o.status.success().then_some(()).ok_or_else(|| format!("the user nobody cannot reach it {}", both(&o)))
        });
        match reachable {
            Ok(()) => return Ok(dir),
            Err(e) => {
                failures.push(format!("{}: {e}", dir.display()));
                let _ = std::fs::remove_dir_all(&dir);
            }
        }
    }
    Err(format!(
        "no temporary directory for a PostgreSQL cluster (as root, it must be one the user nobody can use): {}",
        failures.join("; ")
    ))
}

/// Stops and removes the clusters of processes that are gone (killed before their drop ran), so
/// their servers do not run on forever: those whose directory has the same owner as `ours`.
fn reap_stale_clusters(bin: &Path, as_nobody: bool, ours: &Path) {
    use std::os::unix::fs::MetadataExt;
    let Ok(owner) = std::fs::metadata(ours).map(|m| m.uid()) else { return };
    if !Path::new("/proc/self").exists() {
        return;
    }
    for base in bases(as_nobody) {
        for entry in std::fs::read_dir(&base).into_iter().flatten().flatten() {
            if entry.metadata().map(|m| m.uid()).ok() != Some(owner) {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = name.strip_prefix(DIR_PREFIX).and_then(|rest| rest.split('-').next()) else { continue };
            let Ok(pid) = pid.parse::<u32>() else { continue };
            if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
                continue;
            }
            // Dropping it stops its server (if any) and removes the directory.
            drop(PgCluster { bin: bin.to_path_buf(), dir: entry.path(), port: 0, as_nobody });
        }
    }
}

fn output(mut c: Command) -> Result<Output, String> {
    c.output().map_err(|e| format!("cannot start {:?}: {e}", c.get_program()))
}

/// A command's stdout and stderr, trimmed.
fn both(out: &Output) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    text.trim().to_string()
}

fn log_tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| format!("(cannot read it: {e})"));
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// One word for `sh` (pg_ctl runs the server through it, with `-o` as written).
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn psql(cluster: &PgCluster, db: &str, sql: &str) -> String {
        let out = Command::new(cluster.program("psql"))
            .args(["-X", "-h", "127.0.0.1", "-p", &cluster.port().to_string(), "-U", "postgres", "-d", db, "-tAc", sql])
            .output()
            .expect("psql runs");
        assert!(out.status.success(), "psql failed: {}", both(&out));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    #[test]
    fn pg_cluster_starts_serves_a_database_and_is_removed_on_drop() {
        let cluster = PgCluster::start().unwrap_or_else(|e| panic!("{e}"));
        let url = cluster.create_database("rulekit_test").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(url, format!("postgres://postgres@127.0.0.1:{}/rulekit_test", cluster.port()));
        assert_eq!(psql(&cluster, "rulekit_test", "select 40+2"), "42");
        assert!(cluster.create_database("rulekit_test").is_err(), "a second createdb of the same name fails");
        let dir = cluster.dir().to_path_buf();
        assert!(dir.join("data/PG_VERSION").exists());
        drop(cluster);
        assert!(!dir.exists(), "{} is left after drop", dir.display());
    }

    #[test]
    fn pg_clusters_run_side_by_side() {
        let clusters: Vec<PgCluster> = std::thread::scope(|s| {
            let starts: Vec<_> = (0..3).map(|_| s.spawn(PgCluster::start)).collect();
            starts.into_iter().map(|t| t.join().expect("no panic").unwrap_or_else(|e| panic!("{e}"))).collect()
        });
        let mut ports: Vec<u16> = clusters.iter().map(PgCluster::port).collect();
        ports.sort();
        ports.dedup();
        assert_eq!(ports.len(), 3, "three ports");
        for (i, cluster) in clusters.iter().enumerate() {
            cluster.create_database(&format!("db{i}")).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(psql(cluster, &format!("db{i}"), "select current_database()"), format!("db{i}"));
        }
        clusters[0].stop().unwrap_or_else(|e| panic!("{e}"));
        assert!(clusters[0].dir().exists(), "stop keeps the directory");
        clusters[0].stop().unwrap_or_else(|e| panic!("a second stop is fine: {e}"));
        let dirs: Vec<PathBuf> = clusters.iter().map(|c| c.dir().to_path_buf()).collect();
        drop(clusters);
        assert!(dirs.iter().all(|d| !d.exists()));
    }
}
