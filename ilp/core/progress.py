"""A progress bar for long CLI work (tqdm), silent when output is not a terminal unless asked."""

from collections.abc import Callable

from tqdm import tqdm


def bar(*, desc: str, total: int | None = None, file=None, disable: bool | None = None) -> tqdm:
    return tqdm(total=total, desc=desc, file=file, disable=disable, unit=" baris", dynamic_ncols=True)


def callback(pbar: tqdm) -> Callable[[int, int], None]:
    """A (done, total) callback that moves the bar to `done`."""

    def _update(done: int, total: int) -> None:
        pbar.total = total
        pbar.update(done - pbar.n)

    return _update
