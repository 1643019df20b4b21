"""Compiled inference for the linear-chain CRFs: integer feature keys, a hash table of weights,
and Viterbi plus marginals in machine code (numba).

Training stays with CRFsuite. Every feature is an integer key ``(template << 56) | value`` made by
the models' featurizers; CRFsuite sees it as the attribute string ``str(key)``. After training,
the CRFsuite model's weights are exported to ``weights.npz`` (plain arrays, loaded with
``allow_pickle=False``): the attribute keys, one weight row per key (one column per label) and
the label transition matrix. Prediction then never builds a feature string: keys are looked up
in an open-addressing table, emission scores are summed per item, and each sequence is decoded
with Viterbi and scored with forward-backward marginals, exactly the quantities CRFsuite computes.
"""

from __future__ import annotations

import numpy as np
from numba import njit

KEY_SHIFT = 56
VALUE_MASK = (1 << KEY_SHIFT) - 1
WEIGHTS_FILE = "weights.npz"
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def key(template: int, value: int) -> int:
    """The integer key of one feature: a template id (1–127) and a value below 2**56."""
    return (template << KEY_SHIFT) | (value & VALUE_MASK)


def key_strings(keys: np.ndarray) -> list[list[str]]:
    """Rows of keys (0 = no feature) as CRFsuite attribute lists, for training."""
    return [[str(k) for k in row if k] for row in keys.tolist()]


@njit(cache=True)
def fkey(template, value):
    """:func:`key` inside compiled featurizers."""
    return (np.uint64(template) << np.uint64(KEY_SHIFT)) | np.uint64(value)


@njit(cache=True)
def _build_table(keys, bits):
    cap = 1 << bits
    table_keys = np.zeros(cap, dtype=np.uint64)
    table_rows = np.full(cap, -1, dtype=np.int32)
    shift = np.uint64(64 - bits)
    for r in range(keys.shape[0]):
        k = keys[r]
        h = np.int64((k * _GOLDEN) >> shift)
        while table_keys[h] != 0:
            h = (h + 1) & (cap - 1)
        table_keys[h] = k
        table_rows[h] = r
    return table_keys, table_rows


@njit(cache=True, error_model="numpy")
def _emissions(item_keys, table_keys, table_rows, weights, bits):
    n, f = item_keys.shape
    n_labels = weights.shape[1]
    cap = table_keys.shape[0]
    shift = np.uint64(64 - bits)
    out = np.zeros((n, n_labels))
    for i in range(n):
        for j in range(f):
            k = item_keys[i, j]
            if k == 0:
                continue
            h = np.int64((k * _GOLDEN) >> shift)
            while True:
                tk = table_keys[h]
                if tk == k:
                    r = table_rows[h]
                    for y in range(n_labels):
                        out[i, y] += weights[r, y]
                    break
                if tk == 0:
                    break
                h = (h + 1) & (cap - 1)
    return out


@njit(cache=True, error_model="numpy", fastmath=True)
def _decode(emissions, trans_t, exp_trans, exp_trans_t, bounds, outside):
    """Viterbi labels and the marginal probability of chosen labels, sequence by sequence.

    ``trans_t``: transitions transposed (to, from), disallowed ones at -1e30; ``exp_trans`` and
    ``exp_trans_t``: their exponentials, as (from, to) and (to, from). The inner loops run over
    contiguous rows without branches, so they vectorise.

    ``outside`` = -1: marginals at every position. ``outside`` = a label id (O of a BIO tagger):
    marginals only where a run of other labels starts (a span's first tag), 0 elsewhere; the
    forward pass stops at the last such start and the backward pass at the first.
    """
    n, n_labels = emissions.shape
    labels = np.zeros(n, dtype=np.int32)
    marginal = np.zeros(n)
    longest = 0
    for s in range(bounds.shape[0] - 1):
        longest = max(longest, bounds[s + 1] - bounds[s])
    ee = np.empty((longest, n_labels))
    score = np.empty((longest, n_labels))
    alpha = np.empty((longest, n_labels))
    beta = np.empty((longest, n_labels))
    tmp = np.empty(n_labels)
    for s in range(bounds.shape[0] - 1):
        a, b = bounds[s], bounds[s + 1]
        m = b - a
        if m <= 0:
            continue
        # Viterbi: best scores forward, the path recovered backward
        for y in range(n_labels):
            score[0, y] = emissions[a, y]
        for t in range(1, m):
            for y in range(n_labels):
                best = -1e300
                for x in range(n_labels):
                    best = max(best, score[t - 1, x] + trans_t[y, x])
                score[t, y] = best + emissions[a + t, y]
        arg = 0
        for y in range(1, n_labels):
            if score[m - 1, y] > score[m - 1, arg]:
                arg = y
        labels[b - 1] = arg
        for t in range(m - 1, 0, -1):
            prev = 0
            best = score[t - 1, 0] + trans_t[arg, 0]
            for x in range(1, n_labels):
                v = score[t - 1, x] + trans_t[arg, x]
                if v > best:
                    best = v
                    prev = x
            arg = prev
            labels[a + t - 1] = arg
        # where marginals are wanted
        first, last = 0, m - 1
        if outside >= 0:
            first, last = m, -1
            for t in range(m):
                y = labels[a + t]
                if y != outside and (t == 0 or labels[a + t - 1] != y):
                    first = min(first, t)
                    last = t
            if last < 0:
                continue
        # forward-backward, scaled (probabilities normalised at every step)
        for t in range(m):
            mx = -1e300
            for y in range(n_labels):
                mx = max(mx, emissions[a + t, y])
            for y in range(n_labels):
                ee[t, y] = np.exp(emissions[a + t, y] - mx)
        total = 0.0
        for y in range(n_labels):
            alpha[0, y] = ee[0, y]
            total += ee[0, y]
        for y in range(n_labels):
            alpha[0, y] /= total
        for t in range(1, last + 1):
            total = 0.0
            for y in range(n_labels):
                acc = 0.0
                for x in range(n_labels):
                    acc += alpha[t - 1, x] * exp_trans_t[y, x]
                alpha[t, y] = acc * ee[t, y]
                total += alpha[t, y]
            for y in range(n_labels):
                alpha[t, y] /= total
        for y in range(n_labels):
            beta[m - 1, y] = 1.0
        for t in range(m - 2, first - 1, -1):
            for y in range(n_labels):
                tmp[y] = ee[t + 1, y] * beta[t + 1, y]
            total = 0.0
            for x in range(n_labels):
                acc = 0.0
                for y in range(n_labels):
                    acc += exp_trans[x, y] * tmp[y]
                beta[t, x] = acc
                total += acc
            for x in range(n_labels):
                beta[t, x] /= total
        for t in range(first, last + 1):
            y = labels[a + t]
            if outside >= 0 and (y == outside or (t > 0 and labels[a + t - 1] == y)):
                continue
            norm = 0.0
            for x in range(n_labels):
                norm += alpha[t, x] * beta[t, x]
            marginal[a + t] = alpha[t, y] * beta[t, y] / norm
    return labels, marginal


