"""`chibo serve`: the web page for secretaries and committees (issue 23)."""
