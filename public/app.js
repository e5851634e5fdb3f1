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
    if (firstReload()) location.reload();
  }

  /**
   * Whether this tab has not reloaded for its zone yet (and now will have). A frame in another site's
   * page (the portal) may be refused its storage, and reading it throws: it then does not reload, as it
   * could not tell a second time from the first, and the rest of this file still runs.
   */
  function firstReload() {
    try {
      if (sessionStorage.getItem("jm-tz-reloaded")) return false;
      sessionStorage.setItem("jm-tz-reloaded", "1");
      return true;
    } catch {
      return false;
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
    const custom = document.querySelector('#filters input[name="span"][value="custom"]');
    if (custom && event.target.value) custom.checked = true;
  });

  // Filter menus: one open at a time; Escape or a click elsewhere closes them. Without this file they are
  // plain disclosures that stay open until clicked again.
  const openMenus = () => document.querySelectorAll("details.filter-menu[open]");
  document.addEventListener(
    "toggle",
    (event) => {
      const menu = event.target;
      if (!menu.matches?.("details.filter-menu") || !menu.open) return;
      for (const other of openMenus()) if (other !== menu) other.open = false;
      const find = menu.querySelector("#connector-find");
      if (find && !menu.dataset.loaded && window.htmx) {
        menu.dataset.loaded = "1";
        window.htmx.trigger(find, "jm-load");
      }
    },
    true,
  );
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const menu = event.target.closest?.("details.filter-menu[open]");
    if (!menu) return;
    event.preventDefault();
    menu.open = false;
    menu.querySelector("summary")?.focus();
  });
  document.addEventListener("click", (event) => {
    for (const menu of openMenus()) if (!menu.contains(event.target)) menu.open = false;
  });
  // A connector ticked in the fetched list joins the chosen ones, so typing a new name keeps it.
  document.addEventListener("change", (event) => {
    const box = event.target;
    if (!box.matches?.("#connector-options input[type=checkbox]") || !box.checked) return;
    document.querySelector(".connector-chosen")?.append(box.closest("label"));
  });

  if (!window.htmx) return;

  // The connector list is fetched on demand: its search field needs htmx, so it waits for it.
  const connectorFind = document.getElementById("connector-find");
  if (connectorFind) {
    connectorFind.disabled = false;
    connectorFind.parentElement.hidden = false;
  }

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

  // Each row's report link becomes a disclosure of the report under the row: it says so, and whether the
  // report is open (also after the row has refreshed itself).
  function markReportToggles() {
    for (const row of document.querySelectorAll("tr.job-row")) {
      const toggle = row.querySelector(".report-toggle");
      if (!toggle) continue;
      const id = `report-${row.id.slice("job-".length)}`;
      toggle.setAttribute("aria-controls", id);
      toggle.setAttribute("aria-expanded", document.getElementById(id) ? "true" : "false");
    }
  }
  markReportToggles();

  // A job report opens under its row and closes again with the same control. The control is a plain link
  // to the report page (what it stays without this file, or with a modifier key), so rows carry no htmx.
  document.addEventListener("click", (event) => {
    const toggle = event.target.closest?.("tr.job-row .report-toggle");
    if (!toggle || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    if (toggle.getAttribute("aria-expanded") === "true") {
      document.getElementById(toggle.getAttribute("aria-controls"))?.remove();
      toggle.setAttribute("aria-expanded", "false");
      return;
    }
    if (toggle.dataset.opening) return;
    toggle.dataset.opening = "1";
    const url = new URL(toggle.href);
    url.searchParams.set("part", "report");
    window.htmx
      .ajax("GET", url.pathname + url.search, {
        source: toggle,
        target: toggle.closest("tr"),
        swap: "afterend",
      })
      .finally(() => delete toggle.dataset.opening);
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const elt = event.detail.elt;
    markReportToggles();
    // Field messages arrive out of band: mark their fields invalid or valid again.
    for (const message of document.querySelectorAll(".field-error[id^='error-']")) {
      const field = document.getElementById(message.id.slice("error-".length));
      if (!field) continue;
      if (message.dataset.invalid === "true") field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    }
    // A filter menu is marked while a field in it is wrong.
    for (const menu of document.querySelectorAll("details.filter-menu")) {
      if (menu.querySelector("[aria-invalid='true']")) menu.dataset.invalid = "true";
      else delete menu.dataset.invalid;
    }
    void elt;
  });

  // The filter form says what the address says. It is synchronised from the address, never from a
  // snapshot: after results that came from a link (a status count, a page, "show new jobs"), after Back
  // or Forward (which load the page again, where the browser may put back what the controls held before)
  // and after any restore of htmx's history. Generic over the form's controls by name: a checkbox or
  // radio is checked when its value is among the address's values of its name, an option selected when
  // its value is, a field holds the address's value; a name the address leaves out takes the control's
  // default (`data-default` on a field or select, present on a checkbox or option that is on by default).
  const SKIPPED_TYPES = new Set(["submit", "button", "reset", "image", "file", "hidden"]);
  const filterControls = (form) =>
    [...form.elements].filter(
      (el) =>
        el.name && !SKIPPED_TYPES.has(el.type) && !["FIELDSET", "OBJECT", "OUTPUT"].includes(el.tagName),
    );

  // The state is written as the controls' defaults too, so that a later snapshot or reset says the same.
  function setChecked(el, on) {
    if (el.defaultChecked !== on) el.defaultChecked = on;
    if (el.checked !== on) el.checked = on;
  }
  function setSelected(option, on) {
    if (option.defaultSelected !== on) option.defaultSelected = on;
    if (option.selected !== on) option.selected = on;
  }
  function setValue(el, value) {
    if (el.defaultValue !== value) el.defaultValue = value;
    if (el.value !== value) el.value = value;
  }

  /**
   * Makes the filter form show what `url` asks for. Says false when the address holds a value that no
   * control can show (a choice the form does not offer), so that the caller can load the page instead.
   */
  function syncFilters(url) {
    const form = document.getElementById("filters");
    if (!form || !url) return true;
    const params = new URL(url, location.href).searchParams;
    const shown = new Map();
    for (const el of filterControls(form)) {
      const given = params.has(el.name) ? params.getAll(el.name) : null;
      if (!shown.has(el.name)) shown.set(el.name, { single: false, values: new Set() });
      const seen = shown.get(el.name);
      if (el.type === "checkbox" || el.type === "radio") {
        const on = given ? given.includes(el.value) : el.hasAttribute("data-default");
        setChecked(el, on);
        if (on) seen.values.add(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        for (const option of el.options) {
          const on = given ? given.includes(option.value) : option.hasAttribute("data-default");
          setSelected(option, on);
          if (on) seen.values.add(option.value);
        }
      } else if (el.tagName === "SELECT") {
        seen.single = true;
        const value = given ? given[0] : (el.dataset.default ?? el.options[0]?.value ?? "");
        const option = [...el.options].find((o) => o.value === value);
        for (const o of el.options) setSelected(o, o === option);
        if (option) seen.values.add(value);
      } else {
        seen.single = true;
        const value = given ? given[0] : (el.dataset.default ?? "");
        setValue(el, value);
        seen.values.add(value);
      }
    }
    for (const [name, seen] of shown) {
      const given = seen.single ? params.getAll(name).slice(0, 1) : params.getAll(name);
      if (given.some((value) => !seen.values.has(value))) return false;
    }
    return true;
  }

  // On load (a reload, Back or Forward, which htmx answers with a reload) the page was made for this
  // address, but the browser may have put back what its controls held on the page before.
  syncFilters(location.href);
  addEventListener("pageshow", () => syncFilters(location.href));

  // After an htmx history restore: from its cache or from the server.
  document.addEventListener("htmx:historyRestore", () => {
    if (!syncFilters(location.href)) location.reload();
  });

  // Requests for new results (the filters, a status count, a page link): the latest one asked for wins,
  // and leaving the page, or going Back or Forward, drops what was still to come. A search that waits
  // for a pause in typing is not sent to the page that comes next, and an answer on its way is not shown
  // (or put in the history) there. Answers are dropped rather than requests aborted: htmx reports every
  // abort as an error.
  let leftAt = Number.NEGATIVE_INFINITY;
  let askedAt = Number.NEGATIVE_INFINITY;
  const sentAt = new WeakMap();
  const leave = (event) => {
    leftAt = Math.max(leftAt, event.timeStamp);
  };
  addEventListener("popstate", leave);
  addEventListener("pagehide", leave);
  const forResults = (detail) =>
    detail.target?.id === "results" ||
    Boolean(detail.elt?.closest?.("#filters") && detail.elt.id !== "connector-find");
  document.addEventListener("htmx:confirm", (event) => {
    if (!forResults(event.detail)) return;
    const trigger = event.detail.triggeringEvent;
    if (trigger && trigger.timeStamp <= leftAt) event.preventDefault();
    else askedAt = performance.now();
  });
  document.addEventListener("htmx:beforeSend", (event) => {
    if (forResults(event.detail)) sentAt.set(event.detail.xhr, performance.now());
  });
  document.addEventListener("htmx:beforeOnLoad", (event) => {
    const sent = sentAt.get(event.detail.xhr);
    if (sent !== undefined && (sent < askedAt || sent <= leftAt)) event.preventDefault();
  });

  // Typing on in the search refines one step of the history rather than adding one at every pause:
  // Back goes to the list as it was before the typing. Nor does the same address make a second step.
  let typedUrl = null;
  document.addEventListener("htmx:beforeHistoryUpdate", (event) => {
    const update = event.detail.history;
    const next = new URL(update.path, location.href).href;
    const typing = event.detail.requestConfig?.triggeringEvent?.type === "input";
    if (update.type === "push" && (next === location.href || (typing && typedUrl === location.href))) {
      update.type = "replace";
    }
    typedUrl = typing ? next : null;
  });
  addEventListener("popstate", () => {
    typedUrl = null;
  });

  // Filter requests leave out what is empty or a field's default, so shared links stay short.
  document.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt.closest?.("#filters");
    if (!form || event.detail.verb !== "get") return;
    const params = event.detail.parameters;
    // The connector panel's search only narrows its list; "Any time" is no span at all.
    delete params.find;
    if (params.span === "") delete params.span;
    for (const el of filterControls(form)) {
      if (el.type === "checkbox" || el.type === "radio" || el.multiple) continue;
      const value = params[el.name];
      if (value === "" || (el.dataset.default !== undefined && value === el.dataset.default)) {
        delete params[el.name];
      }
    }
  });

  // After paging or a status link, the link that was clicked is gone: continue from the results.
  document.addEventListener("htmx:afterSwap", (event) => {
    const source = event.detail.requestConfig?.elt;
    if (event.detail.target?.id !== "results" && event.detail.elt?.id !== "results") return;
    if (source?.closest && !source.closest("#filters")) {
      syncFilters(event.detail.xhr?.responseURL);
      document.getElementById("results")?.focus({ preventScroll: false });
    }
  });

  // An answer may update parts of the page out of band (a cancel: the job's row and its report). The
  // request names those of them that are on the page, so that the answer updates no element it lacks.
  document.addEventListener("htmx:configRequest", (event) => {
    const ids = event.detail.elt.dataset?.oobTargets;
    if (!ids) return;
    const present = ids.split(/\s+/).filter((id) => id && document.getElementById(id));
    event.detail.headers["X-On-Page"] = present.join(" ");
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
