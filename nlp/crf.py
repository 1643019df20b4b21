"""What the two CRF models share: training through CRFsuite, and a model directory of a JSON
config plus CRFsuite's own model file (a binary format of its own, never a pickle)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Iterable

from .fastcrf import WEIGHTS_FILE, CompiledCRF

CONFIG_FILE = "config.json"


class CRFModel:
    """Base of :class:`~gongkai.sections.model.SectionModel` and :class:`~gongkai.quantities.tagger.QuantityTagger`.

    Subclasses set ``component`` (the spaCy component name), ``model_file`` and ``kind`` (for messages),
    and the default hyper-parameters. ``__init__`` only stores its arguments (scikit-learn style).
    """

    component = ""
    model_file = ""
    kind = "model"
    defaults = {"c1": 0.05, "c2": 0.01, "max_iterations": 120}

    def __init__(self, c1: float | None = None, c2: float | None = None, max_iterations: int | None = None,
                 seed: int = 0):
        self.c1 = self.defaults["c1"] if c1 is None else c1
        self.c2 = self.defaults["c2"] if c2 is None else c2
        self.max_iterations = self.defaults["max_iterations"] if max_iterations is None else max_iterations
        self.seed = seed

    def _train(self, sequences: Iterable[tuple[list, list]], model_dir, extra_config: dict) -> "CRFModel":
        import pycrfsuite

        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        trainer = pycrfsuite.Trainer(verbose=False)
        for xseq, yseq in sequences:
            trainer.append(xseq, yseq)
        trainer.set_params({"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations,
                            "feature.possible_transitions": True})
        t0 = time.time()
        trainer.train(str(model_dir / self.model_file))
        self.training_seconds_ = time.time() - t0
        config = {"model": self.component, "version": 1, "c1": self.c1, "c2": self.c2,
                  "max_iterations": self.max_iterations}
        config.update(extra_config)
        (model_dir / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
        self.model_dir_ = model_dir
        CompiledCRF.from_crfsuite(model_dir / self.model_file).to_disk(model_dir / WEIGHTS_FILE)
        self._open()
        return self

    @classmethod
    def from_disk(cls, model_dir):
        model_dir = Path(model_dir)
        cfg_path = model_dir / CONFIG_FILE
        if not cfg_path.exists() or not (model_dir / cls.model_file).exists():
            raise FileNotFoundError(f"{model_dir}: not a {cls.kind} directory (needs {CONFIG_FILE} and {cls.model_file})")
        cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
        model = cls(c1=cfg.get("c1"), c2=cfg.get("c2"), max_iterations=cfg.get("max_iterations"))
        model.model_dir_ = model_dir
        model._open()
        return model

    def _open(self):
        weights = self.model_dir_ / WEIGHTS_FILE
        self.crf_ = CompiledCRF.from_disk(weights) if weights.exists() else \
            CompiledCRF.from_crfsuite(self.model_dir_ / self.model_file)

    def _require(self):
        if not hasattr(self, "crf_"):
            raise RuntimeError(f"{type(self).__name__} is not fitted: call fit() or from_disk() first")
