// accredit-organiser.js — the loader of the organiser view, a bundle of its
// own so delegates never download it.
//
//   <script type="module" src=".../accredit-organiser.js"></script>
//   <accredit-organiser endpoint="https://api.example.org/api/v1" event="…">
//
// It finds its files next to itself (import.meta.url). The placeholders are
// filled in by `cargo xtask dist`.
//
// The page pins this file with Subresource Integrity; this file pins every
// file it loads in turn (SHA-384), so a changed file on the origin is
// refused rather than run with an organiser's token: the module and the
// catalogues are fetched with `integrity`, the stylesheets linked with it,
// and the glue preloaded with it before it is imported.
const here = (name) => new URL(name, import.meta.url).href;
const GLUE = { url: here("__ORGANISER_GLUE__"), integrity: "__ORGANISER_GLUE_INTEGRITY__" };
const WASM = { url: here("__ORGANISER_WASM__"), integrity: "__ORGANISER_WASM_INTEGRITY__" };
const CSS = { url: here("__ORGANISER_CSS__"), integrity: "__ORGANISER_CSS_INTEGRITY__" };
const PAGE_CSS = { url: here("__ORGANISER_PAGE_CSS__"), integrity: "__ORGANISER_PAGE_CSS_INTEGRITY__" };
// Every language but English (compiled in): { lang: [file, integrity] },
// fetched only when an organiser reads that language.
const CATALOGUES = "__ORGANISER_CATALOGUES__";

/** The response for `file`, refused unless its bytes match its hash. */
function fetchPinned(file) {
  return fetch(file.url, { integrity: file.integrity }).then((r) =>
    r.ok ? r : Promise.reject(new Error(`${file.url}: ${r.status}`)),
  );
}

/** Imports the module once a `modulepreload` link has checked its hash
 * (import() takes no integrity of its own); browsers without
 * modulepreload import it covered by the loader's own pin alone. */
function importPinned(file) {
  if (!document.createElement("link").relList.supports("modulepreload")) return import(file.url);
  return new Promise((resolve, reject) => {
    const link = document.createElement("link");
    link.rel = "modulepreload";
    link.href = file.url;
    link.integrity = file.integrity;
    link.crossOrigin = "anonymous";
    link.onload = resolve;
    link.onerror = () => reject(new Error(`${file.url} failed its integrity check or did not load`));
    document.head.append(link);
  }).then(() => import(file.url));
}

/** A stylesheet link that only applies if its bytes match its hash. */
function pinnedStylesheet(file) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = file.url;
  link.integrity = file.integrity;
  link.crossOrigin = "anonymous";
  return link;
}

function loadCatalogue(lang) {
  const entry = CATALOGUES[lang];
  if (!entry) return Promise.reject(new Error(`no catalogue for ${lang}`));
  const [name, integrity] = entry;
  return fetchPinned({ url: here(name), integrity }).then((r) => r.text());
}

let organiser;
function load() {
  organiser ??= Promise.all([importPinned(GLUE), fetchPinned(WASM)]).then(async ([glue, wasm]) => {
    await glue.default({ module_or_path: wasm });
    return glue;
  });
  // Let a later element try again after a failure.
  organiser.catch(() => {
    organiser = undefined;
  });
  return organiser;
}

/** The printed page size (`@page`, A4) only applies from the document. */
function addPageStylesheet() {
  if (document.querySelector(`link[href="${PAGE_CSS.url}"]`)) return;
  document.head.append(pinnedStylesheet(PAGE_CSS));
}

/** `<accredit-organiser endpoint event lang>`: the organiser view in a
 * shadow root with its own stylesheet; `lang` (else the page's, else the
 * browser's) chooses the interface's language. */
class AccreditOrganiser extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    addPageStylesheet();
    const root = this.attachShadow({ mode: "open" });
    const sheet = pinnedStylesheet(CSS);
    const container = document.createElement("div");
    container.className = "org-root";
    root.append(sheet, container);
    const styled = new Promise((done) => {
      sheet.onload = done;
      sheet.onerror = done;
    });
    Promise.all([load(), styled]).then(
      ([glue]) => glue.mount(container, this, loadCatalogue),
      (err) => {
        container.textContent = "The organiser view could not be loaded. Check your connection and reload the page.";
        container.setAttribute("role", "alert");
        this.dispatchEvent(new CustomEvent("accredit:error", { bubbles: true, composed: true, detail: { message: String(err) } }));
      },
    );
  }
}

if (!customElements.get("accredit-organiser")) {
  customElements.define("accredit-organiser", AccreditOrganiser);
}
