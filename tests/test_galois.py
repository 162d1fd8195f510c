"""GF(q) tables satisfy the field axioms."""

from __future__ import annotations

import numpy as np
import pytest

from topoctl.topologies.galois import GaloisField, prime_power


@pytest.mark.parametrize("q", [2, 3, 4, 5, 8, 9, 16, 25, 27, 49, 64, 81, 121, 125])
def test_field_axioms(q):
    field = GaloisField(q)
    add, mul = field.add, field.mul
    elements = np.arange(q)
    assert (add[0] == elements).all() and (mul[1] == elements).all()
    assert (add == add.T).all() and (mul == mul.T).all()
    for row in add:
        assert sorted(row) == list(elements)  # additive group
    for row in mul[1:, 1:]:
        assert sorted(row) == list(range(1, q))  # no zero divisors
    a, b, c = np.meshgrid(elements, elements, elements, indexing="ij")
    assert (mul[a, add[b, c]] == add[mul[a, b], mul[a, c]]).all()  # distributive
    assert (mul[a, mul[b, c]] == mul[mul[a, b], c]).all()  # associative
    assert len(set(field.exp)) == q - 1  # primitive element generates the group


def test_prime_power():
    assert prime_power(27) == (3, 3) and prime_power(29) == (29, 1) and prime_power(1024) == (2, 10)
    assert prime_power(28) is None and prime_power(1) is None
