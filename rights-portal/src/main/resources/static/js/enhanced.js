// Marks the page as running scripts before it is drawn, so that the stylesheet keeps the menu and the language
// links visible to people without JavaScript (the design system opens them with scripts).
document.documentElement.classList.add('js');
