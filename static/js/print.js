// A public printable page (the station's poster): its print button, without an inline
// handler, which the Content-Security-Policy blocks.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
