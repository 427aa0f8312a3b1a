//! Real protocol peers for the notification tests: an SMTP server (aiosmtpd, over TCP)
//! and Twilio's contract mock (Prism serving Twilio's own OpenAPI document).

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16, child: &mut Child, what: &str, limit: Duration) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited early: {status}");
        }
        assert!(
            start.elapsed() < limit,
            "{what} did not listen within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// aiosmtpd storing every message it accepts in a Maildir.
pub struct SmtpServer {
    pub port: u16,
    child: Child,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start() -> Self {
        let maildir = tempfile::tempdir().unwrap();
        let port = free_port();
        Self::start_at(port, maildir)
    }

    /// (Re)starts on a given port, keeping the mailbox: for outage tests.
    pub fn start_at(port: u16, maildir: tempfile::TempDir) -> Self {
        let mut child = Command::new(repo_root().join(".tools/venv/bin/python"))
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd runs from .tools/venv (scripts/setup installs it)");
        wait_for_port(port, &mut child, "aiosmtpd", Duration::from_secs(10));
        Self {
            port,
            child,
            maildir,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, raw.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let mut files = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.path().join("box").join(sub)) {
                files.extend(entries.flatten().map(|e| e.path()));
            }
        }
        files.sort();
        files.iter().map(|f| std::fs::read(f).unwrap()).collect()
    }

    /// Waits until at least `n` messages arrived.
    pub async fn wait_for(&self, n: usize, limit: Duration) -> Vec<Vec<u8>> {
        let start = Instant::now();
        loop {
            let messages = self.messages();
            if messages.len() >= n || start.elapsed() > limit {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stops the server; its mailbox is handed back to restart it later.
    pub fn stop(mut self) -> (u16, tempfile::TempDir) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let maildir = std::mem::replace(&mut self.maildir, tempfile::tempdir().unwrap());
        (self.port, maildir)
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Prism mocking Twilio from `shared/contracts/twilio/twilio_api_v2010.json`: it
/// answers requests that follow Twilio's contract and refuses the others (422/401).
pub struct TwilioContractMock {
    pub port: u16,
    child: Child,
}

impl TwilioContractMock {
    pub fn start() -> Self {
        let spec = repo_root().join("../shared/contracts/twilio/twilio_api_v2010.json");
        assert!(
            spec.exists(),
            "Twilio's OpenAPI document is missing at {}",
            spec.display()
        );
        let port = free_port();
        let mut child = Command::new(repo_root().join(".tools/node_modules/.bin/prism"))
            .args([
                "mock",
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "--errors",
            ])
            .arg(&spec)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prism runs (scripts/setup installs it)");
        wait_for_port(port, &mut child, "prism", Duration::from_secs(60));
        Self { port, child }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for TwilioContractMock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
