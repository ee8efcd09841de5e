//! A real SMTP server for the tests: `aiosmtpd` (PyPI) storing every mail
//! it receives in a Maildir. Required under `CI=true`; elsewhere tests that
//! need it are skipped with a message when it is not installed.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

use serde_json::Value;
use tempfile::TempDir;

/// A running aiosmtpd, stopped on drop.
pub struct Smtp {
    child: Child,
    dir: TempDir,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Smtp {
    /// Starts one on a free port; `None` when aiosmtpd is missing outside CI.
    pub fn start() -> Option<Self> {
        let required = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        let probe = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .output();
        if !probe.is_ok_and(|o| o.status.success()) {
            assert!(
                !required,
                "CI=true but aiosmtpd is missing (pip install aiosmtpd)"
            );
            eprintln!("SKIPPED: no local SMTP server (pip install aiosmtpd)");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-d",
                "-l",
                &format!("127.0.0.1:{port}"),
            ])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("maildir"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // It says so once it accepts connections.
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let listening = lines.any(|l| l.is_ok_and(|l| l.contains("Server is listening")));
        assert!(listening, "aiosmtpd did not start");
        std::thread::spawn(move || lines.for_each(drop));
        Some(Self { child, dir, port })
    }

    /// Every mail received so far, decoded by Python's `email` package:
    /// `{"to", "subject", "body"}` objects.
    pub fn messages(&self) -> Vec<Value> {
        let script = r#"
import json, mailbox, sys
from email.policy import default
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
out = []
for key in sorted(box.keys()):
    raw = box.get_bytes(key)
    import email
    msg = email.message_from_bytes(raw, policy=default)
    out.append({"to": str(msg["To"]), "subject": str(msg["Subject"]), "body": msg.get_content()})
print(json.dumps(out))
"#;
        let maildir = self.dir.path().join("maildir");
        if !maildir.exists() {
            return Vec::new();
        }
        let out = Command::new("python3")
            .args(["-c", script])
            .arg(&maildir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
