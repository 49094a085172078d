//! Section 1: the app's rules against the portal's. Every rule of the manifest (as an automation
//! rule and as a workflow action) with its state, Sync, the install handshake, and the recovery
//! after an app update (the portal deletes an app's rules then). What the console registered is
//! remembered in an app option, because the portal's lists return only codes.

mod sync;
mod words;

use crate::config;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::planner::registration::{wiped, Kind, RuleState, RuleStatus};
use rulekit_model::planner::urls::AppUrls;
use rulekit_model::Lang;
use sync::{load, sync, Loaded};
use words::{rules_words, RulesWords};

fn state_text(w: &'static RulesWords, s: &RuleState) -> String {
    match s {
        RuleState::Current => w.current.into(),
        RuleState::Missing => w.missing.into(),
        RuleState::Different(aspects) => {
            let names: Vec<&str> = aspects.iter().map(|a| w.aspect(*a)).collect();
            format!("{}: {}", w.different, names.join(", "))
        }
        RuleState::Unrecorded => w.unrecorded.into(),
        RuleState::Orphan => w.orphan.into(),
    }
}

fn state_key(s: &RuleState) -> &'static str {
    match s {
        RuleState::Current => "current",
        RuleState::Missing => "missing",
        RuleState::Different(_) => "different",
        RuleState::Unrecorded => "unrecorded",
        RuleState::Orphan => "orphan",
    }
}

fn row(lang: Lang, w: &'static RulesWords, s: RuleStatus) -> impl IntoView {
    let name = s.name.as_ref().map(|n| n.get(lang.code()).to_string()).unwrap_or_else(|| s.code.clone());
    let kind = match s.kind {
        Kind::Robot => w.robot,
        Kind::Activity => w.activity,
    };
    view! {
        <tr data-code=s.code.clone() data-state=state_key(&s.state)>
            <td>{name}</td><td><code>{s.code.clone()}</code></td><td>{kind}</td><td>{state_text(w, &s.state)}</td>
        </tr>
    }
}

