// The relay's offline page, enhanced: the request from the QR code's URL fragment is filled
// in (the fragment never reaches a server), and the file downloads without leaving the page.
// Without scripts the form posts to /offline and the answer is the file itself. Its words
// come translated in the form's data-* attributes.
(function () {
  "use strict";
  var form = document.getElementById("offline-form");
  var request = document.getElementById("request");
  var key = document.getElementById("key");
  var submit = document.getElementById("submit");
  var error = document.getElementById("error");
  var done = document.getElementById("done");
  var match = /(?:^#|&)r=([^&]+)/.exec(window.location.hash);
  if (match) {
    if (!request.value) request.value = decodeURIComponent(match[1]);
    // Keep the request out of the address bar, history and anything copied from it.
    window.history.replaceState(null, "", window.location.pathname);
    key.focus();
  }

  function show(region, text) {
    region.textContent = text;
    region.hidden = false;
    region.focus();
  }

  function finished(body) {
    var data = body.data;
    var blob = new Blob([data.license], { type: "application/octet-stream" });
    var link = document.getElementById("download");
    link.href = URL.createObjectURL(blob);
    link.setAttribute("download", data.fileName);
    document.getElementById("done-text").textContent =
      form.dataset.until.replace("{date}", data.expiresText);
    form.hidden = true;
    error.hidden = true;
    done.hidden = false;
    done.focus();
    link.click();
  }

  form.addEventListener("submit", function (event) {
    if (!window.fetch || !window.Blob || !window.URL || !window.URLSearchParams) return;
    event.preventDefault();
    if (!request.value.trim() || !key.value.trim()) {
      show(error, form.dataset.missing);
      return;
    }
    submit.disabled = true;
    error.hidden = true;
    fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form)),
      credentials: "omit",
      cache: "no-store",
    })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (body && body.data && body.data.license) finished(body);
        else show(error, (body && body.error) || form.dataset.failed);
      })
      .catch(function () {
        show(error, form.dataset.offline);
      })
      .then(function () { submit.disabled = false; });
  });
})();
