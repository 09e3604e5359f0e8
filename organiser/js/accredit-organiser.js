// accredit-organiser.js — the loader of the organiser view, a bundle of its
// own so delegates never download it.
//
//   <script type="module" src=".../accredit-organiser.js"></script>
//   <accredit-organiser endpoint="https://api.example.org/api/v1" event="…">
//
// It finds its files next to itself (import.meta.url). The placeholders are
// filled in by `cargo xtask dist`.
const here = (name) => new URL(name, import.meta.url).href;
const GLUE = here("__ORGANISER_GLUE__");
const WASM = here("__ORGANISER_WASM__");
const CSS = here("__ORGANISER_CSS__");
const PAGE_CSS = here("__ORGANISER_PAGE_CSS__");
// Every language but English (compiled in): { lang: "file.json" }, fetched
// only when an organiser reads that language.
const CATALOGUES = "__ORGANISER_CATALOGUES__";

function loadCatalogue(lang) {
  const name = CATALOGUES[lang];
  if (!name) return Promise.reject(new Error(`no catalogue for ${lang}`));
  return fetch(here(name)).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${r.status}`))));
}

let organiser;
function load() {
  organiser ??= Promise.all([import(GLUE), fetch(WASM)]).then(async ([glue, wasm]) => {
    await glue.default({ module_or_path: wasm });
    return glue;
  });
  return organiser;
}

/** The printed page size (`@page`, A4) only applies from the document. */
function addPageStylesheet() {
  if (document.querySelector(`link[href="${PAGE_CSS}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = PAGE_CSS;
  document.head.append(link);
}

/** `<accredit-organiser endpoint event lang>`: the organiser view in a
 * shadow root with its own stylesheet; `lang` (else the page's, else the
 * browser's) chooses the interface's language. */
class AccreditOrganiser extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    addPageStylesheet();
    const root = this.attachShadow({ mode: "open" });
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = CSS;
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
