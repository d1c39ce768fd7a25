"""Pages of list routes."""

from __future__ import annotations

from typing import Any, Callable, Dict, Generic, Iterator, List, Mapping, TypeVar

T = TypeVar("T")


class Page(Generic[T]):
    """One page of a list: ``data``, ``total``, ``limit``, ``offset``, as the API answers.

    Iterating it (``for track in page``) walks every item of this page and of the pages after it,
    fetching them as needed. ``page["data"]`` works too, as on the API's JSON.
    """

    def __init__(self, body: Mapping[str, Any], fetch_page: Callable[[int], "Page[T]"]) -> None:
        self.data: List[T] = list(body["data"])
        self.total: int = body["total"]
        self.limit: int = body["limit"]
        self.offset: int = body["offset"]
        self._fetch_page = fetch_page

    def has_next_page(self) -> bool:
        return len(self.data) > 0 and self.offset + len(self.data) < self.total

    def get_next_page(self) -> "Page[T]":
        """The page after this one (same filters and limit)."""
        return self._fetch_page(self.offset + len(self.data))

    def __iter__(self) -> Iterator[T]:
        page: Page[T] = self
        while True:
            yield from page.data
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __getitem__(self, field: str) -> Any:
        return self.to_dict()[field]

    def to_dict(self) -> Dict[str, Any]:
        return {"data": self.data, "total": self.total, "limit": self.limit, "offset": self.offset}

    def __repr__(self) -> str:
        return f"Page(total={self.total}, limit={self.limit}, offset={self.offset}, data={self.data!r})"
