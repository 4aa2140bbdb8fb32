// Marks the page as running scripts before it is drawn, so that the stylesheet keeps the menu and the language
// links visible to people without JavaScript (the design system opens them with scripts).
document.documentElement.classList.add('js');

// A form sent back with errors: its summary takes the focus (a screen reader reads it first) and the page's title
// says so, as the French State's and WCAG's guidance ask.
document.addEventListener('DOMContentLoaded', function () {
  var summary = document.querySelector('.error-summary');
  if (summary) {
    if (summary.getAttribute('data-title-prefix')) {
      document.title = summary.getAttribute('data-title-prefix') + document.title;
    }
    summary.focus();
  }
});
