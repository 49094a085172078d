// rulekit sandbox: a BX24.js-compatible client, written for the local sandbox.
// It follows the library as documented (callbacks, ajaxResult, placement, fitWindow, getLang,
// selectUser…) and speaks the portal's frame protocol: `command:params:callbackId:appSid` strings
// (an object for commands with a colon), replies `callbackId:json`.
(function () {
  "use strict";

  var nameParts = String(window.name || "").split("|");
  var domain = (nameParts[0] || "").replace(/:(80|443)$/, "");
  var protocol = nameParts[1] === "1" ? "https" : "http";
  var appSid = nameParts[2] || "";
  if (!domain || !appSid) {
    window.BX24 = null;
    throw new Error("Unable to initialize Bitrix24 JS library!");
  }
  var parentOrigin = protocol + "://" + domain;
  var params = null;
  var initQueue = [];
  var installQueue = [];
  var readyQueue = [];
  var installMode = false;
  var callbacks = {};

  function newId() {
    var s = "";
    while (s.length < 32) s += Math.random().toString(36).slice(2);
    return s.slice(0, 32);
  }

  function send(command, data, cb, keep) {
    var cbId = "";
    if (typeof cb === "function") {
      cbId = newId();
      callbacks[cbId] = { fn: cb, keep: !!keep };
    }
    var message;
    if (command.indexOf(":") >= 0) {
      message = { method: command, params: data === undefined ? "" : data, callback: cbId, appSid: appSid };
    } else {
      message = command + ":" + (data === undefined ? "" : JSON.stringify(data)) + ":" + cbId + ":" + appSid;
    }
    window.parent.postMessage(message, parentOrigin);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== parentOrigin || typeof event.data !== "string") return;
    var at = event.data.indexOf(":");
    if (at < 0) return;
    var entry = callbacks[event.data.slice(0, at)];
    if (!entry) return;
    var payload = event.data.slice(at + 1);
    var value;
    try { value = payload === "" ? undefined : JSON.parse(payload); } catch (e) { return; }
    if (!entry.keep) delete callbacks[event.data.slice(0, at)];
    entry.fn(value);
  });

  // PHP-style bracket encoding, as the portal's REST endpoint reads it.
  function encode(data, prefix, out) {
    out = out || [];
    if (data === null || data === undefined) {
      if (prefix) out.push(encodeURIComponent(prefix) + "=");
    } else if (typeof data === "object") {
      var keys = Object.keys(data);
      if (keys.length === 0 && prefix) out.push(encodeURIComponent(prefix) + "=");
      keys.forEach(function (k) { encode(data[k], prefix ? prefix + "[" + k + "]" : k, out); });
    } else if (typeof data === "boolean") {
      out.push(encodeURIComponent(prefix) + "=" + (data ? "Y" : "N"));
    } else {
      out.push(encodeURIComponent(prefix) + "=" + encodeURIComponent(String(data)));
    }
    return out;
  }

  function AjaxError(status, answer) {
    this.status = status;
    this.ex = answer && answer.error ? answer : { error: "NETWORK_ERROR", error_description: "no answer from the portal" };
  }
  AjaxError.prototype.getError = function () { return this.ex; };
  AjaxError.prototype.getStatus = function () { return this.status; };
  AjaxError.prototype.toString = function () {
    return this.ex.error + (this.ex.error_description ? ": " + this.ex.error_description : "") + " (" + this.status + ")";
  };

  function AjaxResult(answer, query, status) {
    this.answer = answer || {};
    this.query = query;
    this.status = status;
  }
  AjaxResult.prototype.data = function () { return this.answer.result; };
  AjaxResult.prototype.error = function () {
    return this.answer.error || this.status >= 400 || this.status === 0 ? new AjaxError(this.status, this.answer) : undefined;
  };
  AjaxResult.prototype.error_description = function () { return this.answer.error_description; };
  AjaxResult.prototype.more = function () { return this.answer.next !== undefined && this.answer.next !== null; };
  AjaxResult.prototype.total = function () { return parseInt(this.answer.total, 10) || 0; };
  AjaxResult.prototype.time = function () { return this.answer.time; };
  AjaxResult.prototype.next = function (cb) {
    if (!this.more()) return false;
    var p = Object.assign({}, this.query.params, { start: this.answer.next });
    call(this.query.method, p, cb || this.query.callback, false);
    return true;
  };

  function restUrl(method) {
    return protocol + "://" + params.DOMAIN + (params.PATH || "/rest") + "/" + method + ".json";
  }

  function call(method, data, cb, retried) {
    var query = { method: method, params: data || {}, callback: cb };
    var body = ["auth=" + encodeURIComponent(params.AUTH_ID)].concat(encode(data || {})).join("&");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", restUrl(method));
    xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
    xhr.onloadend = function () {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
      if (!retried && answer && (answer.error === "expired_token" || answer.error === "invalid_token")) {
        BX24.refreshAuth(function () { call(method, data, cb, true); });
        return;
      }
      if (typeof cb === "function") cb(new AjaxResult(answer, query, xhr.status));
    };
    xhr.send(body);
  }

  function ready() {
    return params !== null;
  }

  var BX24 = {
    init: function (cb) {
      if (ready() && !installMode) setTimeout(cb, 0); else initQueue.push(cb);
    },
    install: function (cb) { installQueue.push(cb); },
    installFinish: function () { if (installMode) send("setInstallFinish", {}); },
    ready: function (cb) { if (document.readyState !== "loading") setTimeout(cb, 0); else readyQueue.push(cb); },
    isReady: function () { return ready(); },
    getAuth: function () {
      if (!ready()) return false;
      return { access_token: params.AUTH_ID, refresh_token: params.REFRESH_ID, expires_in: params.AUTH_EXPIRES_AT,
               domain: params.DOMAIN, member_id: params.MEMBER_ID };
    },
    refreshAuth: function (cb) {
      send("refreshAuth", undefined, function (auth) {
        params.AUTH_ID = auth.AUTH_ID;
        params.REFRESH_ID = auth.REFRESH_ID;
        params.AUTH_EXPIRES_AT = Date.now() + (parseInt(auth.AUTH_EXPIRES, 10) || 0) * 1000;
        if (typeof cb === "function") cb(BX24.getAuth());
      });
    },
    callMethod: function (method, data, cb) {
      if (typeof data === "function") { cb = data; data = {}; }
      call(method, data, cb, false);
    },
    callBatch: function (calls, cb, halt) {
      var keys = Object.keys(calls);
      var cmd = {};
      keys.forEach(function (k) {
        var c = calls[k];
        var method = Array.isArray(c) ? c[0] : c.method;
        var p = Array.isArray(c) ? c[1] : c.params;
        cmd[k] = method + "?" + encode(p || {}).join("&");
      });
      call("batch", { halt: halt ? 1 : 0, cmd: cmd }, function (res) {
        var r = res.data() || {};
        var out = Array.isArray(calls) ? [] : {};
        keys.forEach(function (k) {
          var c = calls[k];
          var answer = { result: (r.result || {})[k], error: undefined, total: (r.result_total || {})[k], next: (r.result_next || {})[k] };
          var err = (r.result_error || {})[k];
          if (err) { answer.error = err.error; answer.error_description = err.error_description; }
          out[k] = new AjaxResult(answer, { method: Array.isArray(c) ? c[0] : c.method, params: Array.isArray(c) ? c[1] : c.params }, res.status);
        });
        if (typeof cb === "function") cb(out);
      });
    },
    placement: {
      info: function () { return { placement: params ? params.PLACEMENT : "DEFAULT", options: params ? params.PLACEMENT_OPTIONS : {} }; },
      call: function (command, data, cb) {
        if (typeof data === "function") { cb = data; data = undefined; }
        if (BX24[command] !== undefined) throw new Error("Use BX24." + command + " instead");
        send(command, data, cb);
      },
      bindEvent: function (eventName, cb) { send("placementBindEvent", { event: eventName }, cb, true); },
      getInterface: function (cb) { send("getInterface", undefined, cb); },
    },
    getScrollSize: function () {
      return { scrollWidth: document.documentElement.scrollWidth, scrollHeight: document.documentElement.scrollHeight };
    },
    resizeWindow: function (width, height, cb) {
      width = parseInt(width, 10); height = parseInt(height, 10);
      if (width > 0 && height > 0) send("resizeWindow", { width: width, height: height }, cb);
    },
    fitWindow: function (cb) { send("resizeWindow", { width: "100%", height: BX24.getScrollSize().scrollHeight }, cb); },
    scrollParentWindow: function (scroll, cb) { send("setScroll", { scroll: scroll }, cb); },
    reloadWindow: function () { send("reloadWindow"); },
    setTitle: function (title, cb) { send("setTitle", { title: String(title) }, cb); },
    getLang: function () { return params ? params.LANG : "en"; },
    getDomain: function () { return params ? params.DOMAIN : domain; },
    isAdmin: function () { return !!(params && params.IS_ADMIN); },
    closeApplication: function (cb) { send("closeApplication", undefined, cb); },
    openApplication: function (data, cb, settings) {
      var p = Object.assign({}, data || {});
      Object.keys(settings || {}).forEach(function (k) { p["bx24_" + k] = settings[k]; });
      send("openApplication", p, cb);
    },
    openPath: function (path, cb) { send("openPath", { path: path }, cb); },
    selectUser: function (title, cb) {
      if (typeof title === "function") { cb = title; title = ""; }
      send("selectUser", { title: title || "", mult: false }, cb);
    },
    selectUsers: function (title, cb) {
      if (typeof title === "function") { cb = title; title = ""; }
      send("selectUser", { title: title || "", mult: true }, cb);
    },
    selectAccess: function (title, value, cb) { send("selectAccess", { title: title, value: value || [] }, cb); },
    selectCRM: function (p, cb) { send("selectCRM", p || {}, cb); },
    appOption: {
      get: function (name) { return params && params.APP_OPTIONS ? params.APP_OPTIONS[name] : undefined; },
      set: function (name, value, cb) {
        send("setAppOption", { name: name, value: value }, function (all) { params.APP_OPTIONS = all; if (cb) cb(all); });
      },
    },
    userOption: {
      get: function (name) { return params && params.USER_OPTIONS ? params.USER_OPTIONS[name] : undefined; },
      set: function (name, value) {
        if (params) { if (Array.isArray(params.USER_OPTIONS)) params.USER_OPTIONS = {}; params.USER_OPTIONS[name] = value; }
        send("setUserOption", { name: name, value: value });
      },
    },
    proxy: function (fn, ctx) { return function () { return fn.apply(ctx, arguments); }; },
  };
  window.BX24 = BX24;

  document.addEventListener("DOMContentLoaded", function () { readyQueue.splice(0).forEach(function (f) { f(); }); });

  send("getInitData", undefined, function (data) {
    params = data;
    params.AUTH_EXPIRES_AT = Date.now() + (parseInt(data.AUTH_EXPIRES, 10) || 0) * 1000;
    var runInit = function () { initQueue.splice(0).forEach(function (f) { f(); }); };
    if (data.FIRST_RUN && installQueue.length) {
      installMode = true;
      send("setInstall", { install: true });
      installQueue.splice(0).forEach(function (f) { f(); });
    } else {
      runInit();
    }
  });
})();
