//! Answers from something other than the service asked: the HTML page of a proxy, a
//! pre-authentication gateway or a captive portal (a block page, a sign-in form) where Entra
//! ID's JSON, Exchange's SOAP or Exchange's bare 401 was expected. Such a page is reported as
//! what it is, never as the service's refusal.

/// An HTML document that answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The `<title>`, if it has one (at most 120 characters, whitespace folded).
    pub title: Option<String>,
    /// It holds a password field: a sign-in form.
    pub sign_in: bool,
}

/// The page, when the answer is an HTML document (by its Content-Type or its first tag).
pub fn html_page(content_type: &str, body: &str) -> Option<Page> {
    let start: String = body
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    let html = content_type.to_ascii_lowercase().contains("text/html")
        || start.starts_with("<!doctype html")
        || start.starts_with("<html");
    if !html {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    let title = lower.find("<title").and_then(|i| {
        let open = i + lower[i..].find('>')? + 1;
        let close = open + lower[open..].find("</title")?;
        // `lower` and `body` have the same byte offsets: only ASCII letters changed.
        let t = body.get(open..close)?;
        let folded = t.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(folded.chars().take(120).collect::<String>()).filter(|t| !t.is_empty())
    });
    let sign_in = lower.contains("type=\"password\"")
        || lower.contains("type='password'")
        || lower.contains("type=password");
    Some(Page { title, sign_in })
}

/// `an HTML sign-in page "Contoso Secure Access" (HTTP 200, Server: BIG-IP, Via: 1.1 proxy)`.
pub fn describe(page: &Page, status: u16, server: &str, via: &str) -> String {
    let mut s = format!(
        "an HTML {}",
        if page.sign_in { "sign-in page" } else { "page" }
    );
    if let Some(t) = &page.title {
        s.push_str(&format!(" \"{t}\""));
    }
    s.push_str(&format!(" (HTTP {status}"));
    for (name, v) in [("Server", server), ("Via", via)] {
        if !v.is_empty() {
            s.push_str(&format!(
                ", {name}: {}",
                v.chars().take(120).collect::<String>()
            ));
        }
    }
    s.push(')');
    s
}

/// What answered instead of the service, for an answer that is not the JSON or SOAP the
/// service sends: an HTML page, or a proxy's own 407 without one. None when nothing shows it.
pub fn stand_in(
    status: u16,
    content_type: &str,
    body: &str,
    server: &str,
    via: &str,
) -> Option<String> {
    if let Some(page) = html_page(content_type, body) {
        return Some(describe(&page, status, server, via));
    }
    (status == 407).then(|| {
        let mut s = "a proxy's HTTP 407 (Proxy Authentication Required)".to_string();
        for (name, v) in [("Server", server), ("Via", via)] {
            if !v.is_empty() {
                s.push_str(&format!(
                    ", {name}: {}",
                    v.chars().take(120).collect::<String>()
                ));
            }
        }
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Content-Type, body, and the page expected: its title and whether it is a sign-in form.
    type Case<'a> = (&'a str, &'a str, Option<(Option<&'a str>, bool)>);

    #[test]
    fn html_is_told_from_json_soap_and_empty_answers() {
        let cases: [Case; 9] = [
            ("text/html; charset=utf-8", "<html><head><title>Sign in</title></head><form><input type=\"password\" name=p></form></html>", Some((Some("Sign in"), true))),
            ("", "\u{feff}  <!DOCTYPE html><html><title>\n Access\n  denied </title>", Some((Some("Access denied"), false))),
            ("text/plain", "<HTML><TITLE>Blocked</TITLE></HTML>", Some((Some("Blocked"), false))),
            ("text/html", "", Some((None, false))),
            ("text/html", "<title></title><input type=password>", Some((None, true))),
            ("text/html", "<title>never closed", Some((None, false))),
            ("application/json", "{\"error\":\"invalid_client\"}", None),
            ("text/xml; charset=utf-8", "<?xml version=\"1.0\"?><s:Envelope/>", None),
            ("", "", None),
        ];
        for (ct, body, want) in cases {
            let got = html_page(ct, body).map(|p| (p.title, p.sign_in));
            let want = want.map(|(t, s)| (t.map(str::to_string), s));
            assert_eq!(got, want, "{ct:?} {body:?}");
        }
    }

    #[test]
    fn a_proxy_is_seen_by_its_page_or_its_407() {
        let cases = [
            (
                200,
                "text/html",
                "<title>Blocked</title>",
                "",
                Some("an HTML page \"Blocked\" (HTTP 200)"),
            ),
            (
                407,
                "",
                "",
                "squid",
                Some("a proxy's HTTP 407 (Proxy Authentication Required), Server: squid"),
            ),
            (
                407,
                "text/html",
                "<title>Log in</title><input type=password>",
                "",
                Some("an HTML sign-in page \"Log in\" (HTTP 407)"),
            ),
            (400, "application/json", "{}", "", None),
            (502, "text/plain", "Bad Gateway", "nginx", None),
        ];
        for (status, ct, body, server, want) in cases {
            assert_eq!(
                stand_in(status, ct, body, server, "").as_deref(),
                want,
                "{status} {ct} {body}"
            );
        }
    }

    #[test]
    fn non_ascii_titles_and_long_headers_neither_panic_nor_overflow() {
        let p =
            html_page("text/html", "<title>Anmeldung f\u{fc}r Kund\u{e9}n</title>").expect("html");
        assert_eq!(p.title.as_deref(), Some("Anmeldung f\u{fc}r Kund\u{e9}n"));
        let d = describe(&p, 200, &"x".repeat(500), "1.1 proxy");
        assert!(d.contains("Via: 1.1 proxy") && d.len() < 300, "{d}");
        assert_eq!(
            describe(
                &Page {
                    title: None,
                    sign_in: true
                },
                407,
                "",
                ""
            ),
            "an HTML sign-in page (HTTP 407)"
        );
    }
}
