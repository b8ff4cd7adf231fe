// The "E-mail for the meeting link" form of an event page: seals {address, login, event} to the
// site's public key with libsodium.js (served from this site, next to this script) and opens
// the register issue form with the sealed text in its contact field. The address is never sent
// anywhere in clear. Without this script the form stays hidden and the command is explained.
(function () {
  "use strict";

  // The same rules as signupsheet/core/sealed_contact.py: one plain address, a GitHub login.
  var ADDRESS = /^[A-Za-z0-9.!#$%&'*+\/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
  var LOGIN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
  var here = document.currentScript ? document.currentScript.src : "";

  function load(name) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = new URL(name, here).href;
      script.onload = resolve;
      script.onerror = function () { reject(new Error(name + " did not load")); };
      document.head.appendChild(script);
    });
  }

  var sodiumReady = null;
  function sodium() {
    if (!sodiumReady) {
      sodiumReady = load("libsodium.js")
        .then(function () { return load("libsodium-wrappers.js"); })
        .then(function () { return window.sodium.ready; })
        .then(function () { return window.sodium; });
    }
    return sodiumReady;
  }

  function seal(lib, key, payload) {
    var raw = lib.from_base64(key, lib.base64_variants.ORIGINAL);
    var box = lib.crypto_box_seal(lib.from_string(payload), raw);
    return lib.to_base64(box, lib.base64_variants.ORIGINAL);
  }

  function setUp(form) {
    var error = form.querySelector(".ss-seal-error");
    var address = form.querySelector("input[name=address]");
    var login = form.querySelector("input[name=login]");
    form.hidden = false;
    var note = form.nextElementSibling;
    if (note && note.classList.contains("ss-seal-nojs")) { note.hidden = true; }
    sodium().catch(function () {});  // start loading early; errors are shown on submit

    function refuse(field, text) {
      error.textContent = text;
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }

    form.addEventListener("submit", function (submitted) {
      submitted.preventDefault();
      error.textContent = "";
      address.removeAttribute("aria-invalid");
      login.removeAttribute("aria-invalid");
      var given = address.value.trim();
      var user = login.value.trim().replace(/^@/, "");
      if (given.length > 254 || !ADDRESS.test(given)) {
        refuse(address, "E-mail for the meeting link: give one address, like name@example.org, " +
          "without a name or spaces.");
        return;
      }
      if (!LOGIN.test(user)) {
        refuse(login, "Your GitHub login: give the name you sign in to GitHub with (letters, " +
          "digits and hyphens), the account that will open the registration.");
        return;
      }
      var payload = JSON.stringify({ address: given, login: user, event: form.dataset.event });
      sodium().then(function (lib) {
        var sealed = seal(lib, form.dataset.key, payload);
        var url = form.dataset.form + "&" + form.dataset.field + "=" + encodeURIComponent(sealed);
        window.location.assign(url);
      }).catch(function () {
        error.textContent = "Your address could not be sealed in this browser. Use the command " +
          "signupsheet seal-contact instead, or register without an address.";
      });
    });
  }

  var forms = document.querySelectorAll("form[data-ss-seal]");
  for (var i = 0; i < forms.length; i++) { setUp(forms[i]); }
})();
