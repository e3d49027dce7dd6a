//! A running `daybook serve` for the tests: started on a free port over a copy of the
//! notes, asked for pages and for its build status over plain HTTP, stopped when dropped.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

/// How long a rebuild after a save may take before a test gives up: generous, since the
/// machines that run the tests are shared.
pub const REBUILD_TIMEOUT: Duration = Duration::from_secs(60);

/// A `daybook serve` child process.
pub struct Serving {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a final `/`.
    pub address: String,
    /// The folder the site is built in, as the server printed it.
    pub output: PathBuf,
    stderr: Option<JoinHandle<String>>,
}

impl Serving {
    /// Starts `daybook serve --port 0` with `args`, in `dir`, and waits until it listens.
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_daybook"));
        command
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .current_dir(dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().unwrap();
        let stderr = child.stderr.take().map(collect);
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let mut serving = Self {
            child,
            address: String::new(),
            output: PathBuf::new(),
            stderr,
        };
        // "daybook: serving http://127.0.0.1:PORT/ (built in FOLDER); Ctrl-C stops"
        let Some(rest) = line.strip_prefix("daybook: serving ") else {
            panic!("serve did not start: {line:?}\n{}", serving.stop());
        };
        let (address, rest) = rest.split_once("/ (built in ").unwrap();
        let (output, _) = rest.split_once("); ").unwrap();
        serving.address = address.to_owned();
        serving.output = PathBuf::from(output);
        serving
    }

    /// The status code and body of `GET path`.
    pub fn get(&self, path: &str) -> (u16, String) {
        let host = self.address.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let code = head.split(' ').nth(1).unwrap().parse().unwrap();
        (code, body.to_owned())
    }

    /// The server's build status (`/_daybook/status`).
    pub fn status(&self) -> serde_json::Value {
        let (code, body) = self.get("/_daybook/status");
        assert_eq!(code, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Waits until the build generation is above `generation`, and returns the status.
    pub fn wait_for_generation_above(&self, generation: u64) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let status = self.status();
            if status["generation"].as_u64().unwrap() > generation {
                return status;
            }
            assert!(
                started.elapsed() < REBUILD_TIMEOUT,
                "no rebuild within {REBUILD_TIMEOUT:?}: {status}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server and returns what it printed on standard error.
    pub fn stop(&mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stderr
            .take()
            .map(|reader| reader.join().unwrap())
            .unwrap_or_default()
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stderr: ChildStderr) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = BufReader::new(stderr).read_to_string(&mut text);
        text
    })
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file and folder below `dir`, with its bytes (none for a folder) and modification
/// time: what a test compares to show that nothing there was written or removed.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Option<Vec<u8>>, SystemTime)> {
    let mut found = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let bytes = if meta.is_dir() {
                folders.push(path.clone());
                None
            } else {
                Some(std::fs::read(&path).unwrap())
            };
            found.insert(
                path.strip_prefix(dir).unwrap().to_path_buf(),
                (bytes, meta.modified().unwrap()),
            );
        }
    }
    found
}
