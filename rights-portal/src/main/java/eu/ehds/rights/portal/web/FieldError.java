package eu.ehds.rights.portal.web;

/** A form error for the error summary: the id of the field it links to, and the text in the page's language. */
public record FieldError(String field, String text) {
}
