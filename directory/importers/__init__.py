"""Importing meetings from the movements' own lists (BMLT, Meeting Guide, CSV) and keeping them in step.

- records.py: the Record every format produces, and the rules they share;
- bmlt.py, meeting_guide.py, csv_source.py: one mapping per format (documented in docs/import.md);
- fetch.py: downloading a source's URL safely;
- sync.py: applying records to meetings (create, update, conflicts, closing) and the runs of a Source.
"""
