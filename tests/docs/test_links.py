"""The README and docs/ lead somewhere: every link inside the repository names a file that is
there and, with ``#anchor``, a heading of that file; nothing points outside the repository."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: ``[text](target)`` and ``![alt](target)``; a target has no spaces.
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation but ``-`` and ``_`` dropped,
    spaces as ``-``."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {_slug(heading) for heading in headings}


def _links(path: Path) -> list[str]:
    return LINK.findall(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_link_in_the_repository_leads_to_a_file_and_heading(document):
    broken = []
    for target in _links(document):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        name, _, anchor = target.partition("#")
        path = (document.parent / name).resolve() if name else document
        if not path.is_relative_to(ROOT) or not path.exists():
            broken.append(f"{target}: no such file in the repository")
        elif anchor and anchor not in _anchors(path):
            broken.append(f"{target}: no heading '{anchor}' in {path.name}")
    assert not broken, f"{document.name}: " + "; ".join(broken)


def test_the_readme_leads_to_every_document():
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in _links(DOCUMENTS[0])}
    assert set(DOCUMENTS[1:]) <= linked, "a document in docs/ that the README does not name"