#[component]
pub fn Rules(lang: Lang, install: bool) -> impl IntoView {
    let w = rules_words(lang);
    let from_file: RwSignal<Option<Result<AppUrls, String>>> = RwSignal::new(None);
    let urls = RwSignal::new(AppUrls { handler: String::new(), settings_page: String::new() });
    let loaded: RwSignal<Option<Result<Loaded, String>>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let delete_orphans = RwSignal::new(false);
    let message: RwSignal<Option<(bool, String)>> = RwSignal::new(None);
    let install_pending = RwSignal::new(install);

    let problems = move || urls.with(|u| u.problems(bx24::portal_https()));
    let refresh = move || {
        spawn_local(async move {
            busy.set(true);
            loaded.set(Some(load(&urls.get_untracked()).await));
            busy.set(false);
        })
    };
    // Sync: what is missing is added, what differs updated, orphans deleted when asked; then the
    // lists are read again. On install, the install is finished only when all went well.
    let run_sync = move |orphans: bool| {
        if busy.get_untracked() {
            return;
        }
        let found = problems();
        if !found.is_empty() {
            let text: Vec<String> = found.iter().map(|p| w.url_problem(p)).collect();
            let head = if install_pending.get_untracked() { w.install_failed } else { "" };
            message.set(Some((false, format!("{head} {} {}", w.fix_urls_first, text.join("; ")).trim_start().to_string())));
            return;
        }
        spawn_local(async move {
            busy.set(true);
            message.set(None);
            let outcome = sync(&urls.get_untracked(), orphans).await;
            loaded.set(Some(load(&urls.get_untracked()).await));
            busy.set(false);
            match outcome {
                Ok(()) => {
                    message.set(Some((true, w.synced.into())));
                    if install_pending.get_untracked() {
                        install_pending.set(false);
                        let _ = bx24::install_finish();
                    }
                }
                Err(failures) => {
                    let head = if install_pending.get_untracked() { w.install_failed } else { w.sync_failed };
                    message.set(Some((false, format!("{head} {}", failures.join("; ")))));
                }
            }
        })
    };
    spawn_local(async move {
        let file = config::deployed().await;
        let mut effective = file.clone().unwrap_or(AppUrls { handler: String::new(), settings_page: String::new() });
        if let Some(o) = config::overridden() {
            effective = effective.overridden_by(&o);
        }
        from_file.set(Some(file));
        urls.set(effective);
        if install {
            run_sync(false);
        } else {
            refresh();
        }
    });
    let handler_input = RwSignal::new(String::new());
    let settings_input = RwSignal::new(String::new());
    Effect::new(move |_| {
        urls.with(|u| {
            handler_input.set(u.handler.clone());
            settings_input.set(u.settings_page.clone());
        })
    });
    let save_urls = move |_| {
        let next = AppUrls { handler: handler_input.get_untracked().trim().into(), settings_page: settings_input.get_untracked().trim().into() };
        spawn_local(async move {
            match config::save_override(&next).await {
                Ok(()) => message.set(Some((true, w.urls_saved.into()))),
                Err(e) => message.set(Some((false, e.to_string()))),
            }
            urls.set(next);
            refresh();
        });
    };
    let statuses = move || loaded.with(|l| l.as_ref().and_then(|l| l.as_ref().ok()).map(|l| l.statuses.clone()).unwrap_or_default());
    let is_wiped = move || loaded.with(|l| l.as_ref().and_then(|l| l.as_ref().ok()).is_some_and(|l| wiped(&l.statuses, &l.records)));
    let has_orphans = move || statuses().iter().any(|s| s.state == RuleState::Orphan);
    let all_current = move || loaded.with(|l| matches!(l, Some(Ok(_)))) && statuses().iter().all(|s| matches!(s.state, RuleState::Current | RuleState::Orphan));
    view! {
        <div class="rk-rules" data-section="rules">
            <h2>{w.heading}</h2>
            <p class="rk-help">{w.intro}</p>
            <Show when=move || install_pending.get() && busy.get()>
                <p class="rk-banner" role="status" data-role="installing">{w.installing}</p>
            </Show>
            <Show when=move || is_wiped() && !install_pending.get()>
                <p class="rk-banner rk-warn" role="alert" data-role="wiped">{w.wiped}" "
                    <button type="button" class="rk-btn rk-primary" data-role="register-again" on:click=move |_| run_sync(false)>{w.register_again}</button>
                </p>
            </Show>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "rk-banner" } else { "rk-banner rk-error" } role=if ok { "status" } else { "alert" } data-role="rules-message">{text}
                    // An install that failed is tried again from here once the cause is fixed.
                    {(!ok && install_pending.get_untracked()).then(|| view! {
                        " "<button type="button" class="rk-btn" data-role="try-again" on:click=move |_| run_sync(false)>{w.try_again}</button>
                    })}
                </p>
            })}
            {move || loaded.get().and_then(|l| l.err()).map(|e| view! { <p class="rk-banner rk-error" role="alert">{w.list_failed}" "{e}</p> })}
            <table class="rk-table" data-role="rules">
                <thead><tr><th>{w.col_rule}</th><th>{w.col_code}</th><th>{w.col_kind}</th><th>{w.col_state}</th></tr></thead>
                <tbody>{move || statuses().into_iter().map(|s| row(lang, w, s)).collect_view()}</tbody>
            </table>
            <Show when=all_current>
                <p class="rk-help" data-role="in-sync">{w.in_sync}</p>
            </Show>
            <p class="rk-buttons">
                <button type="button" class="rk-btn rk-primary" data-role="sync" disabled=move || busy.get()
                    on:click=move |_| run_sync(delete_orphans.get_untracked())>{w.sync}</button>
                <Show when=has_orphans>
                    " "<label><input type="checkbox" data-role="delete-orphans" prop:checked=move || delete_orphans.get()
                        on:change=move |ev| delete_orphans.set(event_target_checked(&ev))/>" "{w.delete_orphans}</label>
                </Show>
            </p>
            <details class="rk-urls" open=move || !problems().is_empty()>
                <summary>{w.urls}</summary>
                <p class="rk-help">{move || match from_file.get() { Some(Err(_)) => w.no_config, _ => w.urls_from_file }}</p>
                <label class="rk-label" for="rk-handler-url">{w.handler_url}</label>
                <input id="rk-handler-url" class="rk-input" type="url" data-role="handler-url" prop:value=move || handler_input.get()
                    on:input=move |ev| handler_input.set(event_target_value(&ev))/>
                <label class="rk-label" for="rk-settings-url">{w.settings_url}</label>
                <input id="rk-settings-url" class="rk-input" type="url" data-role="settings-url" prop:value=move || settings_input.get()
                    on:input=move |ev| settings_input.set(event_target_value(&ev))/>
                <ul class="rk-errors">{move || problems().iter().map(|p| view! { <li>{w.url_problem(p)}</li> }).collect_view()}</ul>
                <p><button type="button" class="rk-btn" data-role="save-urls" on:click=save_urls>{w.save_urls}</button></p>
            </details>
        </div>
    }
}
