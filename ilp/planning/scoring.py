"""Priority-problem scoring: USG and Hanlon (ILP.md §5), pure functions.

- USG: Urgency, Seriousness and Growth, each on a 1-5 Likert scale; the total is U + S + G in most
  Indonesian teaching texts, some multiply (◐ `pdfcoffee.com/usg-perkesmas-pdf-free.html`,
  `123dok.com/id/docs/pdf-usg-imunisasi-compress.11264413`), so the aggregation is chosen per cycle
  (`Cycle.usg_aggregation`, named default "sum").
- Hanlon (Basic Priority Rating System): A = size, B = seriousness, C = effectiveness of the available
  solutions (0-10 each in the Indonesian versions); NPD = (A + B) x C; PEARL = P x E x A x R x L with
  each factor 1 or 0; NPT = NPD x PEARL; the highest NPT comes first (◐ `id.scribd.com/doc/270676474/Metode-Hanlon`).
The Juknis ILP (`docs/ILP/06-integrasi-fasker/index.mdx`) asks for priority problems but names no method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TypeVar

T = TypeVar("T")

USG_SUM = "sum"
USG_PRODUCT = "product"


def usg_total(u: int | None, s: int | None, g: int | None, aggregation: str = USG_SUM) -> int | None:
    """U + S + G (or U x S x G); None until all three are scored."""
    if u is None or s is None or g is None:
        return None
    for v in (u, s, g):
        if not 1 <= v <= 5:
            raise ValueError(f"USG scores are 1-5, got {v}")
    return u * s * g if aggregation == USG_PRODUCT else u + s + g


def hanlon_npd(a, b, c) -> Decimal | None:
    """Nilai Prioritas Dasar: (A + B) x C; None until A, B and C are scored."""
    if a is None or b is None or c is None:
        return None
    return (Decimal(str(a)) + Decimal(str(b))) * Decimal(str(c))


def pearl(p: bool, e: bool, a: bool, r: bool, l: bool) -> int:  # noqa: E741  (the L of PEARL)
    """1 when every PEARL factor holds, else 0: one failing factor removes the problem from the list."""
    return int(all((p, e, a, r, l)))


def hanlon_npt(npd: Decimal | None, pearl_value: int) -> Decimal | None:
    """Nilai Prioritas Total: NPD x PEARL."""
    return None if npd is None else npd * pearl_value


def ranked(items: Iterable[T], score: Callable[[T], float | Decimal | None]) -> list[tuple[int | None, T, object]]:
    """(rank, item, score), the highest score first; equal scores share a rank (1, 2, 2, 4); unscored items
    come last without a rank, in their given order."""
    scored = [(score(i), i) for i in items]
    with_score = sorted((s for s in scored if s[0] is not None), key=lambda s: s[0], reverse=True)
    out: list[tuple[int | None, T, object]] = []
    for pos, (value, item) in enumerate(with_score, start=1):
        rank = out[-1][0] if out and out[-1][2] == value else pos
        out.append((rank, item, value))
    out.extend((None, item, None) for value, item in scored if value is None)
    return out
