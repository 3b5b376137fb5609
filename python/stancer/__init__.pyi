from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence, Union

import pandas

__version__: str
DEFAULT_MAX_BYTES: int
Text = Union[str, bytes]

class StancerError(Exception):
    kind: str

class Scorer:
    def __init__(
        self,
        model: Optional[str] = None,
        parties: Union[None, Sequence[str], Mapping[str, Sequence[str]]] = None,
        scope: str = "sentence",
        level: str = "party",
        precision: Optional[str] = None,
        device: str = "cpu",
        batch_size: int = 32,
        max_length: Optional[int] = None,
        rules_only: bool = False,
        include_text: bool = False,
        max_bytes: int = ...,
    ) -> None: ...
    @property
    def model(self) -> dict[str, Any]: ...
    def score(self, text: Text, id: Optional[str] = None, meta: Optional[Mapping[str, Any]] = None) -> dict[str, Any]: ...
    def score_many(self, items: Iterable[Union[Text, Mapping[str, Any]]], batch: int = 16) -> Iterator[dict[str, Any]]: ...
    def extract(self, text: Text, id: Optional[str] = None, meta: Optional[Mapping[str, Any]] = None) -> dict[str, Any]: ...
    def classify(self, pairs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]: ...

def to_frame(reports: Iterable[dict[str, Any]]) -> pandas.DataFrame: ...
