// Claimdesk: toasts and keyboard shortcuts. No inline script, no eval (see the CSP).
(function () {
  "use strict";

  function showToast(detail) {
    var area = document.getElementById("toasts");
    if (!area || !detail || !detail.message) return;
    var toast = document.createElement("div");
    toast.className = "toast toast-" + (detail.level || "info");
    toast.setAttribute("role", detail.level === "error" ? "alert" : "status");
    toast.textContent = detail.message;
    if (detail.undo) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.textContent = "Undo";
      button.setAttribute("hx-post", detail.undo);
      button.setAttribute("hx-swap", "none");
      toast.appendChild(document.createTextNode(" "));
      toast.appendChild(button);
      if (window.htmx) window.htmx.process(button);
    }
    area.appendChild(toast);
    expire(toast, detail.undo ? 10000 : 5000);
  }

  function expire(toast, delay) { setTimeout(function () { toast.remove(); }, delay); }

  document.addEventListener("toast", function (event) { showToast(event.detail); });

  // Messages flashed across a redirect arrive already in #toasts (base.html renders them); let them go too.
  function expireFlashed() {
    document.querySelectorAll("#toasts [data-flash]").forEach(function (toast) {
      toast.removeAttribute("data-flash");
      expire(toast, 5000);
    });
  }

  document.addEventListener("DOMContentLoaded", expireFlashed);

  // Mark each region htmx has loaded and bound (the page's main area on a full or boosted load), so
  // whoever waits for the page to answer input can see when it does.
  document.addEventListener("htmx:load", function (event) {
    expireFlashed();
    var region = event.target === document.body ? document.getElementById("main") : event.target;
    if (region && region.id && !pending.has(region)) region.setAttribute("data-ready", "");
  });

  // A request that will replace a marked region takes its mark off as it leaves: a boosted link keeps the
  // old page on screen, marked, until the answer comes, and whoever waited for the mark then would act on
  // a page about to go. The new region is marked when htmx has bound it (above); a region the answer did not
  // replace (a swap inside it, an error, no swap) gets its mark back once the request is over.
  var pending = new Map();  // region -> requests in flight that will replace it or swap into it
  var swapped = new WeakSet();  // requests whose answer was swapped in (their settle gives the mark back)
  var holding = new WeakMap();  // request -> the regions it took the mark from

  document.addEventListener("htmx:beforeSend", function (event) {
    var target = event.detail.target;
    if (!target || !event.detail.xhr) return;
    var regions = [];
    document.querySelectorAll("[data-ready]").forEach(function (region) {
      if (region === target || target.contains(region)) regions.push(region);
    });
    pending.forEach(function (count, region) {
      if ((region === target || target.contains(region)) && regions.indexOf(region) < 0) regions.push(region);
    });
    regions.forEach(function (region) {
      region.removeAttribute("data-ready");
      pending.set(region, (pending.get(region) || 0) + 1);
    });
    holding.set(event.detail.xhr, regions);
  });

  function release(xhr) {
    var regions = holding.get(xhr);
    if (!regions) return;
    holding.delete(xhr);
    regions.forEach(function (region) {
      var count = (pending.get(region) || 1) - 1;
      if (count > 0) { pending.set(region, count); return; }
      pending.delete(region);
      if (region.isConnected) region.setAttribute("data-ready", "");
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.xhr) swapped.add(event.detail.xhr);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.xhr) release(event.detail.xhr);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || swapped.has(xhr)) return;  // swapped: released when it settles
    // A redirect or refresh leaves the page: nothing on it is ready any more.
    if (xhr.getResponseHeader && (xhr.getResponseHeader("HX-Redirect") || xhr.getResponseHeader("HX-Refresh") === "true")) {
      holding.delete(xhr);
      return;
    }
    release(xhr);
  });

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  // --- the queue: a current row, moved with j/k, acted on with a/d/x/o -------------
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#queue-rows tr.claim-row")); }
  function currentRow() { return document.querySelector("#queue-rows tr.claim-row.current"); }

  // Selection and the current row survive a refresh of the rows (after an undo, a bulk action).
  var selected = new Set();
  var currentId = null;

  function setCurrent(row) {
    var old = currentRow();
    if (old) old.classList.remove("current");
    currentId = row ? row.id : null;
    if (!row) return;
    row.classList.add("current");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.indexOf(currentRow());
    var next = index < 0 ? all[0] : all[Math.min(all.length - 1, Math.max(0, index + step))];
    setCurrent(next);
  }

  // When a row leaves (triaged), the next one becomes current.
  function advanceFrom(row) {
    var all = rows();
    var index = all.indexOf(row);
    var next = all[index + 1] || all[index - 1] || null;
    setCurrent(next);
  }

  function updateSelected() {
    rows().forEach(function (row) {
      var box = row.querySelector("input[name=ids]");
      if (!box) return;
      if (box.checked) selected.add(box.value); else selected.delete(box.value);
      row.classList.toggle("selected", box.checked);
    });
    var counter = document.getElementById("selected-count");
    if (counter) counter.textContent = document.querySelectorAll("#queue-rows input[name=ids]:checked").length;
  }

  function restoreRows() {
    var present = new Set();
    rows().forEach(function (row) {
      var box = row.querySelector("input[name=ids]");
      if (!box) return;
      present.add(box.value);
      box.checked = selected.has(box.value);
    });
    selected.forEach(function (id) { if (!present.has(id)) selected.delete(id); });
    if (currentId && !currentRow()) {
      var again = document.getElementById(currentId);
      if (again) again.classList.add("current");
    }
    updateSelected();
  }

  var pendingDismiss = null;

  function askDismissReason(form) {
    var dialog = document.getElementById("dismiss-dialog");
    if (!dialog) return;
    pendingDismiss = form;
    dialog.showModal();
  }

  function dismissWith(reason) {
    var dialog = document.getElementById("dismiss-dialog");
    if (!pendingDismiss) return;
    var form = pendingDismiss;
    pendingDismiss = null;
    if (dialog) dialog.close();
    form.querySelector("input[name=reason]").value = reason;
    var row = form.closest("tr");
    if (row && row.classList.contains("current")) advanceFrom(row);
    form.requestSubmit();
  }

  function rowAction(row, key) {
    var button = row.querySelector("[data-row-action='" + key + "']");
    if (!button) return false;
    if (key === "d") { askDismissReason(button.form); return true; }
    button.click();
    advanceFrom(row);
    return true;
  }

  document.addEventListener("click", function (event) {
    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) { askDismissReason(dismiss.form); return; }
    var reason = event.target.closest("[data-reason]");
    if (reason) { dismissWith(reason.getAttribute("data-reason")); return; }
    var row = event.target.closest("#queue-rows tr.claim-row");
    if (row && !event.target.closest("button, a, input, select")) setCurrent(row);
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("#queue-rows input[name=ids]")) updateSelected();
  });

  document.addEventListener("keydown", function (event) {
    var dialog = document.getElementById("dismiss-dialog");
    if (dialog && dialog.open) {
      var choice = dialog.querySelectorAll("[data-reason]")[parseInt(event.key, 10) - 1];
      if (choice) { event.preventDefault(); dismissWith(choice.getAttribute("data-reason")); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "/") {
      var search = document.querySelector("[data-shortcut-focus='/']");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
      return;
    }
    if (event.key === "?") {
      var help = document.getElementById("shortcut-help");
      if (help) { help.hidden = !help.hidden; event.preventDefault(); }
      return;
    }
    if (document.getElementById("queue-rows")) {
      var row = currentRow();
      if (event.key === "j" || event.key === "k") { event.preventDefault(); move(event.key === "j" ? 1 : -1); return; }
      if (row && (event.key === "o" || event.key === "Enter")) {
        event.preventDefault();
        row.querySelector("a.open-claim").click();
        return;
      }
      if (row && event.key === "x") {
        event.preventDefault();
        var box = row.querySelector("input[name=ids]");
        box.checked = !box.checked;
        updateSelected();
        return;
      }
      if (row && (event.key === "a" || event.key === "d")) {
        if (rowAction(row, event.key)) event.preventDefault();
        return;
      }
    }
    var target = document.querySelector("[data-shortcut='" + event.key + "']:not([disabled])");
    if (target) { event.preventDefault(); target.click(); }
  });

  // A triaged row is deleted by htmx; if it was current, the next row already took over. After a refresh,
  // restore once htmx has settled, since settling resets the class attribute of rows that kept their id.
  document.addEventListener("htmx:afterSwap", restoreRows);
  document.addEventListener("htmx:afterSettle", restoreRows);

  // --- after a request: a success clears a refusal still on screen; some forms empty themselves ---
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (!xhr || xhr.status < 200 || xhr.status >= 300) return;
    var alerts = document.getElementById("alerts");
    if (alerts) alerts.replaceChildren();
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-reset-on-success]");
    if (form && event.detail.elt === form) form.reset();
  });

  // --- times: stored in UTC, shown in the reader's time zone; the exact time on hover ---------
  var readable = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  var exact = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "long" });
  function localTimes(root) {
    (root || document).querySelectorAll("time[data-local]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      el.textContent = readable.format(when);
      el.title = exact.format(when);
      el.removeAttribute("data-local");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { localTimes(document); });
  document.addEventListener("htmx:load", function (event) { localTimes(event.target); });
  // Out-of-band swaps do not raise htmx:load on the swapped element in every case: settle covers them.
  document.addEventListener("htmx:afterSettle", function () { localTimes(document); });

  // --- confirmations: a form with data-confirm asks first, in a dialog (no window.confirm) -------
  var confirmed = null;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm") || confirmed === form) {
      confirmed = null;
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog) return;
    dialog.querySelector("[data-confirm-text]").textContent = form.getAttribute("data-confirm");
    dialog.querySelector("[data-confirm-yes]").textContent = form.getAttribute("data-confirm-label") || "Confirm";
    dialog.pendingForm = form;
    dialog.pendingSubmitter = event.submitter || null;
    dialog.showModal();
  }, true);
  document.addEventListener("click", function (event) {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || !dialog.open) return;
    if (event.target.closest("[data-confirm-yes]")) {
      var form = dialog.pendingForm;
      dialog.close();
      confirmed = form;
      if (form) form.requestSubmit(dialog.pendingSubmitter);
    } else if (event.target.closest("[data-confirm-no]")) {
      dialog.close();
    }
  });

  // The reader: selecting text offers "Add as claim" next to the selection.
  document.addEventListener("mouseup", function () {
    var reader = document.querySelector("[data-selection-form]");
    if (!reader) return;
    var form = document.getElementById(reader.getAttribute("data-selection-form"));
    var selection = window.getSelection();
    var text = selection ? selection.toString().trim() : "";
    if (!text || text.length < 10 || !reader.contains(selection.anchorNode)) { form.hidden = true; return; }
    var rect = selection.getRangeAt(0).getBoundingClientRect();
    form.querySelector("input[name=text]").value = text;
    form.hidden = false;
    form.classList.add("floating");
    form.setAttribute("data-top", String(Math.round(rect.bottom + window.scrollY + 6)));
    form.setAttribute("data-left", String(Math.round(rect.left + window.scrollX)));
    // CSSOM, not a style attribute: allowed under the strict CSP.
    form.style.top = form.getAttribute("data-top") + "px";
    form.style.left = form.getAttribute("data-left") + "px";
  });
})();
