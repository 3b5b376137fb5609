"""Type stubs of the Rust extension (`stancer._stancer`); use the `stancer` package's API."""
from typing import Optional, Sequence, Tuple, Union

__version__: str
DEFAULT_MAX_BYTES: int

class StancerError(Exception):
    """An input or model error; `kind` is its stable name (empty, not_utf8, too_large, model, ...)."""
    kind: str

class Scorer:
    def __init__(
        self,
        model: Optional[str] = None,
        parties: Sequence[str] = ...,
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
    def score(self, text: Union[str, bytes], id: str = "-", meta: Optional[str] = None) -> str: ...
    def score_records(self, items: Sequence[Tuple[str, Union[str, bytes, None], Optional[str]]]) -> list[str]: ...
    def extract(self, text: Union[str, bytes], id: str = "-", meta: Optional[str] = None) -> str: ...
    def pairs(self, text: Union[str, bytes], id: str = "-", meta: Optional[str] = None) -> str: ...
    def classify(self, pairs_json: str) -> str: ...
    def model_info(self) -> str: ...
