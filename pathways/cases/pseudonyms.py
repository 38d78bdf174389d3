"""Pseudonymous case ids, for reports that leave the team.

A case id is replaced by a keyed hash (HMAC-SHA256 with the user's key): the same id and
key always give the same pseudonym, so findings can be followed across reports, and
without the key the ids cannot be recovered by trying likely ones.
"""

from __future__ import annotations

import hmac
from dataclasses import replace

from pathways.cases.records import CaseBatch, Rejection

__all__ = ["pseudonymise"]


def pseudonymise(batch: CaseBatch, key: bytes) -> CaseBatch:
    """The batch with every case id replaced by a keyed hash (HMAC-SHA256), for sharing
    reports: the same id and key always give the same pseudonym, and without the key the
    ids cannot be recovered by trying likely ones."""

    def pseudonym(case_id: str) -> str:
        return "P-" + hmac.new(key, case_id.encode("utf-8"), "sha256").hexdigest()[:16]

    cases = [replace(record, case_id=pseudonym(record.case_id)) for record in batch.cases]
    rejected = [
        Rejection(
            r.source,
            pseudonym(r.case_id),
            r.message.replace(f"case {r.case_id}", f"case {pseudonym(r.case_id)}").replace(
                repr(r.case_id), repr(pseudonym(r.case_id))
            ),
        )
        for r in batch.rejected
    ]
    return CaseBatch(cases=cases, rejected=rejected)
