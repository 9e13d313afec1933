"""`chibo review`: the year-end (or quarterly) review of a cell and its proposed rating (issue 24)."""
