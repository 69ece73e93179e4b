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
    setTimeout(function () { toast.remove(); }, detail.undo ? 10000 : 5000);
  }

  document.addEventListener("toast", function (event) { showToast(event.detail); });

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
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
    var target = document.querySelector("[data-shortcut='" + event.key + "']:not([disabled])");
    if (target) { event.preventDefault(); target.click(); }
  });

  // Toasts sent with a full-page (non-htmx) response travel in a data attribute.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-toast]").forEach(function (el) {
      try { showToast(JSON.parse(el.getAttribute("data-toast"))); } catch (e) { /* ignore */ }
    });
  });
})();
