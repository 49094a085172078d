//! The portal page in headless Chromium, as the Chromium tests share it: open it, enter the app's
//! frame, click, read.

use fantoccini::Locator;
use rulekit_sandbox::Running;
use std::time::Duration;
use xtask::browser::Browser;

pub const WAIT: Duration = Duration::from_secs(20);

/// Opens the portal page (`?lang=ru`, `?rule=…`) without waiting for the app.
pub async fn goto(running: &Running, query: &str) -> Browser {
    let b = Browser::start().await.expect("headless Chromium");
    b.client.goto(&format!("{}{query}", running.portal_url())).await.unwrap();
    b
}

/// Opens the portal page and waits, inside the frame, for the app's form.
pub async fn open(running: &Running, query: &str) -> Browser {
    let b = goto(running, query).await;
    enter_app(&b).await;
    b
}

pub async fn enter_app(b: &Browser) {
    b.wait_for("document.querySelector('iframe')", WAIT).await.unwrap();
    b.client.enter_frame(0).await.unwrap();
    b.wait_for("document.querySelector(\"[data-ready='1']\")", WAIT).await.expect("the app's form in the frame");
}

pub async fn click(b: &Browser, css: &str) {
    b.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

pub async fn text(b: &Browser, css: &str) -> String {
    b.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.unwrap()
}
