//! The preview's HTTP answers: the site's files from the output folder's `html/`, each page
//! with the live script added, and the script and the build status below `/_daybook/`.
//!
//! Files are read through [`OutputDir`], so a request reaches only plain paths inside the
//! site (no `..`, no symbolic link) and only GET and HEAD are answered. Every answer says
//! `no-store`: a preview that a browser cached would show an older build.

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::{Reader, Writer};
use tiny_http::{Header, Method, Request, Response};

use super::Status;
use crate::pipeline::output_dir::OutputDir;

/// The script every served page loads: it shows the build's diagnostics over the page and
/// reloads it when a newer build is out.
const LIVE_SCRIPT: &str = include_str!("live.js");

/// Where the preview's own resources live; the site has no folder of that name (a day's
/// folder is a year, the rest are files at the root).
const OWN: &str = "/_daybook/";

/// The site being served and what the last build said.
pub(super) struct Site<'a> {
    pub(super) output: &'a Path,
    pub(super) status: &'a Mutex<Status>,
}

impl Site<'_> {
    /// Answers one request; a client that went away is no concern of the server's.
    pub(super) fn respond(&self, request: Request) {
        let (code, kind, body) = if matches!(request.method(), Method::Get | Method::Head) {
            self.answer(request.url())
        } else {
            (
                405,
                "text/plain; charset=utf-8",
                b"only GET and HEAD\n".to_vec(),
            )
        };
        let headers = [("Content-Type", kind), ("Cache-Control", "no-store")]
            .into_iter()
            .filter_map(|(name, value)| Header::from_bytes(name, value).ok());
        let mut response = Response::from_data(body).with_status_code(code);
        for header in headers {
            response.add_header(header);
        }
        let _ = request.respond(response);
    }

    /// The status code, media type and body for `url`.
    fn answer(&self, url: &str) -> (u16, &'static str, Vec<u8>) {
        let path = url.split(['?', '#']).next().unwrap_or_default();
        let status = self
            .status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match path.strip_prefix(OWN) {
            Some("live.js") => (
                200,
                "text/javascript; charset=utf-8",
                LIVE_SCRIPT.as_bytes().to_vec(),
            ),
            Some("status") => (
                200,
                "application/json",
                serde_json::to_vec(&status).unwrap_or_default(),
            ),
            Some(_) => not_found(),
            None => self.file(path, status.generation),
        }
    }

    /// A file of the site: `index.html` for a folder, the live script added to a page.
    fn file(&self, path: &str, generation: u64) -> (u16, &'static str, Vec<u8>) {
        let mut relative = format!("html{path}");
        if relative.ends_with('/') {
            relative.push_str("index.html");
        }
        let Some(bytes) = OutputDir::open(self.output)
            .ok()
            .and_then(|out| out.read(&relative))
        else {
            // Browsers ask for an icon the pages never name; the site has none, and a 404
            // for it would be the one error in the console of every preview.
            if path == "/favicon.ico" {
                return (204, "image/x-icon", Vec::new());
            }
            return not_found();
        };
        let kind = media_type(&relative);
        if kind.starts_with("text/html") {
            // A page the writer could not have written (it always writes well-formed markup)
            // is served as it is: readable, if without the live script.
            let live = with_live_script(&bytes, generation).unwrap_or(bytes);
            (200, kind, live)
        } else {
            (200, kind, bytes)
        }
    }
}

fn not_found() -> (u16, &'static str, Vec<u8>) {
    (404, "text/plain; charset=utf-8", b"not found\n".to_vec())
}

/// The media type of a site file, by its extension.
fn media_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, extension)| extension) {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// `page` with `<script src="/_daybook/live.js" data-generation="N">` as the last element of
/// its `<body>`, copied event by event (the pages are well-formed, as the shared XHTML
/// writer writes them). The generation tells the script which build the page shows, so a
/// build finished between the page's answer and the script's first poll still reloads it.
fn with_live_script(page: &[u8], generation: u64) -> Option<Vec<u8>> {
    let mut reader = Reader::from_reader(page);
    let mut writer = Writer::new(Vec::with_capacity(page.len() + 80));
    let mut added = false;
    loop {
        match reader.read_event().ok()? {
            Event::Eof => break,
            Event::End(end) if end.name().as_ref() == "body" && !added => {
                let generation = generation.to_string();
                let script = BytesStart::new("script").with_attributes([
                    ("src", "/_daybook/live.js"),
                    ("data-generation", generation.as_str()),
                ]);
                // An HTML parser reads `<script/>` as an open element: it needs its end tag.
                writer.write_event(Event::Start(script)).ok()?;
                writer
                    .write_event(Event::End(BytesEnd::new("script")))
                    .ok()?;
                writer.write_event(Event::End(end)).ok()?;
                added = true;
            }
            event => writer.write_event(event).ok()?,
        }
    }
    added.then(|| writer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_live_script_is_the_last_element_of_the_body() {
        let page = b"<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"/><title>A &amp; B</title></head>\n<body>\n<main><p>Text &lt;here&gt;.</p></main>\n</body>\n</html>\n";
        let live = String::from_utf8(with_live_script(page, 7).unwrap()).unwrap();
        assert_eq!(
            live,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"/><title>A &amp; B</title></head>\n<body>\n<main><p>Text &lt;here&gt;.</p></main>\n<script src=\"/_daybook/live.js\" data-generation=\"7\"></script></body>\n</html>\n"
        );
    }

    #[test]
    fn a_page_without_a_body_gets_no_script() {
        assert_eq!(with_live_script(b"<p>part</p>", 1), None);
    }

    #[test]
    fn paths_outside_the_site_are_not_found() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("html")).unwrap();
        std::fs::write(dir.path().join("manifest.json"), b"{}").unwrap();
        std::fs::write(dir.path().join("html/style.css"), b"p {}").unwrap();
        let status = Mutex::new(Status::default());
        let site = Site {
            output: dir.path(),
            status: &status,
        };
        assert_eq!(
            site.answer("/style.css?v=1"),
            (200, "text/css; charset=utf-8", b"p {}".to_vec())
        );
        for url in ["/../manifest.json", "/./style.css", "//style.css", "/"] {
            assert_eq!(site.answer(url).0, 404, "{url}");
        }
    }
}
