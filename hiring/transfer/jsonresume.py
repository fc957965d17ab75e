"""JSON Resume (https://jsonresume.org/schema) to a candidate's fields: pure, no ORM.

What has a field of its own goes there (name, e-mail, phone, location, the website, the
GitHub profile, skills as tags); what has not is kept as readable text in the fields the
candidate page shows: work and projects in "shipped systems", education in degrees and
schools, certificates in certifications, project links in case studies. Nothing else in the
file is stored.
"""

from __future__ import annotations

from typing import Any

MAX_TAGS = 20
MAX_TAG_LENGTH = 40  # the import's rule (hiring.pipeline.services.imports): longer ones go to text
MAX_TEXT = 20_000  # each text field; a resume longer than this is cut, with a mark
MAX_CASE_STUDIES = 10


class ResumeError(ValueError):
    """The file is JSON but not a JSON Resume: the message says what is wrong."""


def is_resume(data: Any) -> bool:
    return isinstance(data, dict) and "basics" in data


def resume_fields(data: Any) -> tuple[dict[str, str], dict[str, Any]]:
    """The import columns (name, email, phone, location, portfolio_url, github_url, tags)
    and the other candidate fields (shipped_systems, degrees, schools, certifications,
    case_study_urls) one JSON Resume fills. Raises ResumeError on a wrong shape."""
    if not isinstance(data, dict):
        raise ResumeError("A JSON Resume is an object with a “basics” section.")
    basics = _section(data, "basics", dict)
    profiles = _list(basics, "profiles", "basics.profiles")
    github, others = _profiles(profiles)
    skills = [_text(s.get("name")) for s in _list(data, "skills", "skills") if _text(s.get("name"))]
    tags = [s for s in skills if len(s) <= MAX_TAG_LENGTH][:MAX_TAGS]
    rest = [s for s in skills if s not in tags]
    values = {
        "name": _text(basics.get("name")),
        "email": _text(basics.get("email")),
        "phone": _text(basics.get("phone")),
        "location": _location(basics.get("location")),
        "source": "",
        "portfolio_url": _text(basics.get("url") or basics.get("website")),
        "github_url": github,
        "tags": ", ".join(tag.replace(",", " ").replace(";", " ") for tag in tags),
    }
    projects = _list(data, "projects", "projects")
    extras = {
        "shipped_systems": _cut(_shipped(basics, _list(data, "work", "work"), projects, others,
                                         rest)),
        "degrees": _cut("\n".join(_degrees(_list(data, "education", "education")))),
        "schools": _cut("\n".join(_schools(_list(data, "education", "education")))),
        "certifications": _cut("\n".join(_certificates(data))),
        "case_study_urls": [u for u in (_text(p.get("url")) for p in projects)
                            if u.startswith(("https://", "http://"))][:MAX_CASE_STUDIES],
    }  # fmt: skip
    return values, extras


def _section(data: dict[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        raise ResumeError(f"“{key}” should be an {'object' if kind is dict else 'list'}.")
    return value


def _list(data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ResumeError(f"“{where}” should be a list of objects.")
    return value


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return " ".join(str(value).split())


def _strings(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _location(value: Any) -> str:
    if isinstance(value, str):
        return _text(value)
    if not isinstance(value, dict):
        return ""
    parts = [_text(value.get(k)) for k in ("city", "region", "countryCode")]
    return ", ".join(p for p in parts if p)


def _profiles(profiles: list[dict[str, Any]]) -> tuple[str, list[str]]:
    github, others = "", []
    for profile in profiles:
        network = _text(profile.get("network"))
        url, username = _text(profile.get("url")), _text(profile.get("username"))
        if network.lower() == "github" and not github:
            github = url or (f"https://github.com/{username}" if username else "")
        elif url or username:
            others.append(f"{network or 'Profile'}: {url or username}")
    return github, others


def _period(item: dict[str, Any]) -> str:
    start, end = _text(item.get("startDate")), _text(item.get("endDate"))
    if not start and not end:
        return ""
    return f" ({start or '?'} – {end or 'now'})"


def _shipped(
    basics: dict[str, Any],
    work: list[dict[str, Any]],
    projects: list[dict[str, Any]],
    profiles: list[str],
    skills: list[str],
) -> str:
    blocks = []
    heading = " · ".join(p for p in (_text(basics.get("label")), _text(basics.get("summary"))) if p)
    if heading:
        blocks.append(heading)
    for job in work:
        place = _text(job.get("name") or job.get("company"))
        title = ", ".join(p for p in (_text(job.get("position")), place) if p)
        lines = [f"{title or 'Work'}{_period(job)}"]
        if _text(job.get("summary")):
            lines.append(_text(job.get("summary")))
        lines += [f"- {_text(h)}" for h in _strings(job.get("highlights")) if _text(h)]
        blocks.append("\n".join(lines))
    for project in projects:
        lines = [f"Project: {_text(project.get('name')) or 'untitled'}{_period(project)}"]
        if _text(project.get("description")):
            lines.append(_text(project.get("description")))
        lines += [f"- {_text(h)}" for h in _strings(project.get("highlights")) if _text(h)]
        blocks.append("\n".join(lines))
    if profiles:
        blocks.append("Profiles: " + "; ".join(profiles))
    if skills:
        blocks.append("More skills: " + ", ".join(skills))
    return "\n\n".join(blocks)


def _degrees(education: list[dict[str, Any]]) -> list[str]:
    found = []
    for item in education:
        degree = " in ".join(
            p for p in (_text(item.get("studyType")), _text(item.get("area"))) if p
        )
        if degree:
            found.append(f"{degree}{_period(item)}")
    return found


def _schools(education: list[dict[str, Any]]) -> list[str]:
    return [_text(item.get("institution")) for item in education if _text(item.get("institution"))]


def _certificates(data: dict[str, Any]) -> list[str]:
    found = []
    for item in _list(data, "certificates", "certificates"):
        name = _text(item.get("name"))
        if name:
            issuer = _text(item.get("issuer"))
            found.append(f"{name}{f' ({issuer})' if issuer else ''}")
    return found
