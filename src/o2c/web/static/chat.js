// Clears the chat form after a turn was answered (kept out of the page so the CSP needs no inline script).
document.addEventListener("htmx:afterRequest", function (event) {
  var form = document.getElementById("chat-form");
  if (form && event.detail.elt === form && event.detail.successful) {
    form.reset();
  }
});
