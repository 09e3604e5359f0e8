// accredit.js — the loader a host page includes with one script tag.
//
// It finds the widget's files next to itself (import.meta.url), so the host
// configures no paths, then mounts the widget on every element marked
// `data-accredit`. The glue code, the WebAssembly module and each event's
// configuration are requested at once, in parallel, before anything runs.
// The stylesheet travels inside the glue module (`STYLES`) and is adopted as
// a constructed stylesheet, so it costs no request of its own and needs no
// 'unsafe-inline' in the host's CSP.
//
// The host pins this file with Subresource Integrity; this file pins every
// file it loads in turn (SHA-384, written in by `cargo xtask dist`), so a
// changed file on the widget's origin is refused rather than run: fetches
// carry `integrity`, and a module is preloaded with its integrity before
// it is imported (import() itself takes none).
// The placeholders are filled in by `cargo xtask dist`.
const here = (name) => new URL(name, import.meta.url).href;
const GLUE = { url: here("__ACCREDIT_GLUE__"), integrity: "__ACCREDIT_GLUE_INTEGRITY__" };
const WASM = { url: here("__ACCREDIT_WASM__"), integrity: "__ACCREDIT_WASM_INTEGRITY__" };
// The module again as a script, and each language's catalogue as JSON and
// as a script; a catalogue is loaded only when its language is spoken.
const WASM_SCRIPT = {
  url: here("__ACCREDIT_WASM_SCRIPT__"),
  integrity: "__ACCREDIT_WASM_SCRIPT_INTEGRITY__",
};
// { lang: { json: [name, integrity], script: [name, integrity] } }
const CATALOGUES = "__ACCREDIT_CATALOGUES__";
// `accredit.js?load=script`: every widget file arrives as a script, for host
// pages whose CSP lets the widget's origin serve scripts (script-src) but
// not answer fetches (connect-src).
const SCRIPT_ONLY = new URL(import.meta.url).searchParams.get("load") === "script";

/** The response for `file`, refused unless its bytes match its hash. */
function fetchPinned(file) {
  return fetch(file.url, { integrity: file.integrity }).then((res) =>
    res.ok ? res : Promise.reject(new Error(`${file.url}: ${res.status}`)),
  );
}

const preloads = new Map();
/** Imports the module at `file.url` once its bytes have matched its hash:
 * a `modulepreload` link carries the integrity and fills the module map,
 * which the import() that follows then reads. */
function importPinned(file) {
  // Browsers without modulepreload (Safari before 17) never answer the
  // link; they import unpinned, protected by the loader's own pin alone.
  if (!document.createElement("link").relList.supports("modulepreload")) return import(file.url);
  let preload = preloads.get(file.url);
  if (!preload) {
    preload = new Promise((resolve, reject) => {
      const link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = file.url;
      link.integrity = file.integrity;
      link.crossOrigin = "anonymous";
      link.onload = resolve;
      link.onerror = () => reject(new Error(`${file.url} failed its integrity check or did not load`));
      document.head.append(link);
    });
    preloads.set(file.url, preload);
  }
  return preload.then(() => import(file.url));
}

function moduleBytes() {
  if (!SCRIPT_ONLY) return fetchPinned(WASM); // compiled as it is checked
  return importPinned(WASM_SCRIPT).then(({ default: base64 }) =>
    Uint8Array.fromBase64 ? Uint8Array.fromBase64(base64) : Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
  );
}

/** The catalogue of `lang` as JSON text (the widget calls this). */
function loadCatalogue(lang) {
  const file = CATALOGUES[lang];
  if (!file) return Promise.reject(new Error(`no catalogue for ${lang}`));
  const [name, integrity] = SCRIPT_ONLY ? file.script : file.json;
  const pinned = { url: here(name), integrity };
  if (SCRIPT_ONLY) return importPinned(pinned).then((m) => JSON.stringify(m.default));
  return fetchPinned(pinned).then((res) => res.text());
}

// Shown in the element when the widget cannot start: its own words are in
// the files that failed, so the loader carries this one sentence itself.
const NOT_LOADED = {
  en: "The registration form could not be loaded: a file did not arrive, or arrived changed. Check your connection and reload the page; if this happens again, contact the conference secretariat.",
  fr: "Le formulaire d’inscription n’a pas pu être chargé : un fichier n’est pas arrivé, ou est arrivé modifié. Vérifiez votre connexion et rechargez la page ; si le problème persiste, contactez le secrétariat de la conférence.",
  es: "No se pudo cargar el formulario de inscripción: un archivo no llegó o llegó modificado. Compruebe su conexión y vuelva a cargar la página; si vuelve a ocurrir, póngase en contacto con la secretaría de la conferencia.",
  ru: "Не удалось загрузить регистрационную форму: один из файлов не был получен или был получен в измененном виде. Проверьте подключение к интернету и перезагрузите страницу; если это повторится, обратитесь в секретариат конференции.",
  zh: "无法加载注册表：有文件未送达，或送达时已被更改。请检查网络连接并重新加载页面；如问题再次出现，请联系会议秘书处。",
  ar: "تعذّر تحميل استمارة التسجيل: لم يصل أحد الملفات، أو وصل بعد تغييره. تحقّق من اتصالك وأعد تحميل الصفحة؛ وإذا تكرر ذلك، فاتصل بأمانة المؤتمر.",
};

/** The host's language (its `lang`, inherited from the page), if the
 * loader has the sentence in it; else English. */
function notLoaded(host) {
  const element = host.getRootNode().host ?? host;
  const tag = element.closest("[lang]")?.getAttribute("lang") ?? "";
  const lang = tag.split(/[-_]/)[0].toLowerCase();
  return { lang: NOT_LOADED[lang] ? lang : "en", text: NOT_LOADED[lang] ?? NOT_LOADED.en };
}

const SELECTOR = "[data-accredit]:not([data-accredit-mounted])";

let widget;
function load() {
  // Streaming compilation starts as soon as the first bytes arrive.
  widget ??= Promise.all([importPinned(GLUE), moduleBytes()]).then(async ([glue, wasm]) => {
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
      const { lang, text } = notLoaded(host);
      const message = document.createElement("p");
      message.className = "accredit-not-loaded";
      message.lang = lang;
      message.dir = lang === "ar" ? "rtl" : "ltr";
      message.textContent = text;
      host.replaceChildren(message);
      host.setAttribute("role", "alert");
    }
    // Let a later call (a retry, another element) try again.
    widget = undefined;
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
