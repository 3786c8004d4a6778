/* The booking's payment step: opens the bank's widget (Halyk epay's payment-api.js, or the demo's simulated bank)
   with the payment object the page carries as JSON, then goes on to the paid/ or failed/ page. Without JavaScript
   the page says what to do instead. */
(function () {
  "use strict";
  var data = document.getElementById("booking-payment-data");
  var box = document.getElementById("booking-pay");
  var button = document.getElementById("booking-pay-button");
  if (!data || !box || !button) return;
  var payment = JSON.parse(data.textContent);

  if (!window.halyk || typeof window.halyk.showPaymentWidget !== "function") {
    var unavailable = document.getElementById("booking-pay-unavailable");
    if (unavailable) unavailable.hidden = false;
    return;
  }
  box.hidden = false;
  button.addEventListener("click", function () {
    window.halyk.showPaymentWidget(payment, function (result) {
      window.location.href = result && result.success ? payment.backLink : payment.failureBackLink;
    });
  });
})();
