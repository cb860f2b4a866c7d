"""The referral chain and a referral's life: which level a referral goes to, and which step may follow which.

Source: ILP.md §1.3-§1.5 (pustu and posyandu refer onward to the puskesmas, the puskesmas to the FKRTL;
the kader refers from the posyandu) and the Juknis follow-up rows "rujuk ke puskesmas / FKTL" of each
screening (e.g. `docs/ILP/03-klaster-3/01-seluruh-sasaran/01-skrining-penyakit/02-skrining-hipertensi.mdx`,
`docs/PKG/01-pkg-ultah/01-pkg-balita-as/01-pertumbuhan.mdx`); rujuk balik (back-referral) returns the
person to primary care, where the follow-up closes the referral.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum, StrEnum


class Level(IntEnum):
    """The chain, lowest first; the value orders it."""

    POSYANDU = 1
    PUSTU = 2
    PUSKESMAS = 3
    HOSPITAL = 4


LEVEL_CODES = {
    Level.POSYANDU: "posyandu",
    Level.PUSTU: "pustu",
    Level.PUSKESMAS: "puskesmas",
    Level.HOSPITAL: "hospital",
}
LEVELS_BY_CODE = {code: level for level, code in LEVEL_CODES.items()}


class Status(StrEnum):
    SENT = "sent"
    RECEIVED = "received"
    HANDLED = "handled"
    REFERRED_BACK = "referred_back"
    FOLLOWED_UP = "followed_up"
    CANCELLED = "cancelled"


# Which step may follow which. A referral handled at its destination without a back-referral (a pustu
# sending to the puskesmas, treated there) is followed up directly; only a sent one may be cancelled.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.SENT: frozenset({Status.RECEIVED, Status.CANCELLED}),
    Status.RECEIVED: frozenset({Status.HANDLED}),
    Status.HANDLED: frozenset({Status.REFERRED_BACK, Status.FOLLOWED_UP}),
    Status.REFERRED_BACK: frozenset({Status.FOLLOWED_UP}),
    Status.FOLLOWED_UP: frozenset(),
    Status.CANCELLED: frozenset(),
}
OPEN = frozenset({Status.SENT, Status.RECEIVED, Status.HANDLED, Status.REFERRED_BACK})


def may_follow(current: str, new: str) -> bool:
    """Whether `new` may be recorded after `current` (the state machine above)."""
    return Status(new) in TRANSITIONS[Status(current)]


def is_open(status: str) -> bool:
    """An open referral still needs someone to act: it is on the home-visit worklist until followed up."""
    return Status(status) in OPEN


def suggested_level(*, from_level: str, needed: Iterable[str]) -> str | None:
    """Where to refer: the highest level the flags need (each flag names one), never at or below `from_level`.

    A flag needing the pustu raised at the pustu needs no referral (None). Flags needing a higher level
    than the next step still go up the chain one facility at a time only when the guideline says so; the
    Juknis lets the posyandu refer straight to the puskesmas (e.g. hypertension) and the puskesmas to the
    FKRTL, so the suggestion is the needed level itself.
    """
    start = LEVELS_BY_CODE[from_level]
    levels = [LEVELS_BY_CODE[n] for n in needed]
    target = max(levels, default=None)
    if target is None or target <= start:
        return None
    return LEVEL_CODES[target]


def next_level(from_level: str) -> str | None:
    """The level one step up the chain from `from_level` (None above the hospital)."""
    start = LEVELS_BY_CODE[from_level]
    return LEVEL_CODES.get(Level(start + 1)) if start < Level.HOSPITAL else None
