// "Chọn tất cả": a checkbox with data-select-all="NAME" ticks or clears every checkbox named NAME
// in its form, and shows itself mixed when only some are ticked. Without JavaScript it stays
// hidden and each box is ticked by hand. (A file, not an inline script: the CSP allows 'self'.)
document.addEventListener("DOMContentLoaded", () => {
  for (const all of document.querySelectorAll("input[data-select-all]")) {
    const boxes = () => all.form.querySelectorAll(
      `input[type=checkbox][name="${all.dataset.selectAll}"]`);
    const sync = () => {
      const ticked = [...boxes()].filter((b) => b.checked).length;
      all.checked = ticked > 0 && ticked === boxes().length;
      all.indeterminate = ticked > 0 && ticked < boxes().length;
    };
    all.addEventListener("change", () => {
      for (const b of boxes()) b.checked = all.checked;
      all.indeterminate = false;
    });
    for (const b of boxes()) b.addEventListener("change", sync);
    sync();
    all.closest("[hidden]")?.removeAttribute("hidden");
  }
});
