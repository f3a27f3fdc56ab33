// The staff work area: small helpers on top of htmx; every page works without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-fill-name]");
  if (!button) return;
  // A returning constituent: fill name and address from their last visit, keep typing.
  const name = document.getElementById("id_constituent_name");
  const address = document.getElementById("id_constituent_address");
  if (name && !name.value) name.value = button.dataset.fillName;
  if (address && !address.value) address.value = button.dataset.fillAddress;
  (name || button).focus();
});

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
  // A printed page is opened from several pages: back to whichever it was (its link,
  // without JavaScript, goes to "my work").
  if (event.target.closest("[data-back]") && history.length > 1) {
    event.preventDefault();
    history.back();
  }
});
