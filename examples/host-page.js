// The host page's own script: it records what the widgets tell it.
window.accreditEvents = [];
for (const type of ["accredit:ready", "accredit:submitted", "accredit:error"]) {
  document.addEventListener(type, (event) => {
    window.accreditEvents.push({ type, target: event.target.id, detail: event.detail });
  });
}
