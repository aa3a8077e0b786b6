"""The inspection pages: the list and its CSV, the detail page, and the results list."""
