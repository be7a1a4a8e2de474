//! Runs Stoplight Prism (`prism mock spec/gks.yaml --errors`) on a free loopback port for the
//! conformance test, stops it when the guard is dropped (also on panic), and describes what
//! Prism answered (status, `sl-violations`, body excerpt).

use std::fmt::Debug;
use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;

/// The header in which Prism lists the violations it found.
pub const VIOLATIONS_HEADER: &str = "sl-violations";

/// How long Prism may take to load the spec and listen.
const STARTUP_LIMIT: Duration = Duration::from_secs(90);

/// How many characters of a body or header a failure message shows.
const EXCERPT_CHARS: usize = 1200;

/// How Prism makes up its answers.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// From the spec's examples (`prism mock`).
    Static,
    /// Random bodies valid by the schema, new for every request (`prism mock -d`).
    Dynamic,
}

/// A running `prism mock` process; dropping it kills the process.
pub struct Prism {
    child: Child,
    base_url: String,
    log: PathBuf,
}

impl Prism {
    /// Starts Prism on `spec/gks.yaml` in `mode` and waits until it accepts connections.
    /// Panics (with Prism's log) when `PRISM_BIN` is not set, Prism exits, or it is not
    /// listening within [`STARTUP_LIMIT`].
    pub fn start(mode: Mode) -> Prism {
        let port = free_port();
        let log = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("prism-{mode:?}-{port}.log"));
        let child = spawn(mode, port, &log);
        let mut prism = Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
        };
        prism.wait_until_listening(SocketAddr::from(([127, 0, 0, 1], port)));
        prism
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Where Prism's output goes (under the target directory).
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    fn wait_until_listening(&mut self, addr: SocketAddr) {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "prism exited ({status}) before listening; its log:\n{}",
                    self.log_text()
                );
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            assert!(
                started.elapsed() < STARTUP_LIMIT,
                "prism was not listening on {addr} after {STARTUP_LIMIT:?}; its log:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_else(|e| format!("(no log: {e})"))
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // `--multiprocess` is off (the default), so this one process is all of Prism.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Prism executable from `PRISM_BIN` (relative paths are taken from the repository root).
/// Panics when it is not set or does not exist: with the `prism-conformance` feature on, a
/// missing Prism is a failure, never a skipped test.
pub fn prism_bin() -> PathBuf {
    let Some(bin) = std::env::var_os("PRISM_BIN") else {
        panic!(
            "PRISM_BIN is not set. The prism-conformance feature runs Stoplight Prism: \
             `npm ci --prefix .ci/prism`, then PRISM_BIN=.ci/prism/node_modules/.bin/prism"
        );
    };
    let bin = repo_root().join(bin);
    assert!(
        bin.exists(),
        "PRISM_BIN {} does not exist (run `npm ci --prefix .ci/prism`)",
        bin.display()
    );
    bin
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spawn(mode: Mode, port: u16, log: &Path) -> Child {
    let out = File::create(log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
    let err = out.try_clone().expect("clone the log file handle");
    let mut command = Command::new(prism_bin());
    command
        .arg("mock")
        .arg(repo_root().join("spec/gks.yaml"))
        .args([
            "--errors",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .args(["--verboseLevel", "warn"]);
    if let Mode::Dynamic = mode {
        command.arg("--dynamic");
    }
    command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("start prism ({:?}): {e}", command))
}

/// A loopback port with nothing listening on it (free a moment ago).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("local address").port()
}

/// Prism's verdict on one answer, for failure messages: status, `sl-violations`, body excerpt.
pub fn verdict(status: Option<u16>, headers: Option<&HeaderMap>, body: Option<&[u8]>) -> String {
    let status = status.map_or_else(|| "no status".to_owned(), |s| s.to_string());
    let violations = headers
        .and_then(|h| h.get(VIOLATIONS_HEADER))
        .map(|v| excerpt(&String::from_utf8_lossy(v.as_bytes())));
    let body = body
        .map(|b| excerpt(&String::from_utf8_lossy(b)))
        .unwrap_or_default();
    match violations {
        Some(v) => format!("HTTP {status}, {VIOLATIONS_HEADER}: {v}; body: {body}"),
        None => format!("HTTP {status}, no {VIOLATIONS_HEADER} header; body: {body}"),
    }
}

/// [`verdict`] for an error of a `gks_api` call, with the error's own text.
pub fn error_verdict<E: Debug>(error: &gks_api::Error<E>) -> String {
    let answer = verdict(
        error.status().map(|s| s.as_u16()),
        error.headers(),
        error.raw_body().map(|b| b.as_ref()),
    );
    format!("{answer}; error: {error}")
}

fn excerpt(text: &str) -> String {
    let mut cut: String = text.chars().take(EXCERPT_CHARS).collect();
    if cut.len() < text.len() {
        cut.push_str(" […]");
    }
    cut
}
