// accredit.js — the loader a host page includes with one script tag.
//
// It finds the widget's files next to itself (import.meta.url), so the host
// configures no paths, then mounts the widget on every element marked
// `data-accredit`. The glue code, the WebAssembly module and each event's
// configuration are requested at once, in parallel, before anything runs.
// The stylesheet travels inside the glue module (`STYLES`) and is adopted as
// a constructed stylesheet, so it costs no request of its own and needs no
// 'unsafe-inline' in the host's CSP.
// The placeholders are filled in by `cargo xtask dist`.
const here = (name) => new URL(name, import.meta.url).href;
const GLUE = here("__ACCREDIT_GLUE__");
const WASM = here("__ACCREDIT_WASM__");
// The module again as a script, and each language's catalogue as JSON and
// as a script; a catalogue is loaded only when its language is spoken.
const WASM_SCRIPT = here("__ACCREDIT_WASM_SCRIPT__");
const CATALOGUES = "__ACCREDIT_CATALOGUES__";
// `accredit.js?load=script`: every widget file arrives as a script, for host
// pages whose CSP lets the widget's origin serve scripts (script-src) but
// not answer fetches (connect-src).
const SCRIPT_ONLY = new URL(import.meta.url).searchParams.get("load") === "script";

function moduleBytes() {
  if (!SCRIPT_ONLY) return fetch(WASM); // streaming compilation
  return import(WASM_SCRIPT).then(({ default: base64 }) =>
    Uint8Array.fromBase64 ? Uint8Array.fromBase64(base64) : Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
  );
}

/** The catalogue of `lang` as JSON text (the widget calls this). */
function loadCatalogue(lang) {
  const file = CATALOGUES[lang];
  if (!file) return Promise.reject(new Error(`no catalogue for ${lang}`));
  if (SCRIPT_ONLY) return import(here(file.script)).then((m) => JSON.stringify(m.default));
  return fetch(here(file.json)).then((res) => (res.ok ? res.text() : Promise.reject(new Error(res.status))));
}

const SELECTOR = "[data-accredit]:not([data-accredit-mounted])";

let widget;
function load() {
  // Streaming compilation starts as soon as the first bytes arrive.
  widget ??= Promise.all([import(GLUE), moduleBytes()]).then(async ([glue, wasm]) => {
    await glue.default({ module_or_path: wasm });
    glue.configure(Object.keys(CATALOGUES).join(","), loadCatalogue);
    return glue;
  });
  return widget;
}

function attr(host, name) {
  const value = host.getAttribute(name) ?? host.getAttribute(`data-${name}`);
  return value && value.trim() ? value.trim() : null;
}

/** The event configuration as JSON text, or null to let the widget fetch
 * it itself (and explain precisely what went wrong). */
function configFor(host) {
  // `config`: the id of an inline <script type="application/json"> in the
  // page, or a URL to fetch the configuration from.
  const config = attr(host, "config");
  if (config) {
    const inline = document.getElementById(config);
    if (inline && inline.type === "application/json") {
      return Promise.resolve(inline.textContent);
    }
    return fetch(new URL(config, document.baseURI), { headers: { Accept: "application/json" } })
      .then((res) => (res.ok ? res.text() : null))
      .catch(() => null);
  }
  const event = attr(host, "event");
  if (!event) return Promise.resolve(null);
  const endpoint = (attr(host, "endpoint") ?? "/api/v1").replace(/\/+$/, "");
  return fetch(`${endpoint}/events/${encodeURIComponent(event)}`, {
    headers: { Accept: "application/json" },
  })
    .then((res) => (res.ok ? res.text() : null))
    .catch(() => null);
}

let sheet;
/** Gives `root` (the document, or a widget's shadow root) the widget's
 * styles, once; one constructed sheet is shared by every root. */
function adoptStyles(glue, root) {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(glue.STYLES);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
}

async function mountHosts(hosts) {
  const configs = hosts.map(configFor);
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
  await Promise.all(
    hosts.map(async (host, i) => {
      adoptStyles(glue, host.getRootNode());
      const config = await configs[i];
      if (config === null) {
        glue.mount(host);
        return;
      }
      try {
        glue.mountWithConfig(host, config);
      } catch {
        glue.mount(host);
      }
    }),
  );
}

/** Mounts the widget on every `[data-accredit]` element not yet mounted;
 * hosts that add such elements later call it again. */
export async function mountAll() {
  const hosts = [...document.querySelectorAll(SELECTOR)];
  if (hosts.length === 0) return;
  for (const host of hosts) host.setAttribute("data-accredit-mounted", "");
  await mountHosts(hosts);
}

/** `<accredit-registration endpoint event lang>`: the widget in a shadow
 * root with its own styles, so the page's CSS cannot reach in and the
 * widget's cannot leak out. */
class AccreditRegistration extends HTMLElement {
  static observedAttributes = ["lang"];

  /** A new `lang` re-renders the widget in that language; answers stay. */
  attributeChangedCallback(name, before, after) {
    const container = this.shadowRoot?.querySelector("[data-accredit-instance]");
    if (name === "lang" && after && before !== after && container) {
      load().then((glue) => glue.setLanguage(container, after));
    }
  }

  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: "open" });
    const container = document.createElement("div");
    for (const { name, value } of this.attributes) {
      if (["endpoint", "event", "lang", "config"].includes(name)) {
        container.setAttribute(`data-${name}`, value);
      } else if (name.startsWith("data-prefill-")) {
        container.setAttribute(name, value);
      }
    }
    root.append(container);
    mountHosts([container]);
  }
}

if (!customElements.get("accredit-registration")) {
  customElements.define("accredit-registration", AccreditRegistration);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", mountAll, { once: true });
} else {
  mountAll();
}
