//! The web edition in a real browser: Debian's chromium, headless, driven over WebDriver by
//! chromedriver (packaged from the same source as the browser, so their versions always
//! match), against `daybook serve` over a copy of the sample notes. A reader reaches a day
//! through the year and month pages, follows a cross-reference and finds the day again with
//! the search; an editor saves a note
//! and the open page reloads with the change and its diagnostics. The browser must report
//! no console error and no failed request on the way. A missing chromium or chromedriver
//! fails the test (`make validators` installs both); it is never skipped.

mod common;

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::serve::{REBUILD_TIMEOUT, Serving};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// A chromedriver on a port of its choosing, stopped when dropped.
struct Chromedriver {
    child: Child,
    address: String,
}

impl Chromedriver {
    fn start() -> Self {
        let mut child = Command::new("chromedriver")
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "cannot run chromedriver ({error}): run `make validators` \
                     (apt-get install chromium chromium-driver)"
                )
            });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // "ChromeDriver was started successfully on port 38539."
        let port = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| {
                line.split_once("started successfully on port ")
                    .map(|(_, port)| port.trim_end_matches('.').to_owned())
            })
            .expect("chromedriver did not say which port it listens on");
        // chromedriver blocks once the pipe is full: keep reading what it prints.
        std::thread::spawn(move || lines.for_each(drop));
        Self {
            child,
            address: format!("http://127.0.0.1:{port}"),
        }
    }

    /// A headless chromium session. As root chromium needs `--no-sandbox`; the other flags
    /// keep it from reaching the network on its own (updates, sync, field trials) and from
    /// writing a profile outside `profile`.
    async fn browser(&self, profile: &Path) -> Client {
        let binary = std::env::var("PUPPETEER_EXECUTABLE_PATH")
            .unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binary,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    "--window-size=900,1200",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.as_object().unwrap().clone())
            .connect(&self.address)
            .await
            .expect("chromedriver could not start chromium")
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver's `se/log` endpoint for the browser's log (console messages, and a line
/// for every request that failed): each call returns what was logged since the last.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// What went wrong in the browser since the last call: console errors (level SEVERE, which
/// also covers failed loads) and any page or resource answered with a status of 400 or more
/// (the Resource Timing API's `responseStatus`).
async fn problems(client: &Client) -> Vec<String> {
    let log = client.issue_cmd(BrowserLog).await.unwrap();
    let mut found: Vec<String> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["level"] == "SEVERE")
        .map(|entry| format!("console: {}", entry["message"]))
        .collect();
    let failed = client
        .execute(
            "return performance.getEntries()
               .filter((e) => e.responseStatus >= 400)
               .map((e) => e.name + ' answered ' + e.responseStatus);",
            Vec::new(),
        )
        .await
        .unwrap();
    found.extend(
        failed
            .as_array()
            .unwrap()
            .iter()
            .map(|failure| format!("request: {}", failure.as_str().unwrap())),
    );
    found
}

/// Clicks the link with exactly `text` and waits for the page it leads to.
async fn follow(client: &Client, text: &str, to: &str) {
    let expected = client.current_url().await.unwrap().join(to).unwrap();
    client
        .find(Locator::LinkText(text))
        .await
        .unwrap_or_else(|error| panic!("no link `{text}` on the page before {expected}: {error}"))
        .click()
        .await
        .unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_url(&expected)
        .await
        .unwrap();
    assert_eq!(
        problems(client).await,
        Vec::<String>::new(),
        "on {expected}"
    );
}

