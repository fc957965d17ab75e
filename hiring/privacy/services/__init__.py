"""Writes of the privacy domain: erasing a candidate (`erasure`), the retention sweep
(`retention`)."""
