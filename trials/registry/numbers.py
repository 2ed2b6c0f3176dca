"""Registry numbers in a ClinicalTrials.gov record: the form of an NCT number, and the
EudraCT, EU CT, ISRCTN and IRAS numbers found among the sponsor's and secondary ids.
Pure Python: no Django."""

from __future__ import annotations

import re

from trials.registry.reader import Reader

NCT_RE = re.compile(r"NCT\d{8}", re.ASCII)
_EUCT_RE = re.compile(r"(?<![\d-])(\d{4}-\d{6}-\d{2}-\d{2})(?![\d-])", re.ASCII)
_EUDRACT_RE = re.compile(r"(?<![\d-])(\d{4}-\d{6}-\d{2})(?![\d-])", re.ASCII)
_ISRCTN_RE = re.compile(r"(?<![A-Za-z])ISRCTN\s*(\d{8})(?!\d)", re.IGNORECASE | re.ASCII)
_IRAS_LABEL_RE = re.compile(r"\bIRAS\b|integrated research application system", re.IGNORECASE)
_IRAS_ID_RE = re.compile(
    r"(?:IRAS\s*(?:ID|number|no\.?)?\s*[:#]?\s*)?(\d{3,8})", re.IGNORECASE | re.ASCII
)


def other_ids(r: Reader, ident: dict, path: str) -> list[tuple[str, str]]:
    """EudraCT, EU CT, ISRCTN and IRAS numbers among the organisation's and secondary ids."""
    candidates: list[tuple[str, str]] = []  # (id, "type domain")
    org = r.dict(ident, "orgStudyIdInfo", f"{path}.orgStudyIdInfo")
    org_id = r.str(org, "id", f"{path}.orgStudyIdInfo.id")
    if org_id:
        candidates.append((org_id, r.str(org, "type", f"{path}.orgStudyIdInfo.type")))
    for item_path, item in r.dicts(ident, "secondaryIdInfos", f"{path}.secondaryIdInfos"):
        value = r.str(item, "id", f"{item_path}.id")
        if value:
            label = " ".join(
                (
                    r.str(item, "type", f"{item_path}.type"),
                    r.str(item, "domain", f"{item_path}.domain"),
                )
            )
            candidates.append((value, label))

    found: list[tuple[str, str]] = []
    for value, label in candidates:
        kind_value = classify_id(value, label)
        if kind_value and kind_value not in found:
            found.append(kind_value)
    return found


def classify_id(value: str, label: str) -> tuple[str, str] | None:
    if m := _EUCT_RE.search(value):
        return "EUCT", m.group(1)
    if m := _EUDRACT_RE.search(value):
        return "EUDRACT", m.group(1)
    if m := _ISRCTN_RE.search(value):
        return "ISRCTN", "ISRCTN" + m.group(1)
    says_iras = _IRAS_LABEL_RE.search(label) or re.match(r"\s*IRAS\b", value, re.IGNORECASE)
    if says_iras and (m := _IRAS_ID_RE.fullmatch(value.strip())):
        return "IRAS", m.group(1)
    return None
