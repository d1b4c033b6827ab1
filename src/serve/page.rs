//! The pages: the quick check and the interview view, each one HTML
//! document with its stylesheets and scripts inlined, embedded in the
//! binary (no build step, no CDN, works offline). The CSS and JS are kept
//! as files of their own for editing and inlined once; the code editor
//! (`editor.js`, `editor.css`) and the verdict's view (`verdict.js`,
//! `verdict.css`) are shared by both pages, inlined into each.
//! The Content-Security-Policy allows exactly the inlined parts, by hash
//! (no `'unsafe-inline'`), so nothing a verdict contains could ever run as
//! script.

use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

const HTML: &str = include_str!("page/index.html");
const CSS: &str = include_str!("page/page.css");
const JS: &str = include_str!("page/page.js");

/// The code editor both pages use: its own script and stylesheet.
const EDITOR_CSS: &str = include_str!("page/editor.css");
const EDITOR_JS: &str = include_str!("page/editor.js");

/// The verdict's view both pages draw (the quick check's verdict column,
/// the interview view's coding cards): its own script and stylesheet.
const VERDICT_CSS: &str = include_str!("page/verdict.css");
const VERDICT_JS: &str = include_str!("page/verdict.js");

/// The interview view: a second page built the same way, with the same
/// policy rules.
const INTERVIEW_HTML: &str = include_str!("page/interview.html");
const INTERVIEW_CSS: &str = include_str!("page/interview.css");
const INTERVIEW_JS: &str = include_str!("page/interview.js");

/// The assembled document and its policy.
struct Page {
    html: String,
    policy: String,
}

impl Page {
    /// The page `html` with the shared parts (the editor's, the verdict
    /// view's) and its own `css` and `js` put in their placeholders (the
    /// shared ones first: the page's script uses them, and its stylesheet
    /// may refine theirs).
    fn build(html: &str, css: &str, js: &str) -> Page {
        let hash = |text: &str| {
            use base64_sha::encode;
            format!("'sha256-{}'", encode(&Sha256::digest(text.as_bytes())))
        };
        let parts = [
            ("/*EDITOR_STYLE*/", EDITOR_CSS),
            ("/*VERDICT_STYLE*/", VERDICT_CSS),
            ("/*STYLE*/", css),
            ("/*EDITOR*/", EDITOR_JS),
            ("/*VERDICT*/", VERDICT_JS),
            ("/*SCRIPT*/", js),
        ];
        // Each placeholder is found in the page's own HTML, never in a part
        // already put in, so a part's text cannot be taken for one.
        let mut page = html.to_owned();
        for (marker, text) in parts {
            let at = page
                .find(marker)
                .unwrap_or_else(|| panic!("the page has no {marker}"));
            page.replace_range(at..at + marker.len(), text);
        }
        let hashes = |texts: [&str; 3]| texts.map(hash).join(" ");
        Page {
            html: page,
            policy: format!(
                "default-src 'none'; connect-src 'self'; img-src 'self' data:; style-src {}; script-src {}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                hashes([EDITOR_CSS, VERDICT_CSS, css]),
                hashes([EDITOR_JS, VERDICT_JS, js]),
            ),
        }
    }
}

static PAGE: LazyLock<Page> = LazyLock::new(|| Page::build(HTML, CSS, JS));

static INTERVIEW: LazyLock<Page> =
    LazyLock::new(|| Page::build(INTERVIEW_HTML, INTERVIEW_CSS, INTERVIEW_JS));

/// `GET /`.
pub async fn index() -> Response {
    serve(&PAGE)
}

/// `GET /interview`.
pub async fn interview() -> Response {
    serve(&INTERVIEW)
}

fn serve(page: &Page) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(&page.policy).expect("an ASCII policy"),
            ),
        ],
        page.html.clone(),
    )
        .into_response()
}

/// Base64 (standard alphabet, padded) for the CSP hashes: twenty lines
/// instead of a dependency.
mod base64_sha {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn encodes_like_rfc_4648() {
            assert_eq!(super::encode(b""), "");
            assert_eq!(super::encode(b"f"), "Zg==");
            assert_eq!(super::encode(b"fo"), "Zm8=");
            assert_eq!(super::encode(b"foo"), "Zm9v");
            assert_eq!(super::encode(b"foobar"), "Zm9vYmFy");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_whole_and_its_policy_names_every_inlined_part() {
        assert!(PAGE.html.contains("<style>") && !PAGE.html.contains("/*STYLE*/"));
        assert!(!PAGE.html.contains("/*SCRIPT*/"));
        assert!(PAGE.html.contains(CSS) && PAGE.html.contains(JS));
        assert!(
            !PAGE.html.contains("http://") && !PAGE.html.contains("https://"),
            "no CDN"
        );
        assert!(PAGE.html.contains(EDITOR_CSS) && PAGE.html.contains(EDITOR_JS));
        assert!(PAGE.html.contains(VERDICT_CSS) && PAGE.html.contains(VERDICT_JS));
        assert_eq!(PAGE.policy.matches("'sha256-").count(), 6);
        assert!(!PAGE.policy.contains("unsafe-inline"));
        // Candidate text must never be parsed as HTML.
        for js in [JS, EDITOR_JS, VERDICT_JS] {
            assert!(!js.contains("innerHTML") && !js.contains("insertAdjacentHTML"));
        }
    }

    #[test]
    fn the_interview_page_follows_the_same_rules() {
        let page = &*INTERVIEW;
        assert!(!page.html.contains("/*STYLE*/") && !page.html.contains("/*SCRIPT*/"));
        assert!(page.html.contains(INTERVIEW_CSS) && page.html.contains(INTERVIEW_JS));
        assert!(page.html.contains(EDITOR_CSS) && page.html.contains(EDITOR_JS));
        assert!(page.html.contains(VERDICT_CSS) && page.html.contains(VERDICT_JS));
        assert!(!page.html.contains("http://") && !page.html.contains("https://"));
        assert_eq!(page.policy.matches("'sha256-").count(), 6);
        assert!(!page.policy.contains("unsafe-inline"));
        assert!(
            !INTERVIEW_JS.contains("innerHTML") && !INTERVIEW_JS.contains("insertAdjacentHTML")
        );
    }
}
