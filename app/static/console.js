// Console helpers: the classifier's suggestion and possible duplicates while the agent types.
// The page works without this script; it only adds hints.
(function () {
  "use strict";
  var form = document.getElementById("console-form");
  if (!form) return;
  var text = document.getElementById("c-description");
  var province = document.getElementById("c-province");
  var respondent = document.getElementById("c-respondent_name");
  var out = document.getElementById("suggestion");
  var similar = document.getElementById("similar");
  var token = form.querySelector("input[name=csrf_token]").value;
  var timer = null;

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify(body)
    }).then(function (r) { return r.ok ? r.json() : null; });
  }

  function body() {
    var b = {text: text.value};
    if (province.value) b.location = {province: province.value};
    if (respondent && respondent.value) b.respondent = {name: respondent.value};
    return b;
  }

  function refresh() {
    if (text.value.trim().length < 10) { out.textContent = ""; similar.textContent = ""; return; }
    post("/api/v1/classify", body()).then(function (r) {
      if (!r) { out.textContent = ""; return; }
      out.textContent = form.dataset.suggestLabel + " " + r.category + " (" + Math.round(r.confidence * 100) +
        "%) → " + r.division.name + (r.mode === "triage" ? " · " + form.dataset.triageLabel : "");
    });
    post("/api/v1/cases/similar", body()).then(function (r) {
      similar.textContent = "";
      if (!r) return;
      r.items.forEach(function (c) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "/staff/cases/" + c.id;
        a.textContent = c.tracking_code;
        li.appendChild(document.createTextNode(form.dataset.similarLabel + " "));
        li.appendChild(a);
        li.appendChild(document.createTextNode(" " + (c.subject || "") + " (" + Math.round(c.score * 100) + "%)"));
        similar.appendChild(li);
      });
    });
  }

  [text, province, respondent].forEach(function (el) {
    if (el) el.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
  });
})();
