// A stand-in for BX24.js in the browser tests and the bench, where no portal is around.
// It answers like the library's public calls (init, placement, callMethod, getAuth, getLang) and
// records every call, so tests can assert what the app
// asked the portal to do. It is not the thing under test: the app's own bindings call it through
// the global `BX24`, exactly as they call the real library.

export function install_stub(config_json) {
  const config = JSON.parse(config_json);
  const init = config.init || {};
  const record = { calls: [] };
  const log = (command, params) => record.calls.push({ command, params: params === undefined ? null : params });
  const later = (f) => setTimeout(f, 0);
  const users = config.users || [];
  window.__bx24 = record;
  window.BX24 = {
    init(cb) {
      log("init");
      if (!config.silent) later(cb);
    },
    getLang() { return init.LANG || "en"; },
    placement: {
      info() { return { placement: init.PLACEMENT || "DEFAULT", options: init.PLACEMENT_OPTIONS || {} }; },
      call(command, params, cb) {
        log(command, params);
        // setPropertyValue never answers, like the portal.
        if (command !== "setPropertyValue" && typeof cb === "function") later(() => cb(params));
      },
    },
    fitWindow(cb) {
      log("fitWindow", { height: document.documentElement.scrollHeight });
      if (cb) later(() => cb({ width: "100%", height: document.documentElement.scrollHeight }));
    },
    resizeWindow(width, height, cb) {
      log("resizeWindow", { width, height });
      if (cb) later(() => cb({ width, height }));
    },
    selectUser(title, cb) {
      log("selectUser", { title });
      if (users.length) later(() => cb(users[0]));
    },
    selectUsers(title, cb) {
      log("selectUsers", { title });
      later(() => cb(users));
    },
    callMethod(method, params, cb) {
      log("callMethod", { method, params });
      let answer = (config.rest || {})[method];
      // `user.search` over `config.searchable` rows, by name as the portal finds them.
      const find = String((params || {}).FIND || "").toLowerCase();
      if (method === "user.search" && config.searchable) {
        answer = config.searchable.filter((u) => `${u.NAME || ""} ${u.LAST_NAME || ""}`.toLowerCase().includes(find));
      }
      // An answer held back, so a test can see what the page shows while it waits:
      // `config.delays[method]`, or `config.slow[FIND]` for a search (to answer out of order).
      const delay = (config.delays || {})[method] || (method === "user.search" && (config.slow || {})[find]) || 0;
      setTimeout(() => cb({
        data() { return answer === undefined ? null : answer; },
        error() { return answer === undefined ? { toString() { return "ERROR_METHOD_NOT_FOUND: no stub answer"; } } : undefined; },
      }), delay);
    },
  };
}

export function remove_stub() {
  delete window.BX24;
}

export function calls_json() {
  return JSON.stringify((window.__bx24 || { calls: [] }).calls);
}

export function clear_calls() {
  if (window.__bx24) window.__bx24.calls = [];
}
