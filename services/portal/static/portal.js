// Uploads straight from the browser to S3: the portal asks the API (through its own route) to
// register the document, then PUTs the bytes to the presigned URL exactly as the API returned it
// (upload_url, upload_method, upload_headers), with a progress bar. Nothing else needs JavaScript.
(function () {
  "use strict";
  var TYPES = ["application/pdf", "image/png", "image/jpeg"];
  var MAX = 10 * 1024 * 1024;

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  function contentType(file) {
    if (file.type) { return file.type === "image/jpg" ? "image/jpeg" : file.type; }
    var name = file.name.toLowerCase();
    if (/\.pdf$/.test(name)) { return "application/pdf"; }
    if (/\.png$/.test(name)) { return "image/png"; }
    if (/\.jpe?g$/.test(name)) { return "image/jpeg"; }
    return "";
  }

  function say(slot, text, isError) {
    var status = slot.querySelector(".upload-status");
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function refresh(container) {
    var url = "/portal/applications/" + container.dataset.application + "/documents";
    if (window.htmx) {
      htmx.ajax("GET", url, { target: "#documents", swap: "outerHTML" });
    } else {
      window.location.reload();
    }
  }

  function upload(container, slot, file) {
    var msgs = container.dataset;
    var type = contentType(file);
    if (TYPES.indexOf(type) < 0) { say(slot, msgs.msgWrongType, true); return; }
    if (file.size === 0) { say(slot, msgs.msgEmpty, true); return; }
    if (file.size > MAX) { say(slot, msgs.msgTooLarge, true); return; }
    var progress = slot.querySelector("progress");
    var body = { type: slot.dataset.type, filename: file.name, content_type: type, size_bytes: file.size,
                 idempotency_key: uuid() };
    if (slot.dataset.mentorIndex !== undefined) { body.mentor_index = parseInt(slot.dataset.mentorIndex, 10); }
    say(slot, msgs.msgUploading + "…", false);
    fetch("/portal/applications/" + container.dataset.application + "/documents", {
      method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": container.dataset.csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      if (!answer.ok) { say(slot, answer.data.error || msgs.msgFailed, true); return; }
      var ticket = answer.data;
      var xhr = new XMLHttpRequest();
      xhr.open(ticket.upload_method || "PUT", ticket.upload_url);
      var headers = ticket.upload_headers || {};
      Object.keys(headers).forEach(function (name) {
        // The browser sets Content-Length itself from the body; the signed value is the file's size.
        if (name.toLowerCase() !== "content-length" && name.toLowerCase() !== "host") { xhr.setRequestHeader(name, headers[name]); }
      });
      progress.hidden = false;
      progress.value = 0;
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { progress.value = Math.round(100 * e.loaded / e.total); } };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) { progress.value = 100; refresh(container); return; }
        progress.hidden = true;
        say(slot, msgs.msgFailed, true);
        forget(container, ticket.id);
      };
      xhr.onerror = function () { progress.hidden = true; say(slot, msgs.msgFailed, true); forget(container, ticket.id); };
      xhr.send(file);
    }).catch(function () { say(slot, msgs.msgFailed, true); });
  }

  // A registration whose bytes never arrived would block submission: remove it again.
  function forget(container, documentId) {
    var form = new URLSearchParams();
    form.set("csrf_token", container.dataset.csrf);
    fetch("/portal/applications/" + container.dataset.application + "/documents/" + documentId + "/delete", {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString()
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-upload] input[type=file]") || !input.files.length) { return; }
    var slot = input.closest("[data-upload]");
    var container = input.closest("#documents");
    upload(container, slot, input.files[0]);
  });
})();