def bio_allowed(labels: list[str]) -> np.ndarray:
    """Transitions a BIO decoding may take: ``I-x`` only after ``B-x`` or ``I-x``."""
    allowed = np.ones((len(labels), len(labels)), dtype=np.bool_)
    for y, lab in enumerate(labels):
        if lab.startswith("I-"):
            for x, prev in enumerate(labels):
                allowed[x, y] = prev in ("B-" + lab[2:], lab)
    return allowed


class CompiledCRF:
    """A trained CRF's weights in arrays; :meth:`predict` labels sequences of keyed items.

    ``allowed`` (labels × labels, optional) restricts the transitions decoding may take, e.g.
    :func:`bio_allowed`; by default every transition is open, as in CRFsuite.
    """

    def __init__(self, labels, keys, weights, transitions, allowed=None):
        self.labels = list(labels)
        n = len(self.labels)
        allowed = np.ones((n, n), dtype=np.bool_) if allowed is None else np.asarray(allowed, dtype=np.bool_)
        self.allowed = allowed
        self.keys = np.ascontiguousarray(keys, dtype=np.uint64)
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.transitions = np.ascontiguousarray(transitions, dtype=np.float64)
        masked = np.where(allowed, self.transitions, -1e30)
        self._trans_t = np.ascontiguousarray(masked.T)
        self._exp_trans = np.where(allowed, np.exp(self.transitions), 0.0)
        self._exp_trans_t = np.ascontiguousarray(self._exp_trans.T)
        self._bits = max(4, int(2 * max(len(self.keys), 1) - 1).bit_length())
        self._table_keys, self._table_rows = _build_table(self.keys, self._bits)

    @classmethod
    def from_crfsuite(cls, path) -> "CompiledCRF":
        """Export the weights of a CRFsuite model file whose attributes are integer keys."""
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        labels = tagger.labels()
        index = {lab: i for i, lab in enumerate(labels)}
        rows: dict[int, int] = {}
        entries = []
        for (attr, lab), w in info.state_features.items():
            try:
                k = int(attr)
            except ValueError:
                raise ValueError(f"{path}: feature {attr!r} is not an integer key; the model was trained by an "
                                 "older gongkai and must be trained again") from None
            r = rows.setdefault(k, len(rows))
            entries.append((r, index[lab], w))
        weights = np.zeros((len(rows), len(labels)))
        for r, y, w in entries:
            weights[r, y] = w
        trans = np.zeros((len(labels), len(labels)))
        for (a, b), w in info.transitions.items():
            trans[index[a], index[b]] = w
        keys = np.fromiter(rows.keys(), dtype=np.uint64, count=len(rows))
        return cls(labels, keys, weights, trans)

    def to_disk(self, path) -> None:
        np.savez_compressed(path, labels=np.array(self.labels), keys=self.keys,
                            weights=self.weights.astype(np.float32), transitions=self.transitions)

    @classmethod
    def from_disk(cls, path) -> "CompiledCRF":
        with np.load(path, allow_pickle=False) as z:
            return cls([str(x) for x in z["labels"]], z["keys"], z["weights"], z["transitions"])

    def emissions(self, item_keys: np.ndarray) -> np.ndarray:
        return _emissions(np.ascontiguousarray(item_keys, dtype=np.uint64), self._table_keys, self._table_rows,
                          self.weights, self._bits)

    def predict(self, item_keys: np.ndarray, bounds: np.ndarray, outside: str | None = None):
        """Label ids and marginals for items ``bounds[s]:bounds[s+1]`` of each sequence ``s``."""
        if item_keys.shape[0] == 0:
            return np.zeros(0, dtype=np.int32), np.zeros(0)
        return self.decode(self.emissions(item_keys), bounds, outside)

    def decode(self, emissions: np.ndarray, bounds: np.ndarray, outside: str | None = None):
        """Viterbi label ids and the marginals of the chosen labels from summed emission scores.

        With ``outside`` (the O label of a BIO tagger) marginals are computed only where a span
        starts, and are 0 elsewhere.
        """
        out = self.labels.index(outside) if outside is not None else -1
        return _decode(emissions, self._trans_t, self._exp_trans, self._exp_trans_t, np.asarray(bounds, dtype=np.int64),
                       out)

    def restrict(self, allowed: np.ndarray) -> "CompiledCRF":
        """The same weights with decoding restricted to ``allowed`` transitions."""
        return CompiledCRF(self.labels, self.keys, self.weights, self.transitions, allowed)
