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

// Each form on the page carries a one-time token (_once): the server makes a form sent
// twice — a double click, a resend after a timeout — once (liaison/base/idempotency.py).
// A page shown again from the back-forward cache gets fresh tokens: sending it again
// then is a new intention, not a repeat.
function onceToken() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);  // unlike randomUUID, also on plain-http intranets
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function stampForms(root, fresh) {
  root.querySelectorAll('form[method="post" i]').forEach((form) => {
    let field = form.querySelector('input[name="_once"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "_once";
      form.append(field);
    } else if (!fresh) {
      return;
    }
    field.value = onceToken();
  });
}

document.addEventListener("DOMContentLoaded", () => stampForms(document, false));
document.addEventListener("htmx:load", (event) => stampForms(event.target, false));
window.addEventListener("pageshow", (event) => {
  if (event.persisted) stampForms(document, true);
});
