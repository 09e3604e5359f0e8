// accredit.js — the loader a host page includes with one script tag.
//
// It finds the widget's files next to itself (import.meta.url), so the host
// configures no paths, then mounts the widget on every element marked
// `data-accredit`. The placeholders are filled in by `cargo xtask dist`.
const here = (name) => new URL(name, import.meta.url).href;
const GLUE = here("__ACCREDIT_GLUE__");
const WASM = here("__ACCREDIT_WASM__");
const CSS = here("__ACCREDIT_CSS__");

let widget;
function load() {
  widget ??= import(GLUE).then(async (glue) => {
    await glue.default({ module_or_path: WASM });
    return glue;
  });
  return widget;
}

function addStylesheet() {
  if ([...document.styleSheets].some((s) => s.href === CSS)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = CSS;
  document.head.append(link);
}

/** Mounts the widget on every `[data-accredit]` element not yet mounted;
 * hosts that add such elements later call it again. */
export async function mountAll() {
  const hosts = document.querySelectorAll("[data-accredit]:not([data-accredit-mounted])");
  if (hosts.length === 0) return;
  addStylesheet();
  let glue;
  try {
    glue = await load();
  } catch (err) {
    for (const host of hosts) {
      host.textContent =
        "The registration form could not be loaded. Check your connection and reload the page.";
      host.setAttribute("role", "alert");
    }
    throw err;
  }
  for (const host of hosts) {
    host.setAttribute("data-accredit-mounted", "");
    glue.mount(host);
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", mountAll, { once: true });
} else {
  mountAll();
}
