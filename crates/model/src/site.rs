//! Facts about the built static site (`dist/`) that the handler, the sandbox and the task runner
//! all serve.

/// The tag in `index.html` that loads BX24.js from its official address. Local servers swap this
/// one tag for their own client; nothing else in `dist/` changes.
pub const BX24_SCRIPT: &str = r#"<script src="//api.bitrix24.com/api/v1/"></script>"#;

/// The content type of a file of the site, by its extension. Browsers refuse to stream-compile wasm
/// served as anything but `application/wasm`.
pub fn content_type(file_name: &str) -> &'static str {
    match file_name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// The precompressed copies `cargo xtask build` writes beside each wasm, js and css file (as
/// `name.br` and `name.gz`): the encoding's name in HTTP, and the copy's extension. Brotli first:
/// it is the smaller.
pub const PRECOMPRESSED: [(&str, &str); 2] = [("br", "br"), ("gzip", "gz")];

/// Whether a file gets precompressed copies: the text and code a page loads, not images.
pub fn compressible(file_name: &str) -> bool {
    matches!(file_name.rsplit_once('.').map(|(_, ext)| ext), Some("wasm" | "js" | "mjs" | "css" | "html"))
}

/// The precompressed copies a request with this `Accept-Encoding` may have, best first (as in
/// `PRECOMPRESSED`): those it names without `q=0`, or all of them for `*`.
pub fn accepted_encodings(accept: &str) -> Vec<(&'static str, &'static str)> {
    let accepts = |name: &str| {
        accept.split(',').any(|part| {
            let mut bits = part.split(';');
            let coding = bits.next().unwrap_or_default().trim();
            let refused = bits.any(|b| b.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0));
            !refused && (coding.eq_ignore_ascii_case(name) || coding == "*")
        })
    };
    PRECOMPRESSED.into_iter().filter(|(name, _)| accepts(name)).collect()
}

/// The files to try, in order, to answer a request for `file_name` with this `Accept-Encoding`:
/// its precompressed copies the request accepts (with the `Content-Encoding` each is sent with),
/// then the file itself.
pub fn candidates(file_name: &str, accept: &str) -> Vec<(String, Option<&'static str>)> {
    let copies = if compressible(file_name) { accepted_encodings(accept) } else { Vec::new() };
    let mut out: Vec<_> = copies.into_iter().map(|(coding, ext)| ([file_name, ".", ext].concat(), Some(coding))).collect();
    out.push((file_name.to_string(), None));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_precompressed_copy_follows_accept_encoding() {
        assert_eq!(accepted_encodings("gzip, deflate, br, zstd"), [("br", "br"), ("gzip", "gz")]);
        assert_eq!(accepted_encodings("gzip"), [("gzip", "gz")]);
        assert_eq!(accepted_encodings("br;q=0, gzip;q=0.5"), [("gzip", "gz")]);
        assert_eq!(accepted_encodings("BR"), [("br", "br")]);
        assert_eq!(accepted_encodings("*"), [("br", "br"), ("gzip", "gz")]);
        assert!(accepted_encodings("").is_empty());
        assert!(accepted_encodings("identity, deflate").is_empty());
        // A coding whose name merely contains another's is not it.
        assert!(accepted_encodings("xbr, gzipx").is_empty());
    }

    #[test]
    fn a_copy_is_tried_before_the_file_itself() {
        let c = candidates("rulekit_bg.wasm", "gzip, br");
        assert_eq!(c, [("rulekit_bg.wasm.br".to_string(), Some("br")), ("rulekit_bg.wasm.gz".into(), Some("gzip")), ("rulekit_bg.wasm".into(), None)]);
        assert_eq!(candidates("logo.png", "br"), [("logo.png".to_string(), None)]);
        assert_eq!(candidates("main.css", ""), [("main.css".to_string(), None)]);
    }

    #[test]
    fn pages_and_code_are_precompressed_and_pictures_not() {
        for f in ["rulekit-0a1b_bg.wasm", "rulekit-0a1b.js", "main-0a1b.css", "index.html"] {
            assert!(compressible(f), "{f}");
        }
        for f in ["logo.png", "config.json", "rulekit.wasm.br", "noextension"] {
            assert!(!compressible(f), "{f}");
        }
    }

    #[test]
    fn the_app_s_files_get_their_types() {
        assert_eq!(content_type("rulekit-0a1b_bg.wasm"), "application/wasm");
        assert_eq!(content_type("rulekit-0a1b.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("main-0a1b.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
