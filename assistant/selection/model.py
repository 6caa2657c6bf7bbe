"""The trained answer selector: one JSON file holding the ranker and the answerability classifier
(LightGBM text models), the calibration of its probabilities and the refusal threshold."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from assistant.selection.features import QUESTION_FEATURES, SENTENCE_FEATURES

FORMAT = 1
MODEL_FILE = "selector.json"


@dataclass
class Calibration:
    """Isotonic calibration as the points of a non-decreasing piecewise-linear map."""

    x: list[float]
    y: list[float]

    @classmethod
    def fit(cls, raw: np.ndarray, right: np.ndarray) -> Calibration:
        """Pool adjacent violators over the scores sorted: each block's share of right answers."""
        order = np.argsort(raw, kind="stable")
        blocks: list[list[float]] = []  # [sum right, count, lowest score, highest score]
        for score, ok in zip(raw[order], right[order].astype(float), strict=True):
            blocks.append([ok, 1.0, float(score), float(score)])
            while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
                last = blocks.pop()
                blocks[-1] = [blocks[-1][0] + last[0], blocks[-1][1] + last[1], blocks[-1][2], last[3]]
        x: list[float] = []
        y: list[float] = []
        for total, count, lo, hi in blocks:
            for point in dict.fromkeys((lo, hi)):
                x.append(point)
                y.append(total / count)
        return cls(x, y)

    def apply(self, raw: np.ndarray) -> np.ndarray:
        if not self.x:
            return np.asarray(raw, dtype=float)
        return np.interp(raw, self.x, self.y)


@dataclass
class Selector:
    ranker: Any  # lightgbm.Booster
    classifier: Any
    calibration: Calibration
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    def rank(self, rows: np.ndarray) -> np.ndarray:
        """The ranker's score of each candidate (higher: more likely the answer)."""
        return np.asarray(self.ranker.predict(rows, num_threads=1))

    def confidence(self, question_rows: np.ndarray) -> np.ndarray:
        """Calibrated probability that the chosen sentence's answer is right, per question row."""
        raw = np.asarray(self.classifier.predict(question_rows, num_threads=1))
        return self.calibration.apply(raw)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "sentence_features": list(SENTENCE_FEATURES),
                "question_features": list(QUESTION_FEATURES),
                "threshold": self.threshold,
                "calibration": {"x": self.calibration.x, "y": self.calibration.y},
                "meta": self.meta,
                "ranker": self.ranker.model_to_string(),
                "classifier": self.classifier.model_to_string(),
            },
            ensure_ascii=False,
            indent=0,
        )

    def save(self, path: Path) -> None:
        path.write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, text: str) -> Selector:
        import lightgbm

        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"selector model format {data.get('format')}, expected {FORMAT}: retrain it")
        for key, names in (
            ("sentence_features", SENTENCE_FEATURES),
            ("question_features", QUESTION_FEATURES),
        ):
            if tuple(data[key]) != names:
                raise ValueError(
                    f"selector model {key} differ from the code's: retrain it (ip-assistant train)"
                )
        return cls(
            ranker=lightgbm.Booster(model_str=data["ranker"]),
            classifier=lightgbm.Booster(model_str=data["classifier"]),
            calibration=Calibration(**data["calibration"]),
            threshold=float(data["threshold"]),
            meta=data.get("meta", {}),
        )

    @classmethod
    def load(cls, path: Path) -> Selector:
        return cls.from_json(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4)
def load_selector(path: str | None = None) -> Selector:
    """The selector saved at `path`, or the one shipped with the package."""
    if path:
        return Selector.load(Path(path))
    return Selector.from_json(resources.files("assistant.selection").joinpath(MODEL_FILE).read_text("utf-8"))
