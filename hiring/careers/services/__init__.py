"""Writes of the careers domain: postings (`postings`), applying (`applying`)."""
