/* The epay simulator's widget: the same entry point as Halyk's payment-api.js, halyk.showPaymentWidget(payment,
   callback). It shows the amount with Pay and Decline; the simulated bank then posts its callback to postLink or
   failurePostLink (server to server, secret_hash echoed), and the page calls callback({success}) and goes on to
   backLink or failureBackLink. No money is ever taken. */
(function () {
  "use strict";
  var LABELS = __LABELS__;
  var script = document.currentScript;
  var base = script ? script.src.replace(/payment-api\.js(\?.*)?$/, "") : "";

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    return node;
  }

  function showPaymentWidget(payment, callback) {
    var labels = LABELS[payment.language] || LABELS.rus;
    var overlay = el("div");
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", "epay-simulator-title");
    overlay.id = "epay-simulator";
    Object.assign(overlay.style, {
      position: "fixed", inset: "0", background: "rgba(0,0,0,.55)", display: "flex",
      alignItems: "center", justifyContent: "center", zIndex: "10000",
    });
    var box = el("div");
    Object.assign(box.style, {
      background: "#fff", color: "#111", padding: "1.5rem", borderRadius: "8px", maxWidth: "22rem",
      width: "90%", fontFamily: "system-ui, sans-serif",
    });
    var title = el("h2", labels.title);
    title.id = "epay-simulator-title";
    var note = el("p", labels.note);
    var description = el("p", payment.description || "");
    var amount = el("p", labels.amount + ": " + payment.amount + " " + payment.currency);
    amount.style.fontWeight = "bold";
    var message = el("p");
    message.setAttribute("role", "alert");
    var pay = el("button", labels.pay);
    var decline = el("button", labels.decline);
    pay.type = decline.type = "button";
    [pay, decline].forEach(function (b) { Object.assign(b.style, { minHeight: "44px", padding: "0 1.2rem" }); });
    pay.style.marginRight = "1rem";
    [title, note, description, amount, message, pay, decline].forEach(function (n) { box.appendChild(n); });
    overlay.appendChild(box);
    document.body.appendChild(overlay);
    pay.focus();

    function decide(decision) {
      pay.disabled = decline.disabled = true;
      var body = new URLSearchParams({
        invoiceId: payment.invoiceId,
        access_token: (payment.auth && payment.auth.access_token) || "",
        decision: decision,
        description: payment.description || "",
        language: payment.language || "",
      });
      fetch(base + "decide", { method: "POST", body: body })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          var success = !!answer.success;
          if (typeof callback === "function") callback({ success: success });
          window.location.href = success ? payment.backLink : payment.failureBackLink;
        })
        .catch(function () {
          message.textContent = labels.failed;
          if (typeof callback === "function") callback({ success: false });
          window.location.href = payment.failureBackLink;
        });
    }
    pay.addEventListener("click", function () { decide("pay"); });
    decline.addEventListener("click", function () { decide("decline"); });
  }

  window.halyk = window.halyk || {};
  window.halyk.showPaymentWidget = showPaymentWidget;
})();
