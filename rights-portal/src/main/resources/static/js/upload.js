// Progressive enhancement of the extract upload: a progress bar while the file is sent. Without this script the
// form posts normally and the browser shows its own progress.
(function () {
  var form = document.getElementById('upload-form');
  var bar = document.getElementById('upload-progress');
  var status = document.getElementById('upload-status');
  if (!form || !bar || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open('POST', form.action);
    request.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round(100 * e.loaded / e.total);
        status.textContent = bar.value + ' %';
      }
    });
    request.upload.addEventListener('load', function () {
      status.textContent = status.getAttribute('data-filtering');
    });
    request.addEventListener('load', function () {
      // the server answers with the delivery's page (after its redirect) or an error page
      if (request.status < 400 && request.responseURL) {
        window.location.assign(request.responseURL);
      } else {
        document.open();
        document.write(request.responseText);
        document.close();
      }
    });
    request.addEventListener('error', function () {
      status.textContent = status.getAttribute('data-failed');
    });
    bar.hidden = false;
    form.querySelector('button[type=submit]').disabled = true;
    request.send(new FormData(form));
  });
})();
