// rulekit sandbox: the portal's side of the frame protocol (postMessage commands between BX24.js in
// the app's frame and this page), and the settings dialog around the frame. Messages from any
// origin but the app's, or with another APP_SID, are ignored.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sandbox-data").textContent);
  var init = data.init;
  var frame = document.querySelector("iframe[id^='appframe_']");
  var layout = frame.parentNode;
  var pushed = {};
  var firstRun = !!init.FIRST_RUN;
  var secrets = data.secrets.slice();
  var logEl = document.getElementById("log");
  var tokenKeys = /^(AUTH_ID|REFRESH_ID|access_token|refresh_token|application_token|APPLICATION_TOKEN|auth)$/i;
  var words = data.words || {};

  // The page's own words, in its language (the sandbox's words table, src/words.rs), with
  // `{name}` filled in from `values`.
  function w(key, values) {
    var text = words[key] || key;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }

  // Tokens never reach the log: known secrets and token-named fields are masked.
  function mask(value) {
    var text = typeof value === "string" ? value : JSON.stringify(value, function (k, v) {
      return tokenKeys.test(k) && typeof v === "string" && v ? "•••" : v;
    });
    if (text === undefined) return "";
    secrets.forEach(function (s) { if (s) text = text.split(s).join("•••"); });
    return text;
  }

  function log(direction, command, payload) {
    var li = document.createElement("li");
    li.className = direction;
    li.textContent = (direction === "in" ? "→ " : direction === "out" ? "← " : "✕ ") + command + " " + mask(payload);
    logEl.appendChild(li);
    while (logEl.children.length > 300) logEl.removeChild(logEl.firstChild);
  }

  function show(id, value) { document.getElementById(id).textContent = JSON.stringify(value, null, 2); }

  function reply(callbackId, command, result) {
    if (!callbackId) return;
    var message = callbackId + ":" + (result === undefined ? "" : JSON.stringify(result));
    log("out", command, result === undefined ? "" : result);
    frame.contentWindow.postMessage(message, data.appOrigin);
  }

  function post(url, body) {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}) })
      .then(function (r) { return r.json(); });
  }

  // A message: `command:params:callbackId:appSid`, where params may hold colons, or an object.
  function parse(raw) {
    if (typeof raw === "string") {
      // The SDK drops empty segments (`getInitData:<cb>:<sid>`), BX24.js keeps them.
      var parts = raw.split(":");
      if (parts.length < 3) return null;
      var sid = parts.pop(), cb = parts.pop(), command = parts.shift(), json = parts.join(":");
      var params = [];
      if (json) { try { params = JSON.parse(json); } catch (e) { return null; } }
      return { command: command, params: params, callback: cb, appSid: sid };
    }
    if (raw && typeof raw === "object" && typeof raw.method === "string") {
      return { command: raw.method, params: raw.params, callback: raw.callback || "", appSid: raw.appSid };
    }
    return null;
  }

  function pickUsers(title, multiple, done) {
    var box = document.getElementById("user-picker");
    box.innerHTML = "";
    var h = document.createElement("h2");
    h.textContent = title || w(multiple ? "choose_users" : "choose_user");
    box.appendChild(h);
    data.users.forEach(function (u) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = multiple ? "checkbox" : "radio";
      input.name = "picked-user";
      input.value = u.id;
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + u.name + " — " + u.position));
      box.appendChild(label);
    });
    var choose = document.createElement("button");
    choose.type = "button";
    choose.className = "primary";
    choose.id = "user-picker-choose";
    choose.textContent = w("choose");
    choose.onclick = function () {
      var ids = Array.prototype.map.call(box.querySelectorAll("input:checked"), function (i) { return i.value; });
      var users = data.users.filter(function (u) { return ids.indexOf(u.id) >= 0; });
      box.hidden = true;
      done(multiple ? users : users[0]);
    };
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = w("cancel");
    cancel.onclick = function () { box.hidden = true; };
    box.appendChild(choose);
    box.appendChild(cancel);
    box.hidden = false;
  }

  var openPaths = /^\/(crm\/(deal|lead|contact|company)\/|marketplace\/|company\/personal\/user\/\d+\/|workgroups\/group\/\d+\/)/;

  var commands = {
    getInitData: function (p, done) {
      var answer = Object.assign({}, init, { FIRST_RUN: firstRun });
      firstRun = false;
      done(answer);
    },
    getInterface: function (p, done) { done({ command: ["setPropertyValue"], event: [] }); },
    refreshAuth: function (p, done) {
      post("/sandbox/refresh").then(function (auth) {
        secrets.push(auth.AUTH_ID, auth.REFRESH_ID);
        init.AUTH_ID = auth.AUTH_ID;
        init.REFRESH_ID = auth.REFRESH_ID;
        done(auth);
      });
    },
    resizeWindow: function (p, done) {
      var height = parseInt(p && p.height, 10);
      if (height > 0) { layout.style.height = height + "px"; frame.style.height = height + "px"; }
      if (p && p.width) {
        var w = p.width === "100%" ? "100%" : (parseInt(p.width, 10) || 100) + "px";
        layout.style.width = w;
      }
      done({ width: layout.offsetWidth, height: layout.offsetHeight });
    },
    setPropertyValue: function (p) {
      // Never answered, as in the portal. Unknown codes are ignored there too.
      var known = init.PLACEMENT_OPTIONS.properties || {};
      Object.keys(p || {}).forEach(function (code) { if (known[code] !== undefined) pushed[code] = p[code]; });
      show("pushed", pushed);
    },
    selectUser: function (p, done) { pickUsers(p && p.title, !!(p && p.mult), done); },
    selectAccess: function (p, done) { done([{ id: "U1", name: "Anna Admin" }]); },
    selectCRM: function (p, done) { done({ deal: [{ id: "D_123", type: "deal", title: "Big deal & Co" }] }); },
    closeApplication: function (p, done) { document.body.setAttribute("data-closed", "1"); done(); },
    reloadWindow: function () { document.getElementById("placement-form").submit(); },
    setTitle: null, // refused in this placement, as the portal refuses it
    setScroll: function (p, done) { window.scrollTo(0, parseInt(p && p.scroll, 10) || 0); done(p); },
    setUserOption: function (p, done) { post("/sandbox/option", { scope: "user", name: p.name, value: p.value }); done(p); },
    setAppOption: function (p, done) {
      post("/sandbox/option", { scope: "app", name: p.name, value: p.value }).then(function (all) { init.APP_OPTIONS = all; done(all); });
    },
    setInstall: function (p, done) { done(p); },
    // The portal marks the app installed and reloads the page out of install mode.
    setInstallFinish: function (p) {
      var finished = !(p && p.value === false);
      var q = new URLSearchParams(location.search);
      q.delete("install");
      q.set("install_finished", finished ? "Y" : "N");
      (finished ? post("/sandbox/installed") : Promise.resolve()).then(function () { location.search = q.toString(); });
    },
    openPath: function (p, done) {
      done(openPaths.test((p && p.path) || "") ? { result: "close" } : { result: "error", errorCode: "PATH_NOT_AVAILABLE" });
    },
    openApplication: function (p, done) { done(); },
    placementBindEvent: function () {},
  };

  window.addEventListener("message", function (event) {
    if (event.origin !== data.appOrigin) { log("ignored", "message from " + event.origin, ""); return; }
    var m = parse(event.data);
    if (!m) { log("ignored", "unreadable message", ""); return; }
    if (m.appSid !== data.appSid) { log("ignored", m.command + " (wrong APP_SID)", ""); return; }
    log("in", m.command, m.params);
    var handler = commands[m.command];
    if (typeof handler !== "function") { log("ignored", m.command + " (not available here)", ""); return; }
    handler(m.params, function (result) { reply(m.callback, m.command, result); });
  });

  function renderProperties() {
    var props = init.PLACEMENT_OPTIONS.properties || {};
    var table = document.createElement("table");
    var head = table.insertRow();
    [w("col_code"), w("col_name"), w("col_type"), w("col_required"), w("col_multiple")].forEach(function (h) { var th = document.createElement("th"); th.textContent = h; head.appendChild(th); });
    Object.keys(props).forEach(function (code) {
      var d = props[code] || {};
      var name = d.NAME || d.Name || code;
      if (typeof name === "object") name = name[init.LANG.toUpperCase()] || name.EN || name[Object.keys(name)[0]];
      var row = table.insertRow();
      [code, name, d.TYPE || d.Type || "string", d.REQUIRED || d.Required || "N", d.MULTIPLE || d.Multiple || "N"].forEach(function (v) {
        row.insertCell().textContent = String(v);
      });
    });
    document.getElementById("properties").appendChild(table);
  }

  // One step of a run's timeline: its time (UTC), what happened, what came with it.
  function stepText(s) {
    var text = (s.at || "").slice(11, 19) + " " + w("step_" + s.step, { status: s.status });
    if (s.return_values && Object.keys(s.return_values).length) text += " · " + w("returned") + " " + JSON.stringify(s.return_values);
    if (s.text) text += " · " + s.text;
    return mask(text);
  }

  // Each run, newest first: whether it worked (a failure in red, with the reason the handler
  // gave) and its timeline: sent, acknowledged, the answer, the log lines, in the order they came.
  function renderRuns(runs) {
    var box = document.getElementById("runs");
    box.innerHTML = "";
    runs.slice().reverse().forEach(function (r) {
      // State files from before the outcome was kept: a closed step reads as done.
      var outcome = r.outcome || (r.state === "waiting" ? "pending" : "succeeded");
      var div = document.createElement("div");
      div.className = "run " + outcome;
      var head = document.createElement("div");
      head.className = "run-head";
      head.textContent = mask(w("run_on", { code: r.code, document: r.document_id }) + ": " + w("outcome_" + outcome) + (r.error ? " — " + r.error : ""));
      div.appendChild(head);
      var steps = document.createElement("ol");
      steps.className = "timeline";
      (r.timeline || []).forEach(function (s) {
        var li = document.createElement("li");
        li.className = "step " + s.step;
        li.textContent = stepText(s);
        steps.appendChild(li);
      });
      div.appendChild(steps);
      box.appendChild(div);
    });
  }

  // What rules wrote with crm.timeline.comment.add, newest first.
  function renderComments(comments) {
    var box = document.getElementById("comments");
    box.innerHTML = "";
    var names = {};
    data.users.forEach(function (u) { names[u.id] = u.name; });
    comments.slice().reverse().forEach(function (c) {
      var div = document.createElement("div");
      div.className = "run";
      div.textContent = c.entity_type + " " + c.entity_id + " · " + (names[String(c.author_id)] || w("user_n", { id: c.author_id })) +
        " · " + c.created + ": " + c.comment;
      box.appendChild(div);
    });
  }

  // Reads the runs again every second while one still waits for its handler's answer.
  var polling = null;
  function refresh() {
    fetch("/sandbox/state").then(function (r) { return r.json(); }).then(function (s) {
      show("saved", s.dialog.saved[data.code] || {});
      renderRuns(s.runs);
      renderComments(s.timeline_comments || []);
      var open = s.runs.some(function (r) { return r.state === "waiting" || r.outcome === "pending"; });
      clearTimeout(polling);
      polling = open ? setTimeout(refresh, 1000) : null;
    });
  }

  // The app's own page (the console) has no dialog around it: its panel has other buttons.
  var updateButton = document.getElementById("update-app");
  if (updateButton) {
    updateButton.onclick = function () { post("/sandbox/update-app").then(function () { location.reload(); }); };
    var showStats = function () {
      fetch("/sandbox/stats").then(function (r) { return r.json(); }).then(function (st) { show("stats", st); });
    };
    showStats();
    setInterval(showStats, 2000);
    document.getElementById("placement-form").submit();
    return;
  }

  document.getElementById("save").onclick = function () {
    post("/sandbox/save", { code: data.code, values: pushed }).then(function () { location.reload(); });
  };
  document.getElementById("cancel").onclick = function () { pushed = {}; location.reload(); };
  document.getElementById("run").onclick = function () { post("/sandbox/run", { code: data.code }).then(refresh); };

  renderProperties();
  refresh();
  document.getElementById("placement-form").submit();
})();
