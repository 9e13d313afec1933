"""A committee's memory: every judged cell kept, quarter after quarter, in a database (SQLite or PostgreSQL).

schema.py the tables; migrations/ Alembic's revisions of them; db.py opening a store (where, settings,
version, failures as words); save.py a judged cell as a run record and its one-transaction save; queries.py
history read back (a cell's rules quarter by quarter, a committee's cells); transfer.py export and import as
JSON Lines; views.py history as a Document and as JSON; messages.py the words, Vietnamese and English.

The store reads findings (plain data every renderer shares) and names no plan's kinds or fields.
"""
