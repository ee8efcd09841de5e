//! The real `consilium` binary: commands run to completion, and servers
//! started on port 0 and stopped with SIGTERM.

use std::{
    path::Path,
    process::{Output, Stdio},
    time::Duration,
};

use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines},
    net::TcpStream,
    process::{Child, ChildStdout, Command},
};

/// The binary under test.
pub fn consilium() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_consilium"));
    // The test environment must not leak into the binary's configuration.
    for (key, _) in std::env::vars() {
        if key.starts_with("CONSILIUM_") {
            command.env_remove(key);
        }
    }
    command.env("CONSILIUM_LOG", "warn");
    command.kill_on_drop(true);
    command
}

/// Runs `consilium <storage> <args>` to completion.
pub async fn run(storage: &[&str], args: &[&str]) -> Output {
    consilium().args(storage).args(args).output().await.unwrap()
}

/// Storage flags for SQLite in `dir`.
pub fn sqlite_flags(dir: &Path) -> Vec<String> {
    vec!["--data-dir".into(), dir.display().to_string()]
}

/// Storage flags for the PostgreSQL database at `url`, blobs in `dir`.
pub fn postgres_flags(url: &str, dir: &Path) -> Vec<String> {
    vec![
        "--database-url".into(),
        url.to_owned(),
        "--data-dir".into(),
        dir.display().to_string(),
    ]
}

/// A bearer token for `email`, from the operators' command.
pub async fn token(flags: &[String], email: &str) -> String {
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let out = run(&flags, &["token", "create", "--user", email]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A running `consilium serve`.
pub struct Server {
    child: Child,
    stdout: Lines<BufReader<ChildStdout>>,
    /// `127.0.0.1:port`.
    pub addr: String,
    /// What it printed before it started listening, and the banner.
    pub banner: Vec<String>,
}

/// Upper bound on start-up, so a broken binary fails the test instead of hanging it.
const START_LIMIT: Duration = Duration::from_secs(60);

impl Server {
    /// Starts `consilium <storage> serve --listen 127.0.0.1:0 <extra>` and
    /// waits for the line that says where it listens (and, with `--demo`,
    /// for the end of the demo banner).
    pub async fn start(storage: &[String], extra: &[&str]) -> Self {
        Self::start_with_env(storage, extra, &[]).await
    }

    /// The same, with `CONSILIUM_*` variables set.
    pub async fn start_with_env(storage: &[String], extra: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = consilium()
            .args(storage)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let demo = extra.contains(&"--demo");
        let mut banner = Vec::new();
        let mut addr = None;
        let read = async {
            while let Some(line) = stdout.next_line().await.unwrap() {
                if let Some(rest) = line
                    .split("http://")
                    .nth(1)
                    .filter(|_| line.contains("listens on"))
                {
                    addr = rest.split_whitespace().next().map(str::to_owned);
                }
                let last = line.contains("every account");
                banner.push(line);
                if addr.is_some() && (!demo || last) {
                    return;
                }
            }
            panic!("consilium serve exited before listening: {banner:?}");
        };
        tokio::time::timeout(START_LIMIT, read)
            .await
            .expect("consilium serve did not start");
        Self {
            child,
            stdout,
            addr: addr.unwrap(),
            banner,
        }
    }

    /// Sends SIGTERM and returns whether it exited cleanly, with the rest of its output.
    pub async fn stop(mut self) -> (bool, String) {
        let pid = self.child.id().unwrap().to_string();
        let killed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .unwrap();
        assert!(killed.success());
        let status = tokio::time::timeout(START_LIMIT, self.child.wait())
            .await
            .unwrap()
            .unwrap();
        let mut rest = String::new();
        while let Ok(Some(line)) = self.stdout.next_line().await {
            rest.push_str(&line);
            rest.push('\n');
        }
        (status.success(), rest)
    }

    /// Kills the process without warning (`kill -9`).
    pub async fn kill9(mut self) {
        self.child.kill().await.unwrap();
    }

    /// The process's resident memory, in KB (Linux).
    pub fn rss_kb(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.child.id().unwrap())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// Resets the process's peak resident memory to its current one
    /// (Linux `clear_refs`) and returns it, in KB.
    pub fn reset_peak_rss_kb(&self) -> u64 {
        let pid = self.child.id().unwrap();
        std::fs::write(format!("/proc/{pid}/clear_refs"), "5").unwrap();
        self.rss_kb()
    }

    /// The process's peak resident memory since start or the last reset, in KB.
    pub fn peak_rss_kb(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.child.id().unwrap())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// `GET path` over a real socket: status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        http_get(&self.addr, path).await
    }
}

/// A minimal HTTP/1.1 GET, enough to probe our own server without a client library.
pub async fn http_get(addr: &str, path: &str) -> (u16, String) {
    http_get_with(addr, path, &[]).await
}

/// The same, with extra headers.
pub async fn http_get_with(addr: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// A raw HTTP/1.1 exchange: status, response headers (lower-cased names) and body.
pub async fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let response_headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    (status, response_headers, raw[split + 4..].to_vec())
}
