"""Uploads for the import tests: CSV text of n rows, JSON Resume documents."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

HEADER = "name,email,phone,location,source,portfolio_url,github_url,tags\n"


def csv_rows(count: int, *, start: int = 0, domain: str = "example.org") -> str:
    return "".join(
        f"Person {n},person{n}@{domain},+1 555 {n:04d},Berlin,referral,,,ml; python\n"
        for n in range(start, start + count)
    )


def csv_file(text: str, name: str = "candidates.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def json_file(data: Any, name: str = "resume.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(data).encode(), content_type="application/json")


def resume(**basics: Any) -> dict[str, Any]:
    """A JSON Resume with every section the import reads (from the schema's sample)."""
    return {
        "basics": {
            "name": "Grace Hopper",
            "label": "Compiler engineer",
            "email": "grace@example.org",
            "phone": "+1 212 555 0100",
            "url": "https://grace.example.org",
            "summary": "Ships compilers people use.",
            "location": {"city": "New York", "region": "NY", "countryCode": "US"},
            "profiles": [
                {"network": "GitHub", "username": "ghopper", "url": "https://github.com/ghopper"},
                {"network": "LinkedIn", "url": "https://linkedin.example.com/in/grace"},
            ],
            **basics,
        },
        "work": [
            {
                "name": "Remington Rand",
                "position": "Senior mathematician",
                "startDate": "1949-01-01",
                "endDate": "1967-01-01",
                "summary": "Led the UNIVAC compiler team.",
                "highlights": ["Wrote the A-0 compiler", "Co-designed COBOL"],
            }
        ],
        "education": [
            {
                "institution": "Yale University",
                "area": "Mathematics",
                "studyType": "PhD",
                "startDate": "1930",
                "endDate": "1934",
            },
        ],  # fmt: skip
        "certificates": [{"name": "Naval Reserve", "issuer": "US Navy"}],
        "skills": [
            {"name": "Compilers"},
            {"name": "COBOL"},
            {"name": "A skill name far longer than forty characters in all"},
        ],  # fmt: skip
        "projects": [
            {
                "name": "FLOW-MATIC",
                "url": "https://flow-matic.example.org",
                "description": "The first English-like data processing language.",
            }
        ],  # fmt: skip
    }
