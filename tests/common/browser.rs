//! What the browser tests share: finding Debian's chromium and
//! chromedriver, a chromedriver of the test's own on a free port, and
//! waiting for a condition in the page (WebDriver has no event to wait on,
//! so the page is asked again every 100 ms until a deadline).

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// `name` on PATH (or the Debian location), if installed.
pub fn installed(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .chain([PathBuf::from("/usr/bin")])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A chromedriver of our own on a free port, killed when dropped.
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Driver {
    pub fn start(binary: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver { child, port };
        let until = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a failed wait prints about the page: the address and every live
/// region (status lines, alerts, the clock) and verdict banner, whichever
/// page it is, so one helper serves the quick check and the interview view.
const PAGE_STATE: &str = "return [location.pathname + location.hash, \
    ...[...document.querySelectorAll('[role=status], [role=alert]:not([hidden]), [role=timer], #banner, #summary, #phase-name')]\
    .map(e => (e.id || e.getAttribute('role')) + (e.dataset.status ? ' [' + e.dataset.status + ']' : '') + ': ' + (e.value || e.textContent).trim().slice(0, 200))]\
    .join(' | ');";

/// Evaluates `expr` in the page until it is true, within `within`; past
/// that, panics with what the page shows.
pub async fn wait_until(client: &fantoccini::Client, expr: &str, within: Duration) {
    let until = Instant::now() + within;
    loop {
        let value = client
            .execute(&format!("return Boolean({expr});"), vec![])
            .await
            .expect("run a script in the page");
        if value == Value::Bool(true) {
            return;
        }
        if Instant::now() > until {
            let state = client.execute(PAGE_STATE, vec![]).await.unwrap_or_default();
            panic!("waited {within:?} for {expr}; the page shows {state}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A fresh headless Chromium session through the driver on `port`, with
/// its own profile folder and a window of `size` (CSS pixels).
pub async fn session(
    port: u16,
    chromium: &Path,
    profile: &Path,
    size: (u32, u32),
) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-breakpad",
                format!("--window-size={},{}", size.0, size.1),
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a chromium session")
}