/// Waits until `script` (returning a boolean) holds on the open page.
async fn wait_until(client: &Client, script: &str) {
    let started = Instant::now();
    loop {
        // A reload in progress can fail a script; the next try sees the new page.
        if let Ok(serde_json::Value::Bool(true)) = client.execute(script, Vec::new()).await {
            return;
        }
        assert!(
            started.elapsed() < REBUILD_TIMEOUT,
            "`{script}` did not hold within {REBUILD_TIMEOUT:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_reader_reaches_a_day_through_year_and_month_follows_a_cross_reference_searches_and_sees_a_save()
 {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    common::serve::copy_folder(&common::root().join("input"), &input);
    std::fs::copy(
        common::root().join("daybook.toml"),
        dir.path().join("daybook.toml"),
    )
    .unwrap();
    let mut serving = Serving::start(dir.path(), &["--output", "site"], &[]);
    let driver = Chromedriver::start();
    let client = driver.browser(&dir.path().join("profile")).await;

    client.goto(&format!("{}/", serving.address)).await.unwrap();
    assert_eq!(
        client.title().await.unwrap(),
        "Day notes on the Sino-Soviet treaty"
    );
    assert_eq!(problems(&client).await, Vec::<String>::new());
    follow(&client, "1950", "1950.html").await;
    follow(&client, "January 1950", "1950-01.html").await;
    follow(&client, "January 22, 1950 (Sunday)", "1950/1950-01-22.html").await;
    let article = client
        .find(Locator::Css("article#day-1950-01-22"))
        .await
        .unwrap();
    assert!(article.text().await.unwrap().contains("Two days later"));
    // No diagnostics, no box.
    assert!(
        client
            .find_all(Locator::Id("daybook-diagnostics"))
            .await
            .unwrap()
            .is_empty()
    );

    follow(&client, "[see the 19th]", "1950-01-19.html").await;
    assert_eq!(
        client
            .find(Locator::Css("article"))
            .await
            .unwrap()
            .attr("id")
            .await
            .unwrap()
            .as_deref(),
        Some("day-1950-01-19")
    );

    // The search of the banner finds a word of the 22nd only, and its result leads there
    // with the word marked.
    follow(&client, "Search", "../search.html").await;
    client
        .find(Locator::Id("search-words"))
        .await
        .unwrap()
        .send_keys("Jiaxiang")
        .await
        .unwrap();
    client
        .find(Locator::Css("#search-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("#search-results li a"))
        .await
        .unwrap();
    let results = client
        .find_all(Locator::Css("#search-results li"))
        .await
        .unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(result.text().await.unwrap(), "January 22, 1950 (Sunday)");
    assert_eq!(problems(&client).await, Vec::<String>::new());
    result.click().await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("article#day-1950-01-22 mark"))
        .await
        .unwrap();
    let url = client.current_url().await.unwrap();
    assert_eq!(
        (url.path(), url.query()),
        ("/1950/1950-01-22.html", Some("q=jiaxiang"))
    );
    let marked = client.find_all(Locator::Css("article mark")).await.unwrap();
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0].text().await.unwrap(), "Jiaxiang");
    assert_eq!(problems(&client).await, Vec::<String>::new());

    // The editor saves a new word and a weekday wrong for the date (DB0004, a warning); the
    // page, marked so that a reload shows, must come back with both.
    client
        .execute("window.daybookMarker = true; return true;", Vec::new())
        .await
        .unwrap();
    let note = input.join("1950-01-22.txt");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(
        &note,
        text.replacen("(Sunday)", "(Monday)", 1).replacen(
            "Two days later",
            "Two days afterwards",
            1,
        ),
    )
    .unwrap();
    wait_until(
        &client,
        "return window.daybookMarker === undefined
           && document.querySelector('article').textContent.includes('Two days afterwards')
           && document.getElementById('daybook-diagnostics') !== null;",
    )
    .await;
    let diagnostics = client
        .find(Locator::Id("daybook-diagnostics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        diagnostics
            .starts_with("0 errors, 1 warning\ninput/1950-01-22.txt:1:19: warning[DB0004]: "),
        "{diagnostics}"
    );
    assert_eq!(problems(&client).await, Vec::<String>::new());

    client.close().await.unwrap();
    serving.stop();
}
