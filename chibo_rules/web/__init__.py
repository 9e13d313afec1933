"""`chibo serve`: pages rendered on the server for people who never open a terminal.

Modules, each one job:
- app.py      — the Starlette application: routes for a cell, a plan and a committee; pages from templates/.
- guard.py    — sessions (signed cookies), the CSRF token on every form, who is logged in, login and logout.
- accounts.py — accounts (argon2-hashed passwords), roles and what each may see, the rate limit on logins,
                the audit log of hand-ins and downloads.
- uploads.py  — uploads are hostile until read: limits before reading, zip checks, content-addressed keeping.
- pages.py    — what every page shares: the site's state, the user's language, templates, refusals, who may see.
- work.py     — loading a kept workbook, judging it with jobs/, rendering with report/ (no HTTP here).
- plan.py     — plan drafting: the document -> the draft's review table -> apply -> the plan's workbook.
- committee.py — many workbooks -> the roll-up worst first -> history from the store -> the Word report.
- messages.py — the pages' words, Vietnamese and English.

The pages call the same jobs and renderers as the command line (jobs/, report/); nothing here judges a cell.
"""
