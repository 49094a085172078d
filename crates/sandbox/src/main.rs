//! `rulekit-sandbox`: a local Bitrix24 portal for rulekit. See `--help`.

use rulekit_sandbox::{start, Config};
use std::path::PathBuf;

const HELP: &str = "rulekit-sandbox: a local Bitrix24 portal around rulekit's settings app

usage: rulekit-sandbox [options]
  --dist DIR                 the built app (default: dist)
  --port N                   the portal's port on localhost (default: 8480)
  --app-port N               the app's port on 127.0.0.1 (default: 8481)
  --placement-options FILE   show this PLACEMENT_OPTIONS JSON in the dialog instead of the demo rule
  --state FILE               load the portal's state from FILE (if it exists) and save it there
  --handler URL              rulekit's execution handler: every rulekit rule is registered to run there
  --install-url URL          post the app's install event (ONAPPINSTALL) there when starting
  --demo-handler URL         the demo rule's HANDLER (default: the sandbox's own receiver)
  --workflows N              add N running workflows (spread over two years, 5% stuck) at start
  -h, --help                 this text";

fn parse() -> Result<Config, String> {
    let mut config = Config { portal_port: 8480, app_port: 8481, ..Config::default() };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--dist" => config.dist = PathBuf::from(value("--dist")?),
            "--port" => config.portal_port = value("--port")?.parse().map_err(|_| "--port takes a number")?,
            "--app-port" => config.app_port = value("--app-port")?.parse().map_err(|_| "--app-port takes a number")?,
            "--state" => config.state_file = Some(PathBuf::from(value("--state")?)),
            "--handler" => config.handler_url = Some(value("--handler")?),
            "--install-url" => config.install_url = Some(value("--install-url")?),
            "--demo-handler" => config.demo_handler_url = Some(value("--demo-handler")?),
            "--placement-options" => {
                let path = value("--placement-options")?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
                // Malformed options are shown as they are: the app must explain them.
                config.placement_options = Some(serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)));
            }
            "--workflows" => config.workflows = value("--workflows")?.parse().map_err(|_| "--workflows takes a number")?,
            "--sdk-dir" => config.sdk_dir = Some(PathBuf::from(value("--sdk-dir")?)),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = match parse() {
        Ok(c) => c,
        Err(e) if e.is_empty() => {
            println!("{HELP}");
            return std::process::ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("rulekit-sandbox: {e}\n\n{HELP}");
            return std::process::ExitCode::from(2);
        }
    };
    match start(config).await {
        Ok(running) => {
            let portal = running.portal_url();
            println!("rulekit sandbox: open {portal}");
            println!("  a rule's settings dialog         {portal}");
            println!("  the console (the app's own page) {portal}app");
            println!("    rules: Sync; \"Act out an app update\" beside it, then \"Register them again\"");
            println!("    install mode                   {portal}app?install=1");
            println!("    a departed employee            tab \"Departed employee\": Dmitri Petrov, delegate to Nina Novak");
            println!("    stop workflows by date         tab \"Stop workflows by date\" (--workflows N adds N to find)");
            println!("    as a user who is not an admin  {portal}app?user=7");
            println!("  the app is served from {} (settings page), {}console/ (console)", running.sandbox.app_url, running.sandbox.app_url);
            let _ = tokio::signal::ctrl_c().await;
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rulekit-sandbox: cannot start: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
