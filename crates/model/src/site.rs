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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_s_files_get_their_types() {
        assert_eq!(content_type("rulekit-0a1b_bg.wasm"), "application/wasm");
        assert_eq!(content_type("rulekit-0a1b.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("main-0a1b.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
