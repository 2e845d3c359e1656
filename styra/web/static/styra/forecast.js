/* The forecast form: totals and deviations follow what is typed, the comment requirement
   shows as soon as a row passes the threshold, and "fill empty rows" fills only empty
   inputs in the page (never what was typed). Without script the server does the same
   when the form is saved. Amounts typed in tkr; budget in kronor (data-budget). */
(function () {
  "use strict";
  var nf = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 0 });
  function parse(text) {
    var t = (text || "").replace(/[\s\u00a0\u202f]/g, "").replace(/[\u2212\u2013]/g, "-").replace(",", ".");
    if (t === "" || t === "-") return null;
    var v = Number(t);
    return isFinite(v) ? v : NaN;
  }
  function signed(v) { return (v > 0 ? "+" : "") + nf.format(v); }
  function setDeviation(cell, dev) {
    cell.classList.remove("dev-pos", "dev-neg");
    if (dev === null) { cell.textContent = ""; return; }
    var rounded = Math.round(dev);
    cell.textContent = signed(rounded);
    if (rounded > 0) cell.classList.add("dev-pos");
    if (rounded < 0) cell.classList.add("dev-neg");
    var hint = document.createElement("span");
    hint.className = "visually-hidden";
    hint.textContent = rounded > 0 ? " (bättre än budget)" : rounded < 0 ? " (sämre än budget)" : "";
    cell.appendChild(hint);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.forecast-form");
    if (!form) return;
    var threshold = parse(form.getAttribute("data-threshold"));
    var rows = Array.prototype.slice.call(form.querySelectorAll("tbody tr[data-budget]")).filter(
      function (tr) { return tr.querySelector(".col-forecast input[name^='prognos-']"); });
    if (!rows.length) return;  // read-only: nothing to follow
    function update() {
      var total = 0, budget = 0;
      rows.forEach(function (tr) {
        var b = Number(tr.getAttribute("data-budget")) / 1000;
        var input = tr.querySelector(".col-forecast input[name^='prognos-']");
        var v = parse(input.value);
        budget += b;
        total += (v === null || isNaN(v)) ? b : v;
        var dev = (v === null || isNaN(v)) ? null : v - b;
        setDeviation(tr.querySelector("td.col-deviation"), dev);
        var comment = tr.querySelector("textarea");
        var note = tr.querySelector(".comment-required");
        var needs = threshold !== null && dev !== null && Math.abs(dev * 1000) > threshold && comment.value.trim() === "";
        tr.classList.toggle("needs-comment", needs);
        if (note) note.classList.toggle("is-hidden", !needs);
        if (needs) comment.setAttribute("aria-invalid", "true"); else comment.removeAttribute("aria-invalid");
      });
      var t = form.querySelector(".total-forecast"), d = form.querySelector(".total-deviation");
      if (t) t.textContent = nf.format(Math.round(total));
      if (d) d.textContent = signed(Math.round(total - budget));
    }
    form.addEventListener("input", update);
    Array.prototype.forEach.call(form.querySelectorAll("button[data-fill]"), function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var key = button.getAttribute("data-fill");
        var filled = 0;
        rows.forEach(function (tr) {
          var input = tr.querySelector(".col-forecast input[name^='prognos-']");
          if (input.value.trim() === "" && !input.readOnly) {
            input.value = input.getAttribute("data-" + key) || "";
            filled += 1;
          }
        });
        update();
        var status = document.querySelector(".fill-status") || document.createElement("p");
        status.className = "fill-status";
        status.setAttribute("role", "status");
        status.textContent = filled + " tomma rader fyllda med förslaget; spara när du har justerat.";
        button.parentNode.after(status);
      });
    });
  });
})();
