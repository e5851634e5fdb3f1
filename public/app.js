// Job Monitor's small enhancements. Every page works without this file; it makes them smoother.
// No inline scripts and no eval: the Content-Security-Policy allows only files like this one.
(() => {
  const body = document.body;
  const root = body.dataset.root || "";
  const cookiePath = body.dataset.base || "/";

  function setCookie(name, value) {
    const secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `${name}=${encodeURIComponent(value)}; Path=${cookiePath}; Max-Age=31536000; SameSite=Lax${secure}`;
  }

  // Time zone: without a saved setting, times follow the browser's zone. The first visit is rendered in
  // UTC; once the zone is known it is remembered and the page is shown again in it.
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (browserZone && body.dataset.zoneFromSetting !== "1" && body.dataset.timeZone !== browserZone) {
    setCookie("jm_tz", browserZone);
    if (!sessionStorage.getItem("jm-tz-reloaded")) {
      sessionStorage.setItem("jm-tz-reloaded", "1");
      location.reload();
    }
  }

  // Theme: system, light, dark.
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".theme-switch");
    if (!button) return;
    const next = button.dataset.themeNext;
    setCookie("jm_theme", next);
    document.documentElement.dataset.theme = next;
    const order = { auto: "light", light: "dark", dark: "auto" };
    const label = { auto: "Theme: system", light: "Theme: light", dark: "Theme: dark" }[next];
    button.dataset.themeNext = order[next];
    button.setAttribute("aria-label", `${label}. Change theme`);
    const text = button.querySelector(".theme-label");
    if (text) text.textContent = label;
  });

  // Keyboard: "/" jumps to Search; Escape empties it.
  document.addEventListener("keydown", (event) => {
    const search = document.getElementById("q");
    if (!search) return;
    const typing = event.target.closest("input, select, textarea, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      search.focus();
      search.select();
    } else if (event.key === "Escape" && event.target === search && search.value) {
      event.preventDefault();
      search.value = "";
      search.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  // Picking a date means a custom time span.
  document.addEventListener("change", (event) => {
    if (!event.target.matches("#from, #to")) return;
    const span = document.getElementById("span");
    if (span && event.target.value && span.value !== "custom") span.value = "custom";
  });

  if (!window.htmx) return;

  // Polling pauses while the tab is hidden and catches up when it is shown again.
  document.addEventListener("htmx:confirm", (event) => {
    const elt = event.detail.elt;
    if (elt.dataset?.poll && document.hidden) {
      event.preventDefault();
      elt.dataset.pollMissed = "1";
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) return;
    for (const elt of document.querySelectorAll("[data-poll-missed]")) {
      delete elt.dataset.pollMissed;
      window.htmx.trigger(elt, "jm-poll");
    }
  });

  // A job report opens under its row and closes again with the same control.
  document.addEventListener("htmx:confirm", (event) => {
    const toggle = event.detail.elt;
    if (!toggle.classList?.contains("report-toggle")) return;
    if (toggle.getAttribute("aria-expanded") === "true") {
      event.preventDefault();
      document.getElementById(toggle.getAttribute("aria-controls"))?.remove();
      toggle.setAttribute("aria-expanded", "false");
    }
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const elt = event.detail.elt;
    // A refreshed row keeps saying that its report is open.
    for (const row of document.querySelectorAll("tr.job-row")) {
      const toggle = row.querySelector(".report-toggle");
      if (!toggle) continue;
      const open = Boolean(document.getElementById(toggle.getAttribute("aria-controls")));
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    // Field messages arrive out of band: mark their fields invalid or valid again.
    for (const message of document.querySelectorAll(".field-error[id^='error-']")) {
      const field = document.getElementById(message.id.slice("error-".length));
      if (!field) continue;
      if (message.dataset.invalid === "true") field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    }
    void elt;
  });

  // Results that came from a link (a status count, a page, "show new jobs") may filter differently from
  // what the form shows: make the form say what the list shows, so the next change keeps those filters.
  const FILTER_DEFAULTS = { size: "50", order: "newest", span: "" };
  function syncFilters(url) {
    const form = document.getElementById("filters");
    if (!form || !url) return;
    const params = new URL(url, location.href).searchParams;
    for (const el of form.elements) {
      if (!el.name || el.type === "submit" || el.type === "button" || el.type === "hidden") continue;
      const values = params.getAll(el.name);
      if (el.multiple) {
        for (const option of el.options) option.selected = values.includes(option.value);
      } else {
        el.value = values[0] ?? FILTER_DEFAULTS[el.name] ?? "";
      }
    }
  }

  // Filter requests leave out what is empty or the default, so shared links stay short.
  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt.closest?.("#filters");
    if (!form || event.detail.verb !== "get") return;
    const params = event.detail.parameters;
    for (const name of ["q", "span", "from", "to", "size", "order"]) {
      const value = params[name];
      if (value === "" || value === FILTER_DEFAULTS[name]) delete params[name];
    }
  });

  // On a phone the filters fold away behind a button unless some are in use or wrong.
  const filters = document.getElementById("filters");
  const toggle = filters?.querySelector(".filters-toggle");
  if (filters && toggle && matchMedia("(max-width: 760px)").matches) {
    const inUse = [...new URLSearchParams(location.search).keys()].some((k) => k !== "q" && k !== "cursor");
    const wrong = filters.querySelector(".field-error[data-invalid='true']");
    toggle.hidden = false;
    const fold = (folded) => {
      filters.classList.toggle("folded", folded);
      toggle.setAttribute("aria-expanded", folded ? "false" : "true");
    };
    fold(!inUse && !wrong);
    toggle.addEventListener("click", () => fold(!filters.classList.contains("folded")));
  }

  // After paging or a status link, the link that was clicked is gone: continue from the results.
  document.addEventListener("htmx:afterSwap", (event) => {
    const source = event.detail.requestConfig?.elt;
    if (event.detail.target?.id !== "results" && event.detail.elt?.id !== "results") return;
    if (source?.closest && !source.closest("#filters")) {
      syncFilters(event.detail.xhr?.responseURL);
      document.getElementById("results")?.focus({ preventScroll: false });
    }
  });

  // Dialogs arrive as fragments: open them modally, and give focus back when they close.
  let opener = null;
  // A running job's row refreshes itself while a dialog is open, replacing the button that opened it:
  // the button is then found again by its id.
  const currentOpener = () =>
    opener?.isConnected ? opener : opener?.id ? document.getElementById(opener.id) : null;
  document.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt;
    if (event.detail.target?.id === "dialog-slot" && !elt.closest("#dialog-slot")) opener = elt;
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const slot = event.detail.target;
    if (slot?.id !== "dialog-slot" && !slot?.closest?.("#dialog-slot")) return;
    const dialog = document.querySelector("#dialog-slot dialog");
    if (dialog && !dialog.open) {
      dialog.showModal();
      dialog.querySelector("[autofocus], [data-autofocus]")?.focus();
    } else if (!dialog) {
      // The dialog was replaced by its outcome: give focus back to where the user was, or to the
      // refreshed row's report control when the button that opened it is gone.
      const row = opener?.closest?.("tr.job-row");
      const target =
        currentOpener() ?? (row ? document.getElementById(row.id)?.querySelector(".report-toggle") : null);
      target?.focus();
    }
  });
  document.addEventListener(
    "close",
    (event) => {
      if (event.target.tagName !== "DIALOG") return;
      event.target.remove();
      currentOpener()?.focus();
    },
    true,
  );
  document.addEventListener("click", (event) => {
    const close = event.target.closest("[data-close-dialog]");
    if (!close) return;
    event.preventDefault();
    close.closest("dialog")?.close();
  });

  // Copy buttons: copy the text of their target; fall back to selecting it.
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy-target]");
    if (!button) return;
    const target = document.getElementById(button.dataset.copyTarget);
    if (!target) return;
    const status = button.querySelector(".copy-status");
    try {
      await navigator.clipboard.writeText(target.textContent);
      if (status) status.textContent = "Copied";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(target);
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (status) status.textContent = "Selected: press Ctrl+C to copy";
    }
  });
  void root;
})();
